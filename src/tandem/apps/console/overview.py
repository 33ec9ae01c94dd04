"""The Overview page: requests, errors, tokens, latency and cost over a bounded range, per
deployment, read from the hourly rollups (`governance/rollups.py`), so a year of ledger rows
renders from a few thousand rollup rows. It counts every request the ledger records: the
API, the widget, batches and the products alike.

Admins see their tenant (a platform key: every tenant, or one named); other keys see their
own key's traffic. The chart's numbers are also in a table under it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.apps.console.charts import count_bars
from tandem.apps.console.pages import render_page, signin_redirect, visit_of
from tandem.governance.rollups import Rollups

router = APIRouter(include_in_schema=False)
RANGES = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "365d": timedelta(days=365),
}


@router.get("/console/overview")
async def overview_page(
    request: Request, range: str = "24h", deployment: str = "", tenant: str = ""
) -> Response:
    """Traffic over the chosen range, as a chart, totals and a table per deployment."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    chosen = range if range in RANGES else "24h"
    until = datetime.now(UTC) + timedelta(hours=1)
    since = until - RANGES[chosen]
    rollups: Rollups = visit.console.rollups
    await asyncio.to_thread(rollups.roll)  # what the last few seconds added
    scope_tenant = (tenant[:64] or None) if me.is_platform else me.tenant
    key = None if me.is_admin else (me.key_id or "")
    figures = await asyncio.to_thread(
        lambda: rollups.overview(
            tenant=scope_tenant,
            key_id=key,
            deployment=deployment[:64] or None,
            since=since,
            until=until,
        )
    )
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
    )
