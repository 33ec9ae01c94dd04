"""The batch job queue on the platform database.

Lines are claimed with a lease: on PostgreSQL with `SELECT ... FOR UPDATE SKIP LOCKED`
(replicas never wait on each other's rows), on SQLite with one atomic UPDATE (SQLite has
one writer at a time). A replica renews the leases of lines it is running; a line whose
lease ran out (its replica died) is claimed again by whoever comes next. Results are
written only by the lease's owner, so a line taken over is never recorded twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import OperationalError

from tandem.stateful.files import OUTPUT_PURPOSE
from tandem.stateful.ids import aware, new_id, utcnow
from tandem.store.engine import Database
from tandem.store.models import BatchJob, BatchLine, StoredFile
from tandem.wire import JSONObject

FINAL = frozenset({"completed", "failed", "cancelled", "expired"})


@dataclass(frozen=True)
class Claimed:
    """A line this replica now holds."""

    id: int
    batch_id: str
    line: int
    custom_id: str
    body: JSONObject
    attempts: int


class BatchQueue:
    """Claim, renew, settle and finalize batch lines."""

    def __init__(self, db: Database, owner: str, lease_s: float) -> None:
        self.db = db
        self.owner = owner
        self.lease_s = lease_s

    def _until(self) -> datetime:
        return utcnow() + timedelta(seconds=self.lease_s)

    def batch(self, batch_id: str) -> BatchJob | None:
        """A batch's row."""
        with self.db.session() as session:
            return session.get(BatchJob, batch_id)

    def recover(self, prefix: str) -> int:
        """Lines a previous process with our stable prefix held go back to the queue at
        once (no need to wait for their leases)."""
        with self.db.session() as session, session.begin():
            done = session.execute(
                update(BatchLine)
                .where(BatchLine.status == "running")
                .where(BatchLine.lease_owner.like(f"{prefix}:%"))
                .where(BatchLine.lease_owner != self.owner)
                .values(status="pending", lease_owner=None, lease_until=None)
            )
        return int(getattr(done, "rowcount", 0))

    def claim(self, n: int) -> list[Claimed]:
        """Up to `n` lines to run now (oldest batch first)."""
        now = utcnow()
        waiting = or_(
            and_(
                BatchLine.status == "pending",
                or_(BatchLine.lease_until.is_(None), BatchLine.lease_until <= now),
            ),
            and_(BatchLine.status == "running", BatchLine.lease_until < now),
        )
        candidates = (
            select(BatchLine.id)
            .join(BatchJob, BatchJob.id == BatchLine.batch_id)
            .where(BatchJob.status == "in_progress", waiting)
            .order_by(BatchJob.created_at, BatchLine.line)
            .limit(n)
        )
        if self.db.dialect == "postgresql":
            # Rows another replica is claiming right now are skipped, not waited for.
            candidates = candidates.with_for_update(of=BatchLine, skip_locked=True)
        # On SQLite the one statement runs under the database's single write lock.
        statement = (
            update(BatchLine)
            .where(BatchLine.id.in_(candidates.scalar_subquery()))
            .values(
                status="running",
                lease_owner=self.owner,
                lease_until=self._until(),
                attempts=BatchLine.attempts + 1,
            )
            .returning(
                BatchLine.id,
                BatchLine.batch_id,
                BatchLine.line,
                BatchLine.custom_id,
                BatchLine.body,
                BatchLine.attempts,
            )
        )
        try:
            with self.db.session() as session, session.begin():
                rows = list(session.execute(statement))
        except OperationalError:
            return []  # SQLite busy with another process's write: the next poll tries again
        return [Claimed(r[0], r[1], r[2], r[3], r[4] or {}, r[5]) for r in rows]

    def renew(self, ids: list[int]) -> None:
        """Extend the leases of lines still running here."""
        if not ids:
            return
        with self.db.session() as session, session.begin():
            session.execute(
                update(BatchLine)
                .where(BatchLine.id.in_(ids), BatchLine.lease_owner == self.owner)
                .values(lease_until=self._until())
            )

    def settle(self, line_id: int, status: str, result: JSONObject) -> bool:
        """Record a line's outcome (only while we hold its lease)."""
        return self._fenced(line_id, status=status, result=result, lease_until=None)

    def retry_later(self, line_id: int, delay_s: float) -> bool:
        """Put a line back, not to be claimed for `delay_s`."""
        until = utcnow() + timedelta(seconds=delay_s)
        return self._fenced(line_id, status="pending", lease_until=until)

    def _fenced(self, line_id: int, **values: Any) -> bool:
        with self.db.session() as session, session.begin():
            done = session.execute(
                update(BatchLine)
                .where(BatchLine.id == line_id)
                .where(BatchLine.lease_owner == self.owner, BatchLine.status == "running")
                .values(lease_owner=None, **values)
            )
        return bool(getattr(done, "rowcount", 0))

    def ready_to_finalize(self) -> list[str]:
        """Batches with nothing left to run (or whose finalizer's lease ran out)."""
        now = utcnow()
        open_lines = exists().where(
            BatchLine.batch_id == BatchJob.id,
            or_(
                BatchLine.status == "running",
                and_(BatchJob.status == "in_progress", BatchLine.status == "pending"),
            ),
        )
        free = or_(BatchJob.lease_until.is_(None), BatchJob.lease_until < now)
        query = select(BatchJob.id).where(
            free,
            or_(
                and_(BatchJob.status.in_(("in_progress", "cancelling")), ~open_lines),
                BatchJob.status == "finalizing",
            ),
        )
        with self.db.session() as session:
            return list(session.scalars(query.limit(20)))

    def expire(self) -> None:
        """Lines of batches past their completion window will not run."""
        error = {"code": "batch_expired", "message": "the batch's completion window ended"}
        with self.db.session() as session, session.begin():
            late = select(BatchJob.id).where(
                BatchJob.status == "in_progress", BatchJob.expires_at < utcnow()
            )
            session.execute(
                update(BatchLine)
                .where(BatchLine.batch_id.in_(late), BatchLine.status == "pending")
                .values(status="error", result={"error": error})
            )

    def finalize(self, batch_id: str) -> bool:
        """Write the output and error files and close the batch, if we win its lease."""
        with self.db.session() as session, session.begin():
            won = session.execute(
                update(BatchJob)
                .where(BatchJob.id == batch_id)
                .where(BatchJob.status.in_(("in_progress", "cancelling", "finalizing")))
                .where(or_(BatchJob.lease_until.is_(None), BatchJob.lease_until < utcnow()))
                .values(lease_owner=self.owner, lease_until=self._until())
            )
        if not getattr(won, "rowcount", 0):
            return False
        with self.db.session() as session, session.begin():
            batch = session.get(BatchJob, batch_id)
            assert batch is not None
            if batch.status == "in_progress":
                batch.status, batch.finalizing_at = "finalizing", utcnow()
                session.flush()
            self._close(session, batch)
        return True

    def _close(self, session: Any, batch: BatchJob) -> None:
        lines = session.execute(
            select(BatchLine.line, BatchLine.custom_id, BatchLine.status, BatchLine.result)
            .where(BatchLine.batch_id == batch.id)
            .order_by(BatchLine.line)
        ).all()
        output, errors = bytearray(), bytearray()
        counts = {"total": len(lines), "completed": 0, "failed": 0}
        for line, custom_id, status, result in lines:
            if status not in ("ok", "error"):
                continue  # not run: the batch was cancelled first
            record = {
                "id": f"batch_req_{batch.id[6:]}_{line}",
                "custom_id": custom_id,
                "response": (result or {}).get("response"),
                "error": (result or {}).get("error"),
            }
            target = output if status == "ok" else errors
            target += orjson.dumps(record) + b"\n"
            counts["completed" if status == "ok" else "failed"] += 1
        now = utcnow()
        batch.output_file_id = self._file(session, batch, "output", bytes(output))
        batch.error_file_id = self._file(session, batch, "error", bytes(errors))
        batch.request_counts = counts
        if batch.status == "cancelling":
            batch.status, batch.cancelled_at = "cancelled", now
        elif aware(batch.expires_at) < now:
            batch.status = "expired"
        else:
            batch.status, batch.completed_at = "completed", now
        batch.lease_owner, batch.lease_until = None, None

    def _file(self, session: Any, batch: BatchJob, kind: str, data: bytes) -> str | None:
        if not data:
            return None
        row = StoredFile(
            id=new_id("file", 24),
            tenant=batch.tenant,
            purpose=OUTPUT_PURPOSE,
            filename=f"{batch.id}_{kind}.jsonl",
            size=len(data),
            status="processed",
            created_at=utcnow(),
            data=data,
        )
        session.add(row)
        return row.id

    def counts(self, batch_id: str) -> dict[str, int]:
        """Live request counts of a batch."""
        query = (
            select(BatchLine.status, func.count())
            .where(BatchLine.batch_id == batch_id)
            .group_by(BatchLine.status)
        )
        with self.db.session() as session:
            by_status = {status: int(n) for status, n in session.execute(query)}
        return {
            "total": sum(by_status.values()),
            "completed": by_status.get("ok", 0),
            "failed": by_status.get("error", 0),
        }
