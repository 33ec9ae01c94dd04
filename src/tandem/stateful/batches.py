"""Batches of /v1/batches: a JSONL file of requests, run in the background by every
replica's worker (see batch_queue), durable across restarts."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from tandem.errors import InvalidRequestError
from tandem.governance.principal import Principal
from tandem.stateful.batch_lines import ENDPOINTS, LineSpec, parse_lines
from tandem.stateful.batch_queue import FINAL, BatchQueue
from tandem.stateful.batch_runner import principal_json
from tandem.stateful.batch_worker import BatchWorker
from tandem.stateful.files import FileStore
from tandem.stateful.ids import new_id, unix, utcnow
from tandem.store.engine import Database
from tandem.store.models import BatchJob, BatchLine
from tandem.store.owned import owned
from tandem.wire import JSONObject

WINDOW = timedelta(hours=24)
INSERT_CHUNK = 1000


class BatchService:
    """Create, read, list and cancel batches; the worker runs them."""

    def __init__(
        self,
        db: Database,
        files: FileStore,
        queue: BatchQueue,
        worker: BatchWorker,
        max_lines: int,
    ) -> None:
        self.db = db
        self.files = files
        self.queue = queue
        self.worker = worker
        self.max_lines = max_lines

    async def create(
        self,
        principal: Principal,
        input_file_id: str,
        endpoint: str,
        window: str,
        metadata: dict[str, str] | None,
    ) -> JSONObject:
        """A batch over an uploaded file of purpose `batch`, queued at once."""
        if endpoint not in ENDPOINTS:
            raise InvalidRequestError(
                f"endpoint must be one of {', '.join(ENDPOINTS)}", param="endpoint"
            )
        if window != "24h":
            raise InvalidRequestError("completion_window must be '24h'", param="completion_window")
        stored, data = await self.files.content(principal.tenant, input_file_id)
        if stored.purpose != "batch":
            raise InvalidRequestError(
                f"file '{input_file_id}' has purpose '{stored.purpose}'; a batch's input file "
                "needs purpose 'batch'",
                param="input_file_id",
            )
        lines = await asyncio.to_thread(parse_lines, data, self.max_lines)
        now = utcnow()
        batch = BatchJob(
            id=new_id("batch", 24),
            tenant=principal.tenant,
            principal=principal_json(principal),
            endpoint=endpoint,
            input_file_id=input_file_id,
            completion_window=window,
            status="in_progress",
            metadata_=metadata,
            created_at=now,
            in_progress_at=now,
            expires_at=now + WINDOW,
        )
        await asyncio.to_thread(self._insert, batch, lines)
        self.worker.wake()
        return await self.view(principal.tenant, batch.id)

    def _insert(self, batch: BatchJob, lines: list[LineSpec]) -> None:
        # The batch and its lines appear together: no worker sees a half-written batch.
        with self.db.session() as session, session.begin():
            session.add(batch)
            session.flush()
            for start in range(0, len(lines), INSERT_CHUNK):
                session.execute(
                    insert(BatchLine),
                    [_line_row(batch.id, spec) for spec in lines[start : start + INSERT_CHUNK]],
                )

    def _row(self, batch_id: str) -> BatchJob | None:
        with self.db.session() as session:
            return session.get(BatchJob, batch_id)

    async def get(self, tenant: str, batch_id: str) -> BatchJob:
        """A batch of `tenant`, or 404."""
        row = await asyncio.to_thread(self._row, batch_id)
        return owned(row, tenant, "batch", batch_id, "batch_id")

    async def view(self, tenant: str, batch_id: str) -> JSONObject:
        """A batch as OpenAI shows it, with live request counts."""
        row = await self.get(tenant, batch_id)
        counts = row.request_counts
        if row.status not in FINAL or counts is None:
            counts = await asyncio.to_thread(self.queue.counts, row.id)
        return batch_object(row, counts)

    async def page(
        self, tenant: str, limit: int, after: str | None
    ) -> tuple[list[JSONObject], bool]:
        """A page of batches, newest first, and whether more follow."""

        def read() -> list[str]:
            query = (
                select(BatchJob.id)
                .where(BatchJob.tenant == tenant)
                .order_by(BatchJob.created_at.desc(), BatchJob.id.desc())
            )
            with self.db.session() as session:
                return list(session.scalars(query))

        ids = await asyncio.to_thread(read)
        if after in ids:
            ids = ids[ids.index(after) + 1 :]
        return [await self.view(tenant, i) for i in ids[:limit]], len(ids) > limit

    async def cancel(self, tenant: str, batch_id: str) -> JSONObject:
        """Stop claiming the batch's lines; it closes (cancelled) once those running end."""
        row = await self.get(tenant, batch_id)
        if row.status in FINAL:
            raise InvalidRequestError(
                f"the batch is {row.status} and cannot be cancelled", param="batch_id"
            )

        def write() -> None:
            with self.db.session() as session, session.begin():
                session.execute(
                    update(BatchJob)
                    .where(BatchJob.id == batch_id, BatchJob.status == "in_progress")
                    .values(status="cancelling", cancelling_at=utcnow())
                )

        await asyncio.to_thread(write)
        self.worker.wake()
        return await self.view(tenant, batch_id)


def _line_row(batch_id: str, spec: LineSpec) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "line": spec.line,
        "custom_id": spec.custom_id,
        "body": spec.body,
        "status": "pending" if spec.error is None else "error",
        "attempts": 0,
        "result": None if spec.error is None else {"response": None, "error": spec.error},
    }


def batch_object(row: BatchJob, counts: dict[str, int]) -> JSONObject:
    """A batch as OpenAI shows it."""
    return {
        "id": row.id,
        "object": "batch",
        "endpoint": row.endpoint,
        "errors": {"object": "list", "data": row.errors} if row.errors else None,
        "input_file_id": row.input_file_id,
        "completion_window": row.completion_window,
        "status": row.status,
        "output_file_id": row.output_file_id,
        "error_file_id": row.error_file_id,
        "created_at": unix(row.created_at),
        "in_progress_at": unix(row.in_progress_at),
        "expires_at": unix(row.expires_at),
        "finalizing_at": unix(row.finalizing_at),
        "completed_at": unix(row.completed_at),
        "failed_at": unix(row.failed_at),
        "expired_at": unix(row.expires_at) if row.status == "expired" else None,
        "cancelling_at": unix(row.cancelling_at),
        "cancelled_at": unix(row.cancelled_at),
        "request_counts": counts,
        "metadata": row.metadata_ or {},
    }
