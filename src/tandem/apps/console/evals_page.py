"""The Evaluations pages: the tenant's evals, and one eval's runs side by side with a chart of
pass rate per testing criterion per run (drawn on the server, see `charts.py`).

Like /v1/evals, every key sees its own tenant's evals (a platform key: its own tenant too);
another tenant's eval is a 404, as a missing one. The evals product is optional: without it
the page says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.apps.console.charts import grouped_bars
from tandem.apps.console.pages import Visit, render_page, signin_redirect, visit_of
from tandem.apps.evals.product import EvalsProduct
from tandem.apps.evals.store import ACTIVE, EvalStore
from tandem.errors import NotFoundError
from tandem.store.models import EvalRow, EvalRunRow

router = APIRouter(include_in_schema=False)
MAX_EVALS = 100
MAX_RUNS = 24  # columns side by side; the most recent ones


@dataclass(frozen=True)
class RunColumn:
    """One run as a column of the comparison."""

    id: str
    name: str
    model: str
    source: str
    status: str
    counts: dict[str, int]
    rates: dict[str, float | None]
    error: str | None
    created_at: datetime


def _store(visit: Visit) -> EvalStore | None:
    try:
        return visit.console.platform.product("evals", EvalsProduct).store
    except NotFoundError:
        return None


@router.get("/console/evals")
async def evals_page(request: Request) -> Response:
    """The tenant's evals, newest first, with how many runs each has."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    store = _store(visit)
    if store is None:
        return render_page(visit, "evals.html", evals=[], installed=False, more=False)
    rows, more = await asyncio.to_thread(
        store.evals, me.tenant, MAX_EVALS, None, "desc", "created_at"
    )
    counts = await asyncio.to_thread(store.run_counts, me.tenant, [r.id for r in rows])
    evals = [
        {"id": r.id, "name": r.name, "created_at": r.created_at, "runs": counts.get(r.id, 0)}
        for r in rows
    ]
    return render_page(visit, "evals.html", evals=evals, installed=True, more=more)


@router.get("/console/evals/{eval_id}")
async def eval_page(eval_id: str, request: Request) -> Response:
    """One eval's runs side by side: counts, pass rate per criterion, and a bar chart."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    store = _store(visit)
    try:
        if store is None:
            raise NotFoundError("the evals product is not installed on this server")
        evaluation = await asyncio.to_thread(store.eval, me.tenant, eval_id[:64])
    except NotFoundError:
        return render_page(visit, "not_found.html", 404, what="eval", ident=eval_id[:64])
    rows, more = await asyncio.to_thread(
        store.runs, me.tenant, evaluation.id, MAX_RUNS, None, "desc", None
    )
    runs = [_column(r) for r in reversed(rows)]
    criteria = _criteria(evaluation, runs)
    chart = grouped_bars(
        criteria,
        [_label(r) for r in runs],
        {(c, _label(r)): r.rates.get(c) for r in runs for c in criteria},
        title=f"Pass rate per testing criterion per run of {evaluation.name or evaluation.id}",
    )
    return render_page(
        visit,
        "eval.html",
        evaluation=evaluation,
        runs=runs,
        criteria=criteria,
        more=more,
        chart=chart if runs and criteria else None,
        label=_label,
        active=any(r.status in ACTIVE for r in runs),
    )


def _column(row: EvalRunRow) -> RunColumn:
    rates: dict[str, float | None] = {}
    for result in row.per_testing_criteria_results or []:
        name = str(result.get("testing_criteria", ""))
        passed, failed = int(result.get("passed", 0)), int(result.get("failed", 0))
        rates[name] = passed / (passed + failed) if passed + failed else None
    counts = {k: int(row.result_counts.get(k, 0)) for k in ("total", "passed", "failed", "errored")}
    error = row.error.get("message") if isinstance(row.error, dict) else None
    return RunColumn(
        id=row.id,
        name=row.name,
        model=row.model or _sampled_model(row),
        source=str(row.data_source.get("type", "")),
        status=row.status,
        counts=counts,
        rates=rates,
        error=str(error) if error else None,
        created_at=row.created_at,
    )


def _sampled_model(row: EvalRunRow) -> str:
    """A jsonl run names no deployment; its usage may still say which model answered."""
    usage: list[Any] = row.per_model_usage or []
    names = [str(u.get("model_name")) for u in usage if isinstance(u, dict) and u.get("model_name")]
    return ", ".join(names)


def _criteria(evaluation: EvalRow, runs: list[RunColumn]) -> list[str]:
    """The eval's criteria in their order, then any a run reports that the eval no longer has."""
    names = [str(c.get("name", "")) for c in evaluation.testing_criteria if isinstance(c, dict)]
    for run in runs:
        names += [n for n in run.rates if n not in names]
    return names


def _label(run: RunColumn) -> str:
    """How the chart's legend and the table's header tell runs apart."""
    base = run.model or run.name or run.id
    return f"{base} ({run.id[-6:]})"
