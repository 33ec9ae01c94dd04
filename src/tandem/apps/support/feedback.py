"""Thumbs up or down on answers, and what a knowledge base's conversations add up to."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select

from tandem.apps.support.conversations import Conversations
from tandem.errors import InvalidRequestError
from tandem.store.models import SupportFeedback, SupportMessage, SupportTicket

Rating = Literal["up", "down"]
TOP_UNANSWERED = 10
WITH_AGENT = "with_agent"


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
                    message_id=message_id, tenant=tenant,
                    knowledge_base=message.knowledge_base,
                    conversation_id=message.conversation_id,
                )  # fmt: skip
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
                )
            ).all()
            ratings = dict(
                session.execute(
                    select(SupportFeedback.rating, func.count())
                    .where(
                        SupportFeedback.tenant == tenant,
                        SupportFeedback.knowledge_base == knowledge_base,
                    )
                    .group_by(SupportFeedback.rating)
                ).all()
            )
            tickets = dict(
                session.execute(
                    select(SupportTicket.status, func.count())
                    .where(
                        SupportTicket.tenant == tenant,
                        SupportTicket.knowledge_base == knowledge_base,
                    )
                    .group_by(SupportTicket.status)
                ).all()
            )
            downvoted = session.scalars(
                select(SupportMessage.question)
                .join(SupportFeedback, SupportFeedback.message_id == SupportMessage.id)
                .where(
                    SupportFeedback.tenant == tenant,
                    SupportFeedback.knowledge_base == knowledge_base,
                    SupportFeedback.rating == "down",
                )
            ).all()
        # Messages sent while people have the conversation are theirs to answer, not questions.
        asked = [(r, q) for r, q in answers if r != WITH_AGENT]
        reasons = Counter(r for r, _ in asked if r)
        unanswered: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for question in [q for r, q in asked if r == "no_evidence"] + list(downvoted):
            if question:
                key = _normalise(question)
                unanswered[key] += 1
                shown.setdefault(key, question.strip())
        total = len(asked)
        handoffs = sum(reasons.values())
        return {
            "object": "support.analytics",
            "knowledge_base": knowledge_base,
            "questions": total,
            "answered": total - handoffs,
            "handoffs": handoffs,
            "handoff_rate": round(handoffs / total, 4) if total else 0.0,
            "handoff_reasons": dict(reasons),
            "tickets": {s: int(tickets.get(s, 0)) for s in ("open", "claimed", "closed")},
            "feedback": {"up": int(ratings.get("up", 0)), "down": int(ratings.get("down", 0))},
            "top_unanswered": [
                {"question": shown[key], "count": count}
                for key, count in unanswered.most_common(TOP_UNANSWERED)
            ],
        }


def _normalise(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.lower()))
