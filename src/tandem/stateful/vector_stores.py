"""OpenAI vector stores over Tandem knowledge bases: a vector store is a knowledge base
plus its name and metadata; an attached file is ingested in the background, its status
moving from in_progress to completed or failed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import closing
from typing import Any

from sqlalchemy import delete, func, select, update

from tandem.errors import InvalidRequestError, TandemError
from tandem.gateway.service import CallContext
from tandem.knowledge.service import KnowledgeService
from tandem.stateful.files import FileStore
from tandem.stateful.filters import check_filters, matches
from tandem.stateful.ids import new_id, unix, utcnow
from tandem.store.engine import Database
from tandem.store.models import VectorStoreFileBatchRow, VectorStoreFileRow, VectorStoreRow
from tandem.store.owned import owned
from tandem.wire import JSONObject

log = logging.getLogger(__name__)

VECTOR_PURPOSES = ("assistants", "user_data")
STATUSES = ("in_progress", "completed", "failed", "cancelled")
CHUNKING = {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}}
MAX_CANDIDATES = 50


class VectorStoreService:
    """Vector stores of a tenant, their files, and search."""

    def __init__(self, db: Database, files: FileStore, knowledge: KnowledgeService) -> None:
        self.db = db
        self.files = files
        self.knowledge = knowledge
        self._tasks: set[asyncio.Task[None]] = set()

    # -- vector stores ------------------------------------------------------------------------

    async def create(
        self,
        ctx: CallContext,
        name: str | None,
        metadata: dict[str, str] | None,
        file_ids: list[str],
    ) -> JSONObject:
        """A new vector store (its files start ingesting at once)."""
        tenant = ctx.principal.tenant
        for i, file_id in enumerate(file_ids):
            await self._attachable(tenant, file_id, f"file_ids[{i}]")
        kb_id = await asyncio.to_thread(
            self.knowledge.store.create, tenant, (name or "vector store")[:200]
        )
        now = utcnow()
        row = VectorStoreRow(
            id=new_id("vs", 32),
            tenant=tenant,
            name=name or "",
            knowledge_base=kb_id,
            metadata_=metadata,
            created_at=now,
            last_active_at=now,
        )
        await asyncio.to_thread(self._add, row)
        for file_id in file_ids:
            await self._attach(ctx, row, file_id, None, None)
        return await self.view(tenant, row.id)

    def _add(self, row: Any) -> None:
        with self.db.session() as session, session.begin():
            session.add(row)

    async def get(self, tenant: str, vector_store_id: str) -> VectorStoreRow:
        """A vector store of `tenant`, or 404."""

        def read() -> VectorStoreRow | None:
            with self.db.session() as session:
                return session.get(VectorStoreRow, vector_store_id)

        row = await asyncio.to_thread(read)
        return owned(row, tenant, "vector store", vector_store_id, "vector_store_id")

    async def view(self, tenant: str, vector_store_id: str) -> JSONObject:
        """A vector store as OpenAI shows it."""
        row = await self.get(tenant, vector_store_id)
        counts, used = await asyncio.to_thread(
            self._counts, VectorStoreFileRow.vector_store_id, row.id
        )
        return {
            "id": row.id,
            "object": "vector_store",
            "created_at": unix(row.created_at),
            "name": row.name,
            "usage_bytes": used,
            "file_counts": counts,
            "status": "in_progress" if counts["in_progress"] else "completed",
            "expires_after": None,
            "expires_at": None,
            "last_active_at": unix(row.last_active_at),
            "metadata": row.metadata_ or {},
        }

    def _counts(self, column: Any, value: str) -> tuple[dict[str, int], int]:
        query = (
            select(
                VectorStoreFileRow.status, func.count(), func.sum(VectorStoreFileRow.usage_bytes)
            )
            .where(column == value)
            .group_by(VectorStoreFileRow.status)
        )
        counts = dict.fromkeys(STATUSES, 0)
        used = 0
        with self.db.session() as session:
            for status, count, size in session.execute(query):
                counts[status] = int(count)
                used += int(size or 0)
        return {**counts, "total": sum(counts.values())}, used

    async def page(
        self, tenant: str, limit: int, order: str, after: str | None
    ) -> tuple[list[JSONObject], bool]:
        """A page of vector stores, and whether more follow."""

        def read() -> list[str]:
            query = select(VectorStoreRow.id).where(VectorStoreRow.tenant == tenant)
            created = VectorStoreRow.created_at
            query = query.order_by(created.desc() if order == "desc" else created)
            with self.db.session() as session:
                return list(session.scalars(query))

        ids: list[str] = await asyncio.to_thread(read)
        if after in ids:
            ids = ids[ids.index(after) + 1 :]
        return [await self.view(tenant, i) for i in ids[:limit]], len(ids) > limit

    async def modify(
        self, tenant: str, vector_store_id: str, name: str | None, metadata: dict[str, str] | None
    ) -> JSONObject:
        """Rename a vector store or replace its metadata."""
        await self.get(tenant, vector_store_id)
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if metadata is not None:
            values["metadata_"] = metadata

        def write() -> None:
            if values:
                with self.db.session() as session, session.begin():
                    session.execute(
                        update(VectorStoreRow)
                        .where(VectorStoreRow.id == vector_store_id)
                        .values(**values)
                    )

        await asyncio.to_thread(write)
        return await self.view(tenant, vector_store_id)

    async def delete(self, tenant: str, vector_store_id: str) -> JSONObject:
        """Delete a vector store and its knowledge base (the files themselves stay)."""
        row = await self.get(tenant, vector_store_id)

        def remove() -> None:
            with self.db.session() as session, session.begin():
                for table in (VectorStoreFileRow, VectorStoreFileBatchRow):
                    session.execute(delete(table).where(table.vector_store_id == row.id))
                session.execute(delete(VectorStoreRow).where(VectorStoreRow.id == row.id))
            # Already gone (another replica's data dir, say): nothing is left to free.
            with contextlib.suppress(TandemError):
                self.knowledge.store.delete(tenant, row.knowledge_base)

        await asyncio.to_thread(remove)
        return {"id": vector_store_id, "object": "vector_store.deleted", "deleted": True}

    # -- files --------------------------------------------------------------------------------

    async def _attachable(self, tenant: str, file_id: str, param: str) -> None:
        try:
            stored = await self.files.get(tenant, file_id)
        except TandemError as exc:
            exc.param = param
            raise
        if stored.purpose not in VECTOR_PURPOSES:
            raise InvalidRequestError(
                f"file '{file_id}' has purpose '{stored.purpose}'; vector stores take files "
                f"with purpose {' or '.join(VECTOR_PURPOSES)}",
                param=param,
            )

    async def attach(
        self,
        ctx: CallContext,
        vector_store_id: str,
        file_id: str,
        attributes: dict[str, Any] | None,
    ) -> JSONObject:
        """Attach a file; it is ingested in the background."""
        row = await self.get(ctx.principal.tenant, vector_store_id)
        await self._attachable(ctx.principal.tenant, file_id, "file_id")
        await self._attach(ctx, row, file_id, attributes, None)
        return await self.file_view(ctx.principal.tenant, vector_store_id, file_id)

    async def attach_batch(
        self,
        ctx: CallContext,
        vector_store_id: str,
        file_ids: list[str],
        attributes: dict[str, Any] | None,
    ) -> JSONObject:
        """Attach several files as one file batch."""
        tenant = ctx.principal.tenant
        row = await self.get(tenant, vector_store_id)
        for i, file_id in enumerate(file_ids):
            await self._attachable(tenant, file_id, f"file_ids[{i}]")
        batch = VectorStoreFileBatchRow(
            id=new_id("vsfb", 32), vector_store_id=row.id, tenant=tenant, created_at=utcnow()
        )
        await asyncio.to_thread(self._add, batch)
        for file_id in dict.fromkeys(file_ids):
            await self._attach(ctx, row, file_id, attributes, batch.id)
        return await self.batch_view(tenant, vector_store_id, batch.id)

    async def _attach(
        self,
        ctx: CallContext,
        store: VectorStoreRow,
        file_id: str,
        attributes: dict[str, Any] | None,
        batch_id: str | None,
    ) -> None:
        def write() -> None:
            with self.db.session() as session, session.begin():
                row = session.get(VectorStoreFileRow, (store.id, file_id))
                if row is None:
                    row = VectorStoreFileRow(
                        vector_store_id=store.id,
                        file_id=file_id,
                        tenant=store.tenant,
                        created_at=utcnow(),
                        usage_bytes=0,
                    )
                    session.add(row)
                row.status, row.batch_id, row.last_error = "in_progress", batch_id, None
                row.attributes = attributes

        await asyncio.to_thread(write)
        task = asyncio.create_task(self._ingest(ctx, store, file_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ingest(self, ctx: CallContext, store: VectorStoreRow, file_id: str) -> None:
        values: dict[str, Any]
        try:
            stored, data = await self.files.content(store.tenant, file_id)
            name = f"{file_id}-{stored.filename}"
            result = (await self.knowledge.ingest(ctx, store.knowledge_base, [(name, data)]))[0]
            if result.status == "failed":
                error = {"code": "invalid_file", "message": result.error or "ingestion failed"}
                values = {"status": "failed", "last_error": error}
            else:
                document = result.document_id or await asyncio.to_thread(
                    self._document_id, store, name
                )
                values = {"status": "completed", "document_id": document, "usage_bytes": len(data)}
        except asyncio.CancelledError:
            values = {"status": "cancelled"}
            await asyncio.shield(asyncio.to_thread(self._settle, store.id, file_id, values))
            raise
        except TandemError as exc:
            values = _failed(exc.message)
        except Exception:
            log.exception("vector store ingestion failed", extra={"file_id": file_id})
            values = _failed("ingestion failed")
        await asyncio.to_thread(self._settle, store.id, file_id, values)

    def _document_id(self, store: VectorStoreRow, name: str) -> str | None:
        with closing(self.knowledge.store.open(store.tenant, store.knowledge_base)) as kb:
            found = kb.find(name)
        return found.id if found else None

    def _settle(self, vector_store_id: str, file_id: str, values: dict[str, Any]) -> None:
        # A file cancelled (or detached) meanwhile stays as it is.
        with self.db.session() as session, session.begin():
            session.execute(
                update(VectorStoreFileRow)
                .where(VectorStoreFileRow.vector_store_id == vector_store_id)
                .where(VectorStoreFileRow.file_id == file_id)
                .where(VectorStoreFileRow.status == "in_progress")
                .values(**values)
            )

    async def file_view(self, tenant: str, vector_store_id: str, file_id: str) -> JSONObject:
        """One attached file as OpenAI shows it."""
        await self.get(tenant, vector_store_id)

        def read() -> VectorStoreFileRow | None:
            with self.db.session() as session:
                return session.get(VectorStoreFileRow, (vector_store_id, file_id))

        return _file_object(
            owned(await asyncio.to_thread(read), tenant, "file", file_id, "file_id")
        )

    async def file_list(
        self,
        tenant: str,
        vector_store_id: str,
        status: str | None,
        batch_id: str | None,
        limit: int,
        order: str,
        after: str | None,
    ) -> tuple[list[JSONObject], bool]:
        """A page of a vector store's files (optionally one status, or one file batch)."""
        await self.get(tenant, vector_store_id)

        def read() -> list[VectorStoreFileRow]:
            query = select(VectorStoreFileRow).where(
                VectorStoreFileRow.vector_store_id == vector_store_id
            )
            if status:
                query = query.where(VectorStoreFileRow.status == status)
            if batch_id:
                query = query.where(VectorStoreFileRow.batch_id == batch_id)
            created = VectorStoreFileRow.created_at
            query = query.order_by(created.desc() if order == "desc" else created)
            with self.db.session() as session:
                return list(session.scalars(query))

        rows = await asyncio.to_thread(read)
        ids = [r.file_id for r in rows]
        if after in ids:
            rows = rows[ids.index(after) + 1 :]
        return [_file_object(r) for r in rows[:limit]], len(rows) > limit

    async def detach(self, tenant: str, vector_store_id: str, file_id: str) -> JSONObject:
        """Remove a file from a vector store (and its chunks from the knowledge base)."""
        store = await self.get(tenant, vector_store_id)
        await self.file_view(tenant, vector_store_id, file_id)

        def remove() -> None:
            with self.db.session() as session, session.begin():
                row = session.get(VectorStoreFileRow, (vector_store_id, file_id))
                document = row.document_id if row else None
                session.execute(
                    delete(VectorStoreFileRow)
                    .where(VectorStoreFileRow.vector_store_id == vector_store_id)
                    .where(VectorStoreFileRow.file_id == file_id)
                )
            if document:
                kb = self.knowledge.store.open(tenant, store.knowledge_base)
                with closing(kb), contextlib.suppress(TandemError):  # the document went already
                    kb.delete(document)

        await asyncio.to_thread(remove)
        return {"id": file_id, "object": "vector_store.file.deleted", "deleted": True}

    async def batch_view(self, tenant: str, vector_store_id: str, batch_id: str) -> JSONObject:
        """A file batch as OpenAI shows it."""
        await self.get(tenant, vector_store_id)

        def read() -> tuple[VectorStoreFileBatchRow | None, dict[str, int]]:
            with self.db.session() as session:
                row = session.get(VectorStoreFileBatchRow, batch_id)
            return row, self._counts(VectorStoreFileRow.batch_id, batch_id)[0]

        row, counts = await asyncio.to_thread(read)
        if row is not None and row.vector_store_id != vector_store_id:
            row = None
        batch = owned(row, tenant, "file batch", batch_id, "batch_id")
        status = "in_progress" if counts["in_progress"] else "completed"
        if batch.cancelled:
            status = "cancelling" if counts["in_progress"] else "cancelled"
        return {
            "id": batch.id,
            "object": "vector_store.file_batch",
            "created_at": unix(batch.created_at),
            "vector_store_id": vector_store_id,
            "status": status,
            "file_counts": counts,
        }

    async def cancel_batch(self, tenant: str, vector_store_id: str, batch_id: str) -> JSONObject:
        """Stop a file batch: files not yet ingested are cancelled."""
        await self.batch_view(tenant, vector_store_id, batch_id)

        def write() -> None:
            with self.db.session() as session, session.begin():
                session.execute(
                    update(VectorStoreFileBatchRow)
                    .where(VectorStoreFileBatchRow.id == batch_id)
                    .values(cancelled=True)
                )
                session.execute(
                    update(VectorStoreFileRow)
                    .where(VectorStoreFileRow.batch_id == batch_id)
                    .where(VectorStoreFileRow.status == "in_progress")
                    .values(status="cancelled")
                )

        await asyncio.to_thread(write)
        return await self.batch_view(tenant, vector_store_id, batch_id)

    # -- search -------------------------------------------------------------------------------

    async def search(
        self,
        ctx: CallContext,
        vector_store_id: str,
        query: str,
        max_results: int,
        filters: JSONObject | None,
    ) -> list[JSONObject]:
        """Scored chunks with their file ids and attributes."""
        tenant = ctx.principal.tenant
        store = await self.get(tenant, vector_store_id)
        if filters is not None:
            check_filters(filters)
        top_k = min(MAX_CANDIDATES, max_results * 4 if filters else max_results)
        hits = await self.knowledge.search(ctx, store.knowledge_base, query, top_k)
        files = await asyncio.to_thread(self._files_by_document, store.id)
        results: list[JSONObject] = []
        for hit in hits:
            row = files.get(hit.document_id)
            if row is None:
                continue  # a document added to the knowledge base some other way
            attributes = row.attributes or {}
            if filters is not None and not matches(filters, attributes):
                continue
            results.append(
                {
                    "file_id": row.file_id,
                    "filename": hit.document.removeprefix(f"{row.file_id}-"),
                    "score": round(min(1.0, max(0.0, hit.similarity)), 4),
                    "attributes": attributes,
                    "content": [{"type": "text", "text": hit.chunk}],
                }
            )
        await asyncio.to_thread(self._touch, store.id)
        return results[:max_results]

    def _files_by_document(self, vector_store_id: str) -> dict[str, VectorStoreFileRow]:
        query = select(VectorStoreFileRow).where(
            VectorStoreFileRow.vector_store_id == vector_store_id,
            VectorStoreFileRow.document_id.is_not(None),
        )
        with self.db.session() as session:
            return {r.document_id: r for r in session.scalars(query) if r.document_id}

    def _touch(self, vector_store_id: str) -> None:
        with self.db.session() as session, session.begin():
            session.execute(
                update(VectorStoreRow)
                .where(VectorStoreRow.id == vector_store_id)
                .values(last_active_at=utcnow())
            )

    async def start(self) -> None:
        """Files left in_progress by a stopped process failed: their ingestion is gone."""

        def write() -> None:
            error = {"code": "server_error", "message": "interrupted by a restart; attach it again"}
            with self.db.session() as session, session.begin():
                session.execute(
                    update(VectorStoreFileRow)
                    .where(VectorStoreFileRow.status == "in_progress")
                    .values(status="failed", last_error=error)
                )

        await asyncio.to_thread(write)

    async def stop(self) -> None:
        """Cancel ingestions still running."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _file_object(row: VectorStoreFileRow) -> JSONObject:
    return {
        "id": row.file_id,
        "object": "vector_store.file",
        "usage_bytes": row.usage_bytes,
        "created_at": unix(row.created_at),
        "vector_store_id": row.vector_store_id,
        "status": row.status,
        "last_error": row.last_error,
        "chunking_strategy": CHUNKING,
        "attributes": row.attributes or {},
    }


def _failed(message: str) -> dict[str, Any]:
    return {"status": "failed", "last_error": {"code": "server_error", "message": message}}
