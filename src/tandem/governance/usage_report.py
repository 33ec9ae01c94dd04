"""Usage summaries from the ledger, grouped by day, key, deployment, project or tenant."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import case, func, select

from tandem.errors import InvalidRequestError
from tandem.store.engine import Database
from tandem.store.models import UsageRecord

GroupBy = Literal["day", "key", "deployment", "project", "tenant", "status"]
_COLUMNS: dict[str, Any] = {
    "day": func.date(UsageRecord.ts),
    "key": UsageRecord.key_id,
    "deployment": UsageRecord.deployment,
    "project": UsageRecord.project,
    "tenant": UsageRecord.tenant,
    "status": UsageRecord.status,
}
METRICS = ["requests", "prompt_tokens", "completion_tokens", "cost_usd", "errors", "avg_latency_ms"]


def summarize(
    db: Database,
    *,
    tenant: str | None,
    group_by: list[str],
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    """One row per group with request, token, cost and error totals."""
    unknown = [g for g in group_by if g not in _COLUMNS]
    if unknown:
        raise InvalidRequestError(
            f"cannot group by {', '.join(unknown)}; choose from {', '.join(_COLUMNS)}",
            param="group_by",
        )
    groups = [_COLUMNS[g].label(g) for g in group_by]
    query = select(
        *groups,
        func.count().label("requests"),
        func.coalesce(func.sum(UsageRecord.prompt_tokens), 0).label("prompt_tokens"),
        func.coalesce(func.sum(UsageRecord.completion_tokens), 0).label("completion_tokens"),
        func.coalesce(func.sum(UsageRecord.cost_usd), 0.0).label("cost_usd"),
        func.sum(case((UsageRecord.status == "ok", 0), else_=1)).label("errors"),
        func.coalesce(func.avg(UsageRecord.latency_ms), 0.0).label("avg_latency_ms"),
    )
    if tenant is not None:
        query = query.where(UsageRecord.tenant == tenant)
    if since is not None:
        query = query.where(UsageRecord.ts >= since)
    if until is not None:
        query = query.where(UsageRecord.ts < until)
    if groups:
        query = query.group_by(*groups).order_by(*groups)
    with db.session() as session:
        rows = session.execute(query).mappings().all()
    return [
        {
            **{g: (str(row[g]) if row[g] is not None else None) for g in group_by},
            "requests": int(row["requests"]),
            "prompt_tokens": int(row["prompt_tokens"]),
            "completion_tokens": int(row["completion_tokens"]),
            "cost_usd": round(float(row["cost_usd"]), 6),
            "errors": int(row["errors"] or 0),
            "avg_latency_ms": round(float(row["avg_latency_ms"]), 2),
        }
        for row in rows
    ]


def to_csv(rows: list[dict[str, Any]], group_by: list[str]) -> str:
    """The summary as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*group_by, *METRICS])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
