"""Changes that every replica must see at once: keys, policies, deployments.

A write that other processes cache (a revoked key, a new policy) announces its topic in
the same transaction. On PostgreSQL the announcement is a NOTIFY, delivered to every
replica's LISTEN connection when the transaction commits, whoever wrote it (a server, or
the CLI working on the database directly). SQLite has one machine and no notifications:
each server watches `PRAGMA data_version`, which moves whenever another connection
commits, and then asks each topic whether its rows changed (a cheap fingerprint query),
so a CLI change takes effect within one poll. The caches' own TTLs remain the fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tandem.store.engine import Database

CHANNEL = "tandem_changes"
SQLITE_POLL_S = 0.2
RECONNECT_S = 1.0
log = logging.getLogger(__name__)

Fingerprint = Callable[[Session], Hashable]
_IN_MEMORY = (None, "", ":memory:")


def announce(session: Session, topic: str) -> None:
    """Tell every replica that `topic` changed, when `session`'s transaction commits."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :topic)"), {"channel": CHANNEL, "topic": topic}
        )


@dataclass
class _Topic:
    callbacks: list[Callable[[], None]] = field(default_factory=list)
    fingerprint: Fingerprint | None = None
    last: Hashable = None


class ChangeFeed:
    """Runs the callbacks of a topic whenever another process (or replica) changes it."""

    def __init__(self, db: Database, poll_s: float = SQLITE_POLL_S) -> None:
        self.db = db
        self.poll_s = poll_s
        self._topics: dict[str, _Topic] = {}
        self._task: asyncio.Task[None] | None = None
        self._watcher_lock = threading.Lock()

    def subscribe(
        self, topic: str, callback: Callable[[], None], fingerprint: Fingerprint | None = None
    ) -> None:
        """Call `callback` when `topic` changes; `fingerprint` detects it on SQLite."""
        entry = self._topics.setdefault(topic, _Topic())
        entry.callbacks.append(callback)
        if fingerprint is not None:
            entry.fingerprint = fingerprint

    async def start(self) -> None:
        """Begin listening (PostgreSQL) or watching (SQLite) in the background."""
        if self._task is not None:
            return
        if self.db.dialect == "postgresql":
            self._task = asyncio.create_task(self._listen(), name="change-feed")
        elif self.db.dialect == "sqlite" and self.db.engine.url.database not in _IN_MEMORY:
            path = str(self.db.engine.url.database)
            watcher = await asyncio.to_thread(sqlite3.connect, path, check_same_thread=False)
            # The version is read before the fingerprints, so a change between the two is
            # seen at the first poll rather than lost.
            version = await asyncio.to_thread(_data_version, watcher)
            await asyncio.to_thread(self._refresh_fingerprints)
            self._task = asyncio.create_task(self._watch(watcher, version), name="change-feed")

    async def stop(self) -> None:
        """Stop the background task."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def fire(self, topic: str) -> None:
        """Run a topic's callbacks (a notification arrived)."""
        entry = self._topics.get(topic)
        for callback in entry.callbacks if entry else []:
            try:
                callback()
            except Exception:  # one subscriber's bug must not stop the others
                log.exception("change callback for %s failed", topic)

    # -- PostgreSQL ---------------------------------------------------------------------------

    async def _listen(self) -> None:
        url = make_url(self.db.url).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    for topic in list(self._topics):  # whatever changed while we were away
                        self.fire(topic)
                    async for notice in connection.notifies():
                        self.fire(notice.payload)
            except asyncio.CancelledError:
                raise
            except (psycopg.Error, OSError) as exc:
                log.warning("change feed lost its connection (%s); reconnecting", exc)
                await asyncio.sleep(RECONNECT_S)

    # -- SQLite ------------------------------------------------------------------------------

    async def _watch(self, watcher: sqlite3.Connection, version: int) -> None:
        try:
            while True:
                await asyncio.sleep(self.poll_s)
                current = await asyncio.to_thread(self._poll, watcher)
                if current == version:
                    continue
                version = current
                for topic in await asyncio.to_thread(self._refresh_fingerprints):
                    self.fire(topic)
        finally:
            # A cancelled poll may still be running in its thread: closing the connection
            # under it crashes the process, so the close waits for it.
            with self._watcher_lock:
                watcher.close()

    def _poll(self, watcher: sqlite3.Connection) -> int:
        with self._watcher_lock:
            return _data_version(watcher)

    def _refresh_fingerprints(self) -> list[str]:
        """Topics whose fingerprint moved since the last look."""
        changed = []
        with self.db.session() as session:
            for name, entry in self._topics.items():
                if entry.fingerprint is None:
                    continue
                now = entry.fingerprint(session)
                if now != entry.last:
                    changed.append(name)
                    entry.last = now
        return changed


def _data_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA data_version").fetchone()
    return int(row[0]) if row else 0
