"""JSON views of support rows."""

from __future__ import annotations

from typing import Any

from tandem.store.models import SupportMessage, SupportTicket, WidgetKey


def message_view(row: SupportMessage) -> dict[str, Any]:
    """A message as clients see it."""
    return {
        "id": row.id,
        "object": "support.message",
        "seq": row.seq,
        "role": row.role,
        "content": row.content,
        "citations": row.citations,
        "handoff_reason": row.handoff_reason,
        "author": row.author,
        "created_at": row.created_at.isoformat(),
    }


def ticket_view(row: SupportTicket) -> dict[str, Any]:
    """A ticket as agents see it."""
    return {
        "id": row.id,
        "object": "support.ticket",
        "knowledge_base": row.knowledge_base,
        "conversation_id": row.conversation_id,
        "reason": row.reason,
        "subject": row.subject,
        "status": row.status,
        "agent": row.agent,
        "created_at": row.created_at.isoformat(),
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
    }


def widget_key_view(row: WidgetKey) -> dict[str, Any]:
    """A widget key without its secret."""
    return {
        "id": row.id,
        "object": "support.widget_key",
        "knowledge_base": row.knowledge_base,
        "allowed_origins": row.allowed_origins,
        "name": row.name,
        "created_at": row.created_at.isoformat(),
        "revoked": row.revoked_at is not None,
    }
