"""Assessments per tenant in the platform database; another tenant's is a 404."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tandem.apps.advisor.assessment import assess
from tandem.apps.advisor.inputs import Inputs
from tandem.stateful.ids import aware
from tandem.store.engine import Database
from tandem.store.models import AdvisorAssessmentRow
from tandem.store.owned import owned

MAX_LIMIT = 100


def new_id() -> str:
    """A fresh assessment id."""
    return f"asmt_{uuid.uuid4().hex[:24]}"


def assessment_object(row: AdvisorAssessmentRow) -> dict[str, Any]:
    """A stored assessment as the API returns it."""
    return {
        "id": row.id,
        "object": "advisor.assessment",
        "created_at": int(aware(row.created_at).timestamp()),
        "answers": row.answers,
        "context": row.context,
        **row.result,
    }


class AssessmentStore:
    """Create, read and list assessments (sync database work runs off the event loop)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, tenant: str, inputs: Inputs) -> dict[str, Any]:
        """Assess and store; the stored object."""
        return await asyncio.to_thread(self._create, tenant, inputs)

    def _create(self, tenant: str, inputs: Inputs) -> dict[str, Any]:
        ident = new_id()
        result = assess(inputs, ident)
        row = AdvisorAssessmentRow(
            id=ident,
            tenant=tenant,
            kind=result["recommendation"]["kind"],
            answers=dict(inputs.answers),
            context=inputs.context.as_json(),
            result=result,
            created_at=datetime.now(UTC),
        )
        with self.db.session() as session, session.begin():
            session.add(row)
        return assessment_object(row)

    async def get(self, tenant: str, ident: str) -> dict[str, Any]:
        """One of the tenant's assessments, or a 404."""
        return await asyncio.to_thread(self._get, tenant, ident)

    def _get(self, tenant: str, ident: str) -> dict[str, Any]:
        with self.db.session() as session:
            row = session.get(AdvisorAssessmentRow, ident)
        return assessment_object(owned(row, tenant, "assessment", ident, "assessment_id"))

    async def page(
        self, tenant: str, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """The tenant's assessments, newest first, after `after`; and whether more follow."""
        return await asyncio.to_thread(self._page, tenant, min(limit, MAX_LIMIT), after)

    def _page(
        self, tenant: str, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        table = AdvisorAssessmentRow
        query: Any = select(table).where(table.tenant == tenant)
        with self.db.session() as session:
            if after:
                anchor = session.get(table, after)
                if anchor is not None and anchor.tenant == tenant:
                    query = query.where(
                        (table.created_at < anchor.created_at)
                        | ((table.created_at == anchor.created_at) & (table.id < anchor.id))
                    )
            query = query.order_by(table.created_at.desc(), table.id.desc()).limit(limit + 1)
            rows = list(session.scalars(query))
        return [summary(r) for r in rows[:limit]], len(rows) > limit


def summary(row: AdvisorAssessmentRow) -> dict[str, Any]:
    """A listing entry: the assessment without its long texts."""
    rec = row.result.get("recommendation", {})
    return {
        "id": row.id,
        "object": "advisor.assessment",
        "created_at": int(aware(row.created_at).timestamp()),
        "answers": row.answers,
        "context": row.context,
        "recommendation": {k: rec.get(k) for k in ("kind", "title", "confidence")},
    }
