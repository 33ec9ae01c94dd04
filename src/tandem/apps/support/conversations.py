"""Support conversations and their messages, in the platform's database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from tandem.store.engine import Database
from tandem.store.models import SupportConversation, SupportMessage
from tandem.store.owned import owned

MAX_HISTORY = 200


def new_id(prefix: str) -> str:
    """A random id such as `conv_1f2e...`."""
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


class Conversations:
    """Start, find and extend conversations; each belongs to one tenant and knowledge base."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, tenant: str, knowledge_base: str, channel: str) -> SupportConversation:
        """A new, empty conversation."""
        now = datetime.now(UTC)
        row = SupportConversation(
            id=new_id("conv"),
            tenant=tenant,
            knowledge_base=knowledge_base,
            channel=channel,
            status="active",
            created_at=now,
            updated_at=now,
        )
        with self.db.session() as session, session.begin():
            session.add(row)
        return row

    def get(self, tenant: str, conversation_id: str) -> SupportConversation:
        """A conversation of `tenant`, or 404."""
        with self.db.session() as session:
            row = session.get(SupportConversation, conversation_id)
        return owned(row, tenant, "conversation", conversation_id, "conversation_id")

    def set_status(self, conversation_id: str, status: str) -> None:
        """Mark a conversation active (the assistant answers) or with_agent (people do)."""
        with self.db.session() as session, session.begin():
            session.execute(
                update(SupportConversation)
                .where(SupportConversation.id == conversation_id)
                .values(status=status, updated_at=datetime.now(UTC))
            )

    def append(
        self, conversation: SupportConversation, role: str, content: str, **fields: Any
    ) -> SupportMessage:
        """Add a message (role user, assistant or agent) at the end of the conversation."""
        with self.db.session() as session, session.begin():
            last = session.scalar(
                select(func.max(SupportMessage.seq)).where(
                    SupportMessage.conversation_id == conversation.id
                )
            )
            row = SupportMessage(
                id=new_id("msg"),
                seq=(last or 0) + 1,
                conversation_id=conversation.id,
                tenant=conversation.tenant,
                knowledge_base=conversation.knowledge_base,
                role=role,
                content=content,
                created_at=datetime.now(UTC),
                citations=fields.pop("citations", []),
                **fields,
            )
            session.add(row)
            session.execute(
                update(SupportConversation)
                .where(SupportConversation.id == conversation.id)
                .values(updated_at=row.created_at)
            )
        return row

    def messages(self, conversation_id: str, after: int = 0) -> list[SupportMessage]:
        """Messages after sequence number `after`, oldest first (at most the last 200)."""
        query = (
            select(SupportMessage)
            .where(SupportMessage.conversation_id == conversation_id, SupportMessage.seq > after)
            .order_by(SupportMessage.seq.desc())
            .limit(MAX_HISTORY)
        )
        with self.db.session() as session:
            return list(reversed(list(session.scalars(query))))

    def message(self, tenant: str, message_id: str) -> SupportMessage:
        """One message of `tenant`, or 404."""
        with self.db.session() as session:
            row = session.get(SupportMessage, message_id)
        return owned(row, tenant, "message", message_id, "message_id")
