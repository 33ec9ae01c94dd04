"""Thumbs up or down on answers, and what a knowledge base's conversations add up to."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tandem.apps.support.conversations import Conversations
from tandem.errors import InvalidRequestError
from tandem.store.models import SupportFeedback, SupportMessage, SupportTicket

Rating = Literal["up", "down"]
TOP_UNANSWERED = 10
WITH_AGENT = "with_agent"
UNANSWERED = ("no_evidence", "not_in_kb")  # handoffs because the documents do not say


class Feedback:
    """Feedback per answer (the latest rating counts) and per-knowledge-base analytics."""

    def __init__(self, conversations: Conversations) -> None:
        self.conversations = conversations
        self.db = conversations.db

    def rate(self, tenant: str, message_id: str, rating: Rating, comment: str) -> SupportFeedback:
        """Record a rating of one assistant answer."""
        message = self.conversations.message(tenant, message_id)
        if message.role != "assistant":
            raise InvalidRequestError("only assistant answers can be rated", param="message_id")
        with self.db.session() as session, session.begin():
            row = session.get(SupportFeedback, message_id)
            if row is None:
                row = SupportFeedback(
                    message_id=message_id,
                    tenant=tenant,
                    knowledge_base=message.knowledge_base,
                    conversation_id=message.conversation_id,
                )
                session.add(row)
            row.rating, row.comment = rating, comment[:4000]
            row.created_at = datetime.now(UTC)
        return row

    def analytics(self, tenant: str, knowledge_base: str) -> dict[str, Any]:
        """Questions, answers, handoffs by reason, feedback and the top unanswered questions."""
        with self.db.session() as session:
            answers = session.execute(
                select(SupportMessage.handoff_reason, SupportMessage.question).where(
                    SupportMessage.tenant == tenant,
                    SupportMessage.knowledge_base == knowledge_base,
                    SupportMessage.role == "assistant",
                    # Sent while people have the conversation: theirs to answer, not questions.
                    or_(
                        SupportMessage.handoff_reason.is_(None),
                        SupportMessage.handoff_reason != WITH_AGENT,
                    ),
                )
            ).all()
            scope = (tenant, knowledge_base)
            ratings = _counts(session, SupportFeedback, SupportFeedback.rating, *scope)
            tickets = _counts(session, SupportTicket, SupportTicket.status, *scope)
            downvoted = session.scalars(
                select(SupportMessage.question)
                .join(SupportFeedback, SupportFeedback.message_id == SupportMessage.id)
                .where(
                    SupportFeedback.tenant == tenant,
                    SupportFeedback.knowledge_base == knowledge_base,
                    SupportFeedback.rating == "down",
                )
            ).all()
        reasons = Counter(r for r, _ in answers if r)
        total = len(answers)
        handoffs = sum(reasons.values())
        unanswered = [q for r, q in answers if r in UNANSWERED] + list(downvoted)
        return {
            "object": "support.analytics",
            "knowledge_base": knowledge_base,
            "questions": total,
            "answered": total - handoffs,
            "handoffs": handoffs,
            "handoff_rate": round(handoffs / total, 4) if total else 0.0,
            "handoff_reasons": dict(reasons),
            "tickets": {s: tickets.get(s, 0) for s in ("open", "claimed", "closed")},
            "feedback": {"up": ratings.get("up", 0), "down": ratings.get("down", 0)},
            "top_unanswered": _most_asked(unanswered),
        }


def _counts(
    session: Session,
    table: type[SupportFeedback | SupportTicket],
    column: Any,
    tenant: str,
    knowledge_base: str,
) -> dict[str, int]:
    """Rows of a knowledge base's `table` counted by `column`."""
    query = (
        select(column, func.count())
        .where(table.tenant == tenant, table.knowledge_base == knowledge_base)
        .group_by(column)
    )
    return {str(value): int(count) for value, count in session.execute(query).all()}


def _most_asked(questions: list[str | None]) -> list[dict[str, Any]]:
    """The most frequent questions (the same words, whatever the case and punctuation)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for question in questions:
        if question:
            key = " ".join(re.findall(r"[a-z0-9]+", question.lower()))
            counts[key] += 1
            shown.setdefault(key, question.strip())
    return [{"question": shown[k], "count": n} for k, n in counts.most_common(TOP_UNANSWERED)]
