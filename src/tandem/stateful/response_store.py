"""Stored responses and conversations in the platform database: any replica can continue
a chain or a conversation another one started."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import delete, select, update

from tandem.errors import NotFoundError
from tandem.stateful.ids import new_id, unix, utcnow
from tandem.store.engine import Database
from tandem.store.models import ConversationItemRow, ConversationRow, StoredResponse
from tandem.store.owned import owned
from tandem.wire import JSONObject

TERMINAL = frozenset({"completed", "incomplete", "failed", "cancelled"})


class ResponseStore:
    """Responses by id, per tenant."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, tenant: str, body: JSONObject, input_items: list[JSONObject]) -> None:
        """Insert or replace a response (its body and the input it saw)."""

        def write() -> None:
            now = utcnow()
            with self.db.session() as session, session.begin():
                row = session.get(StoredResponse, body["id"])
                if row is None:
                    row = StoredResponse(id=body["id"], tenant=tenant, created_at=now)
                    session.add(row)
                row.status = body["status"]
                row.previous_response_id = body.get("previous_response_id")
                row.input_items = input_items
                row.body = body
                row.updated_at = now

        await asyncio.to_thread(write)

    async def finish(self, body: JSONObject) -> bool:
        """Store a background response's outcome unless it was cancelled meanwhile."""

        def write() -> bool:
            with self.db.session() as session, session.begin():
                done = session.execute(
                    update(StoredResponse)
                    .where(StoredResponse.id == body["id"])
                    .where(StoredResponse.status.not_in(TERMINAL))
                    .values(status=body["status"], body=body, updated_at=utcnow())
                )
                return bool(getattr(done, "rowcount", 0))

        return await asyncio.to_thread(write)

    async def get(
        self, tenant: str, response_id: str, param: str = "response_id"
    ) -> StoredResponse:
        """A stored response of `tenant`, or 404."""

        def read() -> StoredResponse | None:
            with self.db.session() as session:
                return session.get(StoredResponse, response_id)

        row = await asyncio.to_thread(read)
        return owned(row, tenant, "response", response_id, param)

    async def delete(self, tenant: str, response_id: str) -> None:
        """Remove a stored response, or 404."""
        await self.get(tenant, response_id)

        def remove() -> None:
            with self.db.session() as session, session.begin():
                session.execute(delete(StoredResponse).where(StoredResponse.id == response_id))

        await asyncio.to_thread(remove)


def conversation_object(row: ConversationRow) -> JSONObject:
    """A conversation as OpenAI shows it."""
    return {
        "id": row.id,
        "object": "conversation",
        "created_at": unix(row.created_at),
        "metadata": row.metadata_ or {},
    }


class ConversationStore:
    """Conversations and their items, per tenant."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, tenant: str, metadata: dict[str, str] | None, items: list[JSONObject]
    ) -> ConversationRow:
        """A new conversation holding `items`."""

        def write() -> ConversationRow:
            row = ConversationRow(
                id=new_id("conv", 48), tenant=tenant, metadata_=metadata, created_at=utcnow()
            )
            with self.db.session() as session, session.begin():
                session.add(row)
                self._add(session, row.id, items)
            return row

        return await asyncio.to_thread(write)

    def _add(self, session: Any, conversation_id: str, items: list[JSONObject]) -> None:
        now = utcnow()
        for item in items:
            session.add(
                ConversationItemRow(
                    conversation_id=conversation_id, item_id=item["id"], item=item, created_at=now
                )
            )

    async def get(self, tenant: str, conversation_id: str) -> ConversationRow:
        """A conversation of `tenant`, or 404."""

        def read() -> ConversationRow | None:
            with self.db.session() as session:
                return session.get(ConversationRow, conversation_id)

        row = await asyncio.to_thread(read)
        return owned(row, tenant, "conversation", conversation_id, "conversation_id")

    async def update(
        self, tenant: str, conversation_id: str, metadata: dict[str, str]
    ) -> ConversationRow:
        """Replace a conversation's metadata."""
        await self.get(tenant, conversation_id)

        def write() -> ConversationRow:
            with self.db.session() as session, session.begin():
                row = session.get(ConversationRow, conversation_id)
                assert row is not None
                row.metadata_ = metadata
                return row

        return await asyncio.to_thread(write)

    async def delete(self, tenant: str, conversation_id: str) -> None:
        """Remove a conversation and its items."""
        await self.get(tenant, conversation_id)

        def remove() -> None:
            with self.db.session() as session, session.begin():
                session.execute(
                    delete(ConversationItemRow).where(
                        ConversationItemRow.conversation_id == conversation_id
                    )
                )
                session.execute(
                    delete(ConversationRow).where(ConversationRow.id == conversation_id)
                )

        await asyncio.to_thread(remove)

    async def append(self, tenant: str, conversation_id: str, items: list[JSONObject]) -> None:
        """Add items at the end."""
        await self.get(tenant, conversation_id)

        def write() -> None:
            with self.db.session() as session, session.begin():
                self._add(session, conversation_id, items)

        await asyncio.to_thread(write)

    async def items(self, tenant: str, conversation_id: str) -> list[JSONObject]:
        """Every item, oldest first."""
        await self.get(tenant, conversation_id)

        def read() -> list[JSONObject]:
            query = (
                select(ConversationItemRow.item)
                .where(ConversationItemRow.conversation_id == conversation_id)
                .order_by(ConversationItemRow.id)
            )
            with self.db.session() as session:
                return list(session.scalars(query))

        return await asyncio.to_thread(read)

    async def delete_item(self, tenant: str, conversation_id: str, item_id: str) -> None:
        """Remove one item, or 404."""
        await self.get(tenant, conversation_id)

        def remove() -> int:
            with self.db.session() as session, session.begin():
                done = session.execute(
                    delete(ConversationItemRow)
                    .where(ConversationItemRow.conversation_id == conversation_id)
                    .where(ConversationItemRow.item_id == item_id)
                )
                return int(getattr(done, "rowcount", 0))

        if not await asyncio.to_thread(remove):
            raise NotFoundError(f"no item '{item_id}'", param="item_id")
