"""The handoff queue: tickets that people list, claim, answer and close."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tandem.apps.support.conversations import Conversations, new_id
from tandem.errors import InvalidRequestError, NotFoundError
from tandem.governance.keys import KeyStore
from tandem.governance.principal import Principal
from tandem.store.models import SupportMessage, SupportTicket
from tandem.store.owned import owned

TicketStatus = Literal["open", "claimed", "closed"]
PARAM = "ticket_id"


class Tickets:
    """Tickets over conversations; replies land in the customer's conversation."""

    def __init__(self, conversations: Conversations) -> None:
        self.conversations = conversations
        self.db = conversations.db

    def open(
        self, tenant: str, knowledge_base: str, conversation_id: str, reason: str, subject: str
    ) -> SupportTicket:
        """A ticket for the conversation (its unclosed one, if it already has one)."""
        with self.db.session() as session, session.begin():
            existing = session.scalar(_unclosed(conversation_id))
            if existing is not None:
                return existing
            row = SupportTicket(
                id=new_id("tkt"),
                tenant=tenant,
                knowledge_base=knowledge_base,
                conversation_id=conversation_id,
                reason=reason,
                subject=subject[:2000],
                status="open",
                created_at=datetime.now(UTC),
            )
            session.add(row)
        self.conversations.set_status(conversation_id, "with_agent")
        return row

    def current(self, conversation_id: str) -> SupportTicket | None:
        """The conversation's ticket that is not closed, if any."""
        with self.db.session() as session:
            return session.scalar(_unclosed(conversation_id))

    def list(
        self,
        tenant: str,
        status: TicketStatus | None = None,
        knowledge_base: str | None = None,
        limit: int = 100,
    ) -> list[SupportTicket]:
        """Tickets of a tenant, oldest waiting first."""
        query = select(SupportTicket).where(SupportTicket.tenant == tenant)
        if status is not None:
            query = query.where(SupportTicket.status == status)
        if knowledge_base is not None:
            query = query.where(SupportTicket.knowledge_base == knowledge_base)
        with self.db.session() as session:
            return list(session.scalars(query.order_by(SupportTicket.created_at).limit(limit)))

    def get(self, tenant: str, ticket_id: str) -> SupportTicket:
        """One ticket of `tenant`, or 404."""
        with self.db.session() as session:
            return owned(session.get(SupportTicket, ticket_id), tenant, "ticket", ticket_id, PARAM)

    def claim(self, tenant: str, ticket_id: str, agent: str) -> SupportTicket:
        """Take an open ticket (claiming your own claimed ticket again is a no-op)."""
        with self.db.session() as session, session.begin():
            row = _open_for_update(session, tenant, ticket_id)
            if row.status == "claimed" and row.agent != agent:
                raise InvalidRequestError(f"already claimed by {row.agent}", param=PARAM)
            row.status, row.agent = "claimed", agent
            row.claimed_at = row.claimed_at or datetime.now(UTC)
        return row

    def reply(self, tenant: str, ticket_id: str, agent: str, text: str) -> SupportMessage:
        """An agent's message to the customer; replying claims an open ticket."""
        if not text.strip():
            raise InvalidRequestError("the reply is empty", param="text")
        ticket = self.claim(tenant, ticket_id, agent)
        conversation = self.conversations.get(tenant, ticket.conversation_id)
        return self.conversations.append(conversation, "agent", text.strip(), author=agent)

    def close(self, tenant: str, ticket_id: str, agent: str) -> SupportTicket:
        """Close a ticket; the assistant answers the conversation again."""
        with self.db.session() as session, session.begin():
            row = _open_for_update(session, tenant, ticket_id)
            row.status, row.closed_at = "closed", datetime.now(UTC)
            row.agent = row.agent or agent
        self.conversations.set_status(row.conversation_id, "active")
        return row


def _unclosed(conversation_id: str) -> Select[SupportTicket]:
    return select(SupportTicket).where(
        SupportTicket.conversation_id == conversation_id, SupportTicket.status != "closed"
    )


def _open_for_update(session: Session, tenant: str, ticket_id: str) -> SupportTicket:
    """A ticket of `tenant` that is not closed, locked for the rest of the transaction."""
    row = owned(
        session.get(SupportTicket, ticket_id, with_for_update=True),
        tenant,
        "ticket",
        ticket_id,
        PARAM,
    )
    if row.status == "closed":
        raise InvalidRequestError("the ticket is closed", param=PARAM)
    return row


def agent_name(principal: Principal, keys: KeyStore, named: str | None = None) -> str:
    """The agent as people know them: the name given, else the API key's name (an id such
    as `key:af4ae...` means nothing in a queue), else the audit log's name for the caller.
    Reads the key: call it from a thread."""
    if named:
        return named
    if principal.key_id:
        try:
            key = keys.get(principal.key_id, principal.tenant)
        except NotFoundError:
            key = None
        if key is not None and key.name:
            return str(key.name)
    return principal.actor
