"""API keys: issued once, stored as SHA-256, checked in constant time, cached briefly."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.errors import AuthenticationError, InvalidRequestError, NotFoundError
from tandem.governance.principal import Principal, Scope
from tandem.store.cached import in_background
from tandem.store.changes import announce
from tandem.store.engine import Database
from tandem.store.models import ApiKey, Tenant

KEY_PREFIX = "sk-"
CACHE_SECONDS = 5.0  # the fallback when a change notification is missed
TOPIC = "keys"


@dataclass(frozen=True)
class KeySpec:
    """What a new key may do."""

    tenant: str
    project: str = "default"
    name: str = ""
    scope: Scope = "user"
    deployments: list[str] | None = None
    rpm: int | None = None
    tpm: int | None = None
    budget_usd: float | None = None
    budget_tokens: int | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class IssuedKey:
    """A key's id and its secret, shown once."""

    id: str
    secret: str


def hash_secret(secret: str) -> str:
    """The stored form of a key (keys are random 240-bit strings: no salt or KDF needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class KeyStore:
    """Creates, verifies, lists, revokes and rotates API keys."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[str, tuple[float, Principal | None, datetime | None]] = {}
        self._count: tuple[float, int] | None = None
        self._ever_issued: tuple[float, bool] | None = None
        self._lock = threading.Lock()

    def create(self, spec: KeySpec) -> IssuedKey:
        """Issue a key; the returned secret is never stored or shown again."""
        if not spec.tenant or len(spec.tenant) > 64:
            raise InvalidRequestError("tenant must be 1-64 characters", param="tenant")
        key_id = uuid.uuid4().hex
        prefix = secrets.token_hex(6)
        secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(30)}"
        with self.db.session() as session, session.begin():
            if session.get(Tenant, spec.tenant) is None:
                session.add(Tenant(name=spec.tenant, created_at=_now()))
            session.add(
                ApiKey(
                    id=key_id,
                    prefix=prefix,
                    secret_hash=hash_secret(secret),
                    tenant=spec.tenant,
                    project=spec.project,
                    name=spec.name,
                    scope=spec.scope,
                    deployments=spec.deployments,
                    rpm=spec.rpm,
                    tpm=spec.tpm,
                    budget_usd=spec.budget_usd,
                    budget_tokens=spec.budget_tokens,
                    expires_at=spec.expires_at,
                    created_at=_now(),
                )
            )
            announce(session, TOPIC)
        self._count = None
        self._ever_issued = (time.monotonic(), True)
        return IssuedKey(id=key_id, secret=secret)

    def invalidate(self) -> None:
        """Forget cached keys and counts (another process changed them)."""
        self._cache.clear()
        self._count = None
        if self._ever_issued is not None and not self._ever_issued[1]:
            self._ever_issued = None  # a first key may now exist; "yes" never changes back

    def ever_issued(self) -> bool:
        """Whether any key, revoked or not, has ever existed; once true it stays true, so
        revoking every key never re-opens the server."""
        now = time.monotonic()
        known = self._ever_issued
        if known is not None and (known[1] or now - known[0] < CACHE_SECONDS):
            return known[1]
        with self.db.session() as session:
            found = session.scalar(select(ApiKey.id).limit(1)) is not None
        self._ever_issued = (now, found)
        return found

    def count_active(self) -> int:
        """Keys not revoked (cached for a few seconds)."""
        now = time.monotonic()
        if self._count is not None and now - self._count[0] < CACHE_SECONDS:
            return self._count[1]
        with self.db.session() as session:
            count = session.scalar(
                select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))
            )
        self._count = (now, int(count or 0))
        return self._count[1]

    def verify(self, secret: str) -> Principal:
        """The principal behind a presented key, or a 401."""
        prefix = _prefix_of(secret)
        if prefix is None:
            raise AuthenticationError("Incorrect API key provided.")
        cached = self._cache.get(secret)
        if cached is None:
            cached = self._fill(prefix, secret)
        elif time.monotonic() - cached[0] > CACHE_SECONDS:
            # A change is announced to every replica and clears the cache; the age is only
            # the fallback, so the entry serves while a worker thread reads it again.
            self._cache[secret] = (time.monotonic(), *cached[1:])
            if not in_background(lambda: self._fill(prefix, secret)):
                cached = self._fill(prefix, secret)
        _, principal, expires_at = cached
        if principal is None:
            raise AuthenticationError("Incorrect API key provided.")
        if expires_at is not None and expires_at <= _now():
            raise AuthenticationError("This API key has expired.", code="expired_api_key")
        return principal

    def known(self, secret: str) -> bool:
        """Whether `verify(secret)` would answer from memory (no database read)."""
        return secret in self._cache or _prefix_of(secret) is None

    def knows_if_issued(self) -> bool:
        """Whether `ever_issued()` would answer from memory."""
        known = self._ever_issued
        return known is not None and (known[1] or time.monotonic() - known[0] < CACHE_SECONDS)

    def _fill(self, prefix: str, secret: str) -> tuple[float, Principal | None, datetime | None]:
        entry = (time.monotonic(), *self._load(prefix, secret))
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[secret] = entry
        return entry

    def _load(self, prefix: str, secret: str) -> tuple[Principal | None, datetime | None]:
        with self.db.session() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        if row is None or row.revoked_at is not None:
            hmac.compare_digest(hash_secret(secret), "0" * 64)  # same work either way
            return None, None
        if not hmac.compare_digest(hash_secret(secret), row.secret_hash):
            return None, None
        principal = Principal(
            tenant=row.tenant,
            project=row.project,
            key_id=row.id,
            scope=row.scope,  # type: ignore[arg-type]
            deployments=frozenset(row.deployments) if row.deployments is not None else None,
            rpm=row.rpm,
            tpm=row.tpm,
            budget_usd=row.budget_usd,
            budget_tokens=row.budget_tokens,
        )
        return principal, _aware(row.expires_at)

    def get(self, key_id: str, tenant: str | None) -> ApiKey:
        """One key's record (without its secret), within `tenant` unless None."""
        with self.db.session() as session:
            row = session.get(ApiKey, key_id)
        if row is None or (tenant is not None and row.tenant != tenant):
            raise NotFoundError(f"no key '{key_id}'", param="key_id")
        return row

    def list(self, tenant: str | None) -> list[ApiKey]:
        """Keys of a tenant (or of every tenant when None)."""
        query = select(ApiKey).order_by(ApiKey.created_at)
        if tenant is not None:
            query = query.where(ApiKey.tenant == tenant)
        with self.db.session() as session:
            return list(session.scalars(query))

    def revoke(self, key_id: str, tenant: str | None) -> ApiKey:
        """Revoke a key at once here, and on other replicas as soon as they hear of it."""
        with self.db.session() as session, session.begin():
            row = session.get(ApiKey, key_id)
            if row is None or (tenant is not None and row.tenant != tenant):
                raise NotFoundError(f"no key '{key_id}'", param="key_id")
            if row.revoked_at is None:
                row.revoked_at = _now()
                announce(session, TOPIC)
        self._cache.clear()
        self._count = None
        return row

    def rotate(self, key_id: str, tenant: str | None) -> IssuedKey:
        """A new key with the same rights; the old one is revoked."""
        old = self.get(key_id, tenant)
        if old.revoked_at is not None:
            raise InvalidRequestError("a revoked key cannot be rotated", param="key_id")
        issued = self.create(
            KeySpec(
                tenant=old.tenant,
                project=old.project,
                name=old.name,
                scope=old.scope,  # type: ignore[arg-type]
                deployments=old.deployments,
                rpm=old.rpm,
                tpm=old.tpm,
                budget_usd=old.budget_usd,
                budget_tokens=old.budget_tokens,
                expires_at=old.expires_at,
            )
        )
        self.revoke(key_id, tenant)
        return issued


def _prefix_of(secret: str) -> str | None:
    if not secret.startswith(KEY_PREFIX) or "_" not in secret:
        return None
    prefix = secret[len(KEY_PREFIX) :].split("_", 1)[0]
    return prefix if len(prefix) == 12 else None


def fingerprint(session: Session) -> Hashable:
    """What moves whenever a key is created, revoked or rotated (SQLite change watching)."""
    row = session.execute(
        select(func.count(), func.max(ApiKey.created_at), func.max(ApiKey.revoked_at))
    ).one()
    return tuple(row)
