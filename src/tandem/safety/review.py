"""The human review queue: blocked or flagged content waits here for a decision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select, update

from tandem.errors import InvalidRequestError
from tandem.store.engine import Database
from tandem.store.models import ReviewItem
from tandem.store.owned import owned

Decision = Literal["approved", "rejected"]


class ReviewQueue:
    """Queue, list, decide; content is dropped after the retention period."""

    def __init__(self, db: Database, retention_days: int) -> None:
        self.db = db
        self.retention_days = retention_days

    def submit(
        self,
        *,
        tenant: str,
        kind: str,
        content: str,
        findings: dict[str, Any],
        deployment: str = "",
        request_id: str = "",
    ) -> ReviewItem:
        """Queue an item for review."""
        row = ReviewItem(
            id=str(uuid.uuid4()),
            tenant=tenant,
            kind=kind,
            deployment=deployment,
            request_id=request_id,
            content=content[:20_000],
            findings=findings,
            status="pending",
            created_at=datetime.now(UTC),
        )
        with self.db.session() as session, session.begin():
            session.add(row)
        return row

    def list(
        self, tenant: str | None, status: str | None = "pending", limit: int = 100
    ) -> list[ReviewItem]:
        """Items of a tenant (None: every tenant), newest first."""
        query = select(ReviewItem).order_by(ReviewItem.created_at.desc()).limit(limit)
        if tenant is not None:
            query = query.where(ReviewItem.tenant == tenant)
        if status is not None:
            query = query.where(ReviewItem.status == status)
        with self.db.session() as session:
            return list(session.scalars(query))

    def get(self, item_id: str, tenant: str | None) -> ReviewItem:
        """One item, within `tenant` unless None."""
        with self.db.session() as session:
            return owned(session.get(ReviewItem, item_id), tenant, "review item", item_id, "id")

    def decide(
        self, item_id: str, tenant: str | None, decision: Decision, reviewer: str, note: str | None
    ) -> ReviewItem:
        """Approve or reject a pending item."""
        with self.db.session() as session, session.begin():
            row = owned(session.get(ReviewItem, item_id), tenant, "review item", item_id, "id")
            if row.status != "pending":
                raise InvalidRequestError(f"item already {row.status}", param="id")
            row.status = decision
            row.reviewer = reviewer
            row.note = note
            row.decided_at = datetime.now(UTC)
        return row

    def purge_expired(self) -> int:
        """Drop the stored content of items older than the retention period."""
        cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
        with self.db.session() as session, session.begin():
            result = session.execute(
                update(ReviewItem)
                .where(ReviewItem.created_at < cutoff, ReviewItem.content.is_not(None))
                .values(content=None)
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
