"""The usage ledger: one row per model request, written in batches, never lost.

Each request is journalled twice with a single append (no fsync, no database) on its
path: when it is admitted, before any byte of the answer leaves, and when it ends. A
background task writes finished records to the database in batches. A process killed
with -9 leaves its journal behind; the next start replays it, turning requests that were
admitted but never finished into rows with status "interrupted". Rows are unique by
request id, so replaying twice writes nothing twice.

Several writers share one journal folder (the workers of `tandem serve --workers N`, or
replicas that mount one data folder): each process appends only to files of its own and
holds an exclusive `flock` on each while it is open. A journal is replayed only by whoever
takes its lock, so a live process's journal is never read as a dead one's (process ids
repeat across containers and hosts; locks do not), and two processes starting together
never replay the same file twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import socket
import time
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert as generic_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tandem.store.engine import Database
from tandem.store.models import UsageRecord

log = logging.getLogger(__name__)

ROTATE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class UsageEvent:
    """What the ledger keeps about one request."""

    request_id: str
    ts: float
    tenant: str
    project: str
    key_id: str | None
    deployment: str
    operation: str
    backend: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    status: str = "admitted"
    cost_usd: float = 0.0
    safety: str = "none"

    def row(self) -> dict[str, Any]:
        """The database row."""
        values = asdict(self)
        values["ts"] = datetime.fromtimestamp(self.ts, UTC)
        return values


@dataclass
class _Journal:
    path: Path
    fd: int
    size: int = 0
    pending: int = 0
    closed: bool = False


class UsageLedger:
    """Journals every request on its path and batches the rows into the database."""

    def __init__(
        self,
        db: Database,
        journal_dir: Path,
        *,
        flush_interval_s: float = 0.5,
        batch_size: int = 500,
    ) -> None:
        self.db = db
        self.journal_dir = journal_dir
        self.flush_interval_s = flush_interval_s
        self.batch_size = batch_size
        self._queue: list[tuple[UsageEvent, list[_Journal]]] = []
        self._admitted: dict[str, _Journal] = {}
        self._journal: _Journal | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.written = 0

    # -- the request path ---------------------------------------------------------------

    def admit(self, event: UsageEvent) -> None:
        """Journal an admitted request (before its answer starts)."""
        journal = self._append(b"a", event)
        journal.pending += 1
        self._admitted[event.request_id] = journal

    def record(self, event: UsageEvent) -> None:
        """Journal a finished request and queue its row."""
        journal = self._append(b"d", event)
        journal.pending += 1
        holders = [journal]
        admitted = self._admitted.pop(event.request_id, None)
        if admitted is not None:
            holders.append(admitted)
        self._queue.append((event, holders))
        if len(self._queue) >= self.batch_size:
            self._wake.set()

    def pending(self) -> list[UsageEvent]:
        """Finished requests not yet in the database (budget checks count them too)."""
        return [event for event, _ in list(self._queue)]

    def _append(self, kind: bytes, event: UsageEvent) -> _Journal:
        journal = self._journal
        if journal is None or journal.size > ROTATE_BYTES:
            journal = self._rotate()
        line = b'{"t":"' + kind + b'",' + orjson.dumps(event)[1:] + b"\n"
        os.write(journal.fd, line)  # O_APPEND: whole lines, kept by the OS if we die
        journal.size += len(line)
        return journal

    def _rotate(self) -> _Journal:
        if self._journal is not None:
            self._journal.closed = True
            self._release(self._journal)
        self.journal_dir.mkdir(parents=True, exist_ok=True)
        path = self.journal_dir / f"journal-{_HOST}-{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else holds it
        self._journal = _Journal(path=path, fd=fd)
        return self._journal

    def _release(self, journal: _Journal) -> None:
        if journal.closed and journal.pending <= 0:
            journal.path.unlink(missing_ok=True)  # before the lock goes: nobody replays it
            os.close(journal.fd)

    # -- the background writer ------------------------------------------------------------

    async def start(self) -> None:
        """Replay journals left by dead processes, then start writing in the background."""
        recovered = await asyncio.to_thread(self.recover)
        if recovered:
            log.warning("usage ledger recovered rows", extra={"rows": recovered})
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.flush_interval_s)
            self._wake.clear()
            await self.flush()

    async def flush(self) -> int:
        """Write every queued row now; rows stay queued if the database fails."""
        written = 0
        while self._queue:
            batch = self._queue[: self.batch_size]
            try:
                await asyncio.to_thread(self._insert_events, [event for event, _ in batch])
            except Exception:
                log.exception("usage ledger write failed; will retry", extra={"rows": len(batch)})
                return written
            del self._queue[: len(batch)]
            for _, holders in batch:
                for journal in holders:
                    journal.pending -= 1
                    self._release(journal)
            written += len(batch)
        self.written += written
        return written

    async def stop(self) -> None:
        """Flush everything and remove this process's journals."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        # Requests still admitted at shutdown did not finish: account them as such.
        for request_id in list(self._admitted):
            self._queue.append((self._interrupted(request_id), [self._admitted.pop(request_id)]))
        await self.flush()
        if self._journal is not None and not self._queue:
            self._journal.closed = True
            self._release(self._journal)
            self._journal = None

    def _interrupted(self, request_id: str) -> UsageEvent:
        journal = self._admitted[request_id]
        for entry in _read_journal(journal.path):
            if entry.get("request_id") == request_id:
                return replace(_event(entry), status="interrupted")
        raise KeyError(request_id)

    def _insert_events(self, events: list[UsageEvent]) -> None:
        """Insert through the driver: SQLAlchemy's per-row work would hold the GIL long
        enough to stall the event loop while a large batch is written."""
        dialect = self.db.dialect
        if dialect not in ("sqlite", "postgresql"):
            self._insert([e.row() for e in events])
            return
        marker = "?" if dialect == "sqlite" else "%s"
        sql = (
            f"INSERT INTO usage ({', '.join(_COLUMNS)}) VALUES "
            f"({', '.join([marker] * len(_COLUMNS))}) ON CONFLICT (request_id) DO NOTHING"
        )
        rows = [_row_tuple(e, dialect) for e in events]
        connection = self.db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.executemany(sql, rows)
            connection.commit()
        finally:
            connection.close()

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        if self.db.dialect == "postgresql":
            statement: Any = pg_insert(UsageRecord).on_conflict_do_nothing(
                index_elements=["request_id"]
            )
        elif self.db.dialect == "sqlite":
            statement = sqlite_insert(UsageRecord).on_conflict_do_nothing(
                index_elements=["request_id"]
            )
        else:
            statement = generic_insert(UsageRecord)
        with self.db.engine.begin() as connection:
            connection.execute(statement, rows)

    # -- recovery ----------------------------------------------------------------------------

    def recover(self) -> int:
        """Write the rows of journals no live process holds; delete those journals."""
        if not self.journal_dir.is_dir():
            return 0
        held = [fd for fd in map(_take, sorted(self.journal_dir.glob("journal-*.jsonl"))) if fd]
        events: list[UsageEvent] = []
        try:
            latest: dict[str, dict[str, Any]] = {}
            for path, _ in held:
                for entry in _read_journal(path):
                    request_id = entry["request_id"]
                    if entry["t"] == "d" or request_id not in latest:
                        latest[request_id] = entry
            for entry in latest.values():
                event = _event(entry)
                if entry["t"] == "a":
                    event = replace(event, status="interrupted")
                events.append(event)
            for start in range(0, len(events), self.batch_size):
                self._insert_events(events[start : start + self.batch_size])
            for path, _ in held:
                path.unlink(missing_ok=True)  # unlinked while still locked: nobody reads it
        finally:
            for _, fd in held:
                os.close(fd)
        return len(events)


_COLUMNS = (
    "request_id",
    "ts",
    "tenant",
    "project",
    "key_id",
    "deployment",
    "backend",
    "operation",
    "prompt_tokens",
    "completion_tokens",
    "latency_ms",
    "status",
    "cost_usd",
    "safety",
)


def _row_tuple(event: UsageEvent, dialect: str) -> tuple[Any, ...]:
    moment = datetime.fromtimestamp(event.ts, UTC)
    # SQLite keeps SQLAlchemy's DateTime text format; PostgreSQL takes the datetime.
    ts: Any = moment.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else moment
    return (
        event.request_id,
        ts,
        event.tenant,
        event.project,
        event.key_id,
        event.deployment,
        event.backend,
        event.operation,
        event.prompt_tokens,
        event.completion_tokens,
        event.latency_ms,
        event.status,
        event.cost_usd,
        event.safety,
    )


def _event(entry: dict[str, Any]) -> UsageEvent:
    fields = {k: v for k, v in entry.items() if k != "t"}
    return UsageEvent(**fields)


def _read_journal(path: Path) -> list[dict[str, Any]]:
    entries = []
    for line in path.read_bytes().splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a crash
    return entries


def _take(path: Path) -> tuple[Path, int] | None:
    """Lock a journal whose writer is gone (its lock went with it); None if one holds it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None  # replayed and removed by another process meanwhile
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    if not path.exists():  # replayed and removed between our open and our lock
        os.close(fd)
        return None
    return path, fd


_HOST = "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:32] or "host"


def now() -> float:
    """Wall-clock seconds for ledger timestamps."""
    return time.time()


__all__ = ["UsageEvent", "UsageLedger", "now"]
