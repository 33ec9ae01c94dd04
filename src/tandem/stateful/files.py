"""Files of /v1/files: bytes in the platform database (any replica can read a batch's
input or a vector store's file), per tenant, with size limits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Literal, get_args

from sqlalchemy import delete, func, select
from sqlalchemy.orm import undefer

from tandem.errors import InvalidRequestError, PayloadTooLargeError
from tandem.stateful.ids import aware, new_id, unix, utcnow
from tandem.store.engine import Database
from tandem.store.models import StoredFile
from tandem.store.owned import owned
from tandem.wire import JSONObject

Purpose = Literal["batch", "assistants", "user_data", "evals"]
PURPOSES: tuple[str, ...] = get_args(Purpose)
OUTPUT_PURPOSE = "batch_output"
MAX_FILENAME = 512


def file_object(row: StoredFile) -> JSONObject:
    """A file as OpenAI shows it."""
    return {
        "id": row.id,
        "object": "file",
        "bytes": row.size,
        "created_at": unix(row.created_at),
        "expires_at": unix(row.expires_at),
        "filename": row.filename,
        "purpose": row.purpose,
        "status": row.status,
        "status_details": None,
    }


class FileStore:
    """Upload, list, read and delete a tenant's files."""

    def __init__(self, db: Database, max_bytes: int, tenant_bytes: int) -> None:
        self.db = db
        self.max_bytes = max_bytes
        self.tenant_bytes = tenant_bytes

    async def create(
        self,
        tenant: str,
        filename: str,
        purpose: str,
        data: bytes,
        expires_after_s: int | None = None,
    ) -> StoredFile:
        """Store an upload (purpose checked, limits applied)."""
        if purpose not in PURPOSES:  # batch_output files are written by batches alone
            raise InvalidRequestError(
                f"purpose must be one of {', '.join(PURPOSES)}, not '{purpose[:64]}'",
                param="purpose",
            )
        if len(data) > self.max_bytes:
            raise PayloadTooLargeError(f"files are at most {self.max_bytes} bytes")
        if not data:
            raise InvalidRequestError("the file is empty", param="file")
        name = (filename or "file").replace("\x00", "")[:MAX_FILENAME]
        return await asyncio.to_thread(self._insert, tenant, name, purpose, data, expires_after_s)

    def _insert(
        self, tenant: str, name: str, purpose: str, data: bytes, expires_after_s: int | None
    ) -> StoredFile:
        created = utcnow()
        row = StoredFile(
            id=new_id("file", 24),
            tenant=tenant,
            purpose=purpose,
            filename=name,
            size=len(data),
            status="processed",
            created_at=created,
            data=data,
            expires_at=created + timedelta(seconds=expires_after_s) if expires_after_s else None,
        )
        with self.db.session() as session, session.begin():
            used = session.scalar(
                select(func.coalesce(func.sum(StoredFile.size), 0)).where(
                    StoredFile.tenant == tenant
                )
            )
            if int(used or 0) + len(data) > self.tenant_bytes:
                raise PayloadTooLargeError(
                    f"the tenant's files would exceed {self.tenant_bytes} bytes; delete some first"
                )
            session.add(row)
        return row

    async def get(self, tenant: str, file_id: str) -> StoredFile:
        """A file's record, or 404."""
        return await asyncio.to_thread(self._get, tenant, file_id, False)

    async def content(self, tenant: str, file_id: str) -> tuple[StoredFile, bytes]:
        """A file's record and bytes, or 404."""
        row = await asyncio.to_thread(self._get, tenant, file_id, True)
        return row, row.data

    def _get(self, tenant: str, file_id: str, with_data: bool) -> StoredFile:
        query = select(StoredFile).where(StoredFile.id == file_id)
        if with_data:
            query = query.options(undefer(StoredFile.data))
        with self.db.session() as session:
            row = session.scalars(query).first()
        if row is not None and row.expires_at is not None and aware(row.expires_at) < utcnow():
            row = None  # expired: gone, as far as the client can tell
        return owned(row, tenant, "file", file_id, "file_id")

    async def page(
        self, tenant: str, purpose: str | None, limit: int, order: str, after: str | None
    ) -> tuple[list[StoredFile], bool]:
        """A page of a tenant's files, and whether more follow."""
        return await asyncio.to_thread(self._page, tenant, purpose, limit, order, after)

    def _page(
        self, tenant: str, purpose: str | None, limit: int, order: str, after: str | None
    ) -> tuple[list[StoredFile], bool]:
        query: Any = select(StoredFile).where(StoredFile.tenant == tenant)
        if purpose:
            query = query.where(StoredFile.purpose == purpose)
        newest = order == "desc"
        with self.db.session() as session:
            if after:
                anchor = session.get(StoredFile, after)
                if anchor is not None and anchor.tenant == tenant:
                    query = query.where(_beyond(anchor, newest))
            sort = (
                (StoredFile.created_at.desc(), StoredFile.id.desc())
                if newest
                else (StoredFile.created_at, StoredFile.id)
            )
            rows = list(session.scalars(query.order_by(*sort).limit(limit + 1)))
        return rows[:limit], len(rows) > limit

    async def delete(self, tenant: str, file_id: str) -> None:
        """Remove a file, or 404."""
        await self.get(tenant, file_id)

        def remove() -> None:
            with self.db.session() as session, session.begin():
                session.execute(delete(StoredFile).where(StoredFile.id == file_id))

        await asyncio.to_thread(remove)


def _beyond(anchor: StoredFile, newest: bool) -> Any:
    """Rows after `anchor` in the listing's order (created_at, then id)."""
    created, ident = StoredFile.created_at, StoredFile.id
    if newest:
        return (created < anchor.created_at) | (
            (created == anchor.created_at) & (ident < anchor.id)
        )
    return (created > anchor.created_at) | ((created == anchor.created_at) & (ident > anchor.id))
