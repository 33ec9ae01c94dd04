"""Server-side console sessions: a random id in the cookie, everything else here.

A session holds the principal the key stood for when it signed in, the key's id (checked
again on every page, so a revoked or expired key ends its sessions) and a CSRF token that
every form must echo. Sessions live in this process, bounded in number and idle time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from tandem.governance.principal import Principal

COOKIE = "tandem_console"
IDLE_SECONDS = 8 * 3600
MAX_SESSIONS = 10_000


@dataclass
class Session:
    """One browser's session; `principal` is None until it signs in."""

    csrf: str
    principal: Principal | None = None
    flash: str | None = None
    seen: float = field(default_factory=time.monotonic)

    def csrf_ok(self, presented: str | None) -> bool:
        """Whether a form carried this session's token (compared in constant time)."""
        return bool(presented) and hmac.compare_digest(str(presented), self.csrf)


class SessionStore:
    """Sessions by the SHA-256 of their id (a leaked store does not leak cookies)."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS, limit: int = MAX_SESSIONS) -> None:
        self.idle_seconds = idle_seconds
        self.limit = limit
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, principal: Principal | None = None) -> tuple[str, Session]:
        """A new session and the id to put in its cookie."""
        sid = secrets.token_urlsafe(32)
        session = Session(csrf=secrets.token_urlsafe(32), principal=principal)
        with self._lock:
            self._sessions[_digest(sid)] = session
            while len(self._sessions) > self.limit:
                self._sessions.popitem(last=False)
        return sid, session

    def get(self, sid: str | None) -> Session | None:
        """The live session behind a cookie, or None."""
        if not sid or len(sid) > 128:
            return None
        key = _digest(sid)
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.seen > self.idle_seconds:
                del self._sessions[key]
                return None
            session.seen = now
            self._sessions.move_to_end(key)
            return session

    def drop(self, sid: str | None) -> None:
        """End a session (sign-out)."""
        if sid:
            with self._lock:
                self._sessions.pop(_digest(sid), None)

    def drop_key(self, key_id: str) -> None:
        """End every session signed in with a key (it was revoked)."""
        with self._lock:
            for key in [k for k, s in self._sessions.items() if _key_of(s) == key_id]:
                del self._sessions[key]


def _key_of(session: Session) -> str | None:
    return session.principal.key_id if session.principal is not None else None


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()
