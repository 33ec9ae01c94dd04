"""The Overview page: requests, errors, tokens, latency and cost over a bounded range, per
deployment, read from the hourly rollups (`governance/rollups.py`), so a year of ledger rows
renders from a few thousand rollup rows. It counts every request the ledger records: the
API, the widget, batches and the products alike.

Admins see their tenant (a platform key: every tenant, or one named); other keys see their
own key's traffic. The chart's numbers are also in a table under it.
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.apps.console.charts import count_bars
from tandem.apps.console.pages import render_page, signed_in
from tandem.governance.principal import Principal
from tandem.governance.rollups import Overview, Rollups
from tandem.platform import Platform

router = APIRouter(include_in_schema=False)
RANGES = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "365d": timedelta(days=365),
}


@router.get("/console/overview")
async def overview_page(
    request: Request,
    range: str = "24h",
    deployment: str = "",
    tenant: str = "",
    key: str = "",
    format: str = "html",
) -> Response:
    """Traffic over the chosen range, as a chart, totals and a table per deployment."""
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me = found
    chosen = range if range in RANGES else "24h"
    until = datetime.now(UTC) + timedelta(hours=1)
    since = until - RANGES[chosen]
    rollups: Rollups = visit.console.rollups
    await asyncio.to_thread(rollups.roll)  # what the last few seconds added
    scope_tenant = (tenant[:64] or None) if me.is_platform else me.tenant
    # Admins may narrow to one key of their tenant; other keys always see their own.
    key_id = (key[:32] or None) if me.is_admin else (me.key_id or "")
    figures = await asyncio.to_thread(
        lambda: rollups.overview(
            tenant=scope_tenant,
            key_id=key_id,
            deployment=deployment[:64] or None,
            since=since,
            until=until,
        )
    )
    if format == "csv":
        return Response(_csv(figures), media_type="text/csv", headers=_attachment(chosen))
    budgets = await _budgets(visit.console.platform, rollups, me) if me.is_admin else []
    chart = count_bars(figures.series, f"Requests per {figures.grain}, errors in red")
    return render_page(
        visit,
        "overview.html",
        figures=figures,
        chart=chart,
        ranges=list(RANGES),
        chosen=chosen,
        deployment=deployment[:64],
        tenant=tenant[:64],
        key=key[:32] if me.is_admin else "",
        budgets=budgets,
    )


def _attachment(chosen: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="tandem-usage-{chosen}.csv"'}


def _csv(figures: Overview) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            figures.grain,
            "deployment",
            "status",
            "requests",
            "prompt_tokens",
            "completion_tokens",
            "cost_usd",
        ]
    )
    for bucket, deployment, status, requests, prompt, completion, cost in sorted(figures.rows):
        writer.writerow(
            [
                bucket.isoformat(),
                deployment,
                status,
                requests,
                prompt,
                completion,
                f"{cost or 0:.6f}",
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class Budget:
    """A key's monthly budget and what it has spent of it."""

    name: str
    budget_usd: float
    spent_usd: float

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.spent_usd / self.budget_usd)) if self.budget_usd else 0


async def _budgets(platform: Platform, rollups: Rollups, me: Principal) -> list[Budget]:
    keys = await asyncio.to_thread(platform.controls.keys.list, me.tenant)
    budgeted = [k for k in keys if k.budget_usd and k.revoked_at is None]
    spent = await asyncio.to_thread(rollups.month_spend, me.tenant, [k.id for k in budgeted])
    return [
        Budget(k.name or k.id[:8], float(k.budget_usd or 0), spent.get(k.id, 0.0)) for k in budgeted
    ]
