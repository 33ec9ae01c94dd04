"""Hourly and daily rollups of the usage ledger, and the overview read from them.

`Rollups.roll()` reads ledger rows past its cursor and adds each into its hour and its day
(per tenant, deployment and status; for all keys together and for its own key) in the
transaction that moves the cursor, so each ledger row is counted once however often it
runs, on however many replicas (a replica that loses the race to move the cursor rolls
back). It reads only up to the
highest id seen at the previous roll: on PostgreSQL ids are handed out before commit, and a
row with a smaller id may commit later than a larger one; one roll later it has.

`overview()` answers from the rollups alone: totals, a series per hour or day, and a table
per deployment with p50/p95 estimated from latency buckets (the bucket's upper edge).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tandem.store.engine import Database
from tandem.store.models import (
    LATENCY_EDGES_MS,
    UsageRecord,
    UsageRollup,
    UsageRollupState,
)

Grain = Literal["hour", "day"]
BUCKETS = len(LATENCY_EDGES_MS) + 1
_KEY = ("grain", "key_id", "bucket", "tenant", "deployment", "status")
_SUMS = (
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "cost_usd",
    "latency_ms",
    *(f"lat_{i}" for i in range(BUCKETS)),
)
MAX_RANGE = timedelta(days=400)


def _hour_expression(dialect: str) -> Any:
    """A row's hour (UTC) in SQL: text on SQLite (which keeps UTC text), a timestamp on
    PostgreSQL (truncated in UTC, whatever the session's time zone)."""
    if dialect == "postgresql":
        return func.date_trunc("hour", func.timezone("UTC", UsageRecord.ts))
    return func.strftime("%Y-%m-%d %H:00:00", UsageRecord.ts)


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _hour(ts: datetime) -> datetime:
    ts = ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass
class DeploymentRow:
    """One deployment's figures over the range."""

    deployment: str
    requests: int = 0
    errors: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    p50_ms: str = ""
    p95_ms: str = ""
    latency: list[int] = field(default_factory=lambda: [0] * BUCKETS)


@dataclass
class Overview:
    """What the overview page shows."""

    since: datetime
    until: datetime
    grain: Grain
    requests: int
    errors: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    p50_ms: str
    p95_ms: str
    series: list[tuple[str, int, int]]  # (bucket label, requests, errors)
    deployments: list[DeploymentRow]
    # (bucket, deployment, status, requests, prompt tokens, completion tokens, cost): for CSV
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def percentile_label(counts: Sequence[int], q: float) -> str:
    """The latency bucket holding the q-th fraction of requests, as "≤ N ms"."""
    total = sum(counts)
    if total == 0:
        return "n/a"
    running = 0
    for i, count in enumerate(counts):
        running += count
        if running >= q * total:
            if i < len(LATENCY_EDGES_MS):
                return f"≤ {LATENCY_EDGES_MS[i]:,} ms"
            return f"> {LATENCY_EDGES_MS[-1]:,} ms"
    return "n/a"


class Rollups:
    """The rollup cursor and the overview queries."""

    def __init__(self, db: Database, batch: int = 50_000) -> None:
        self.db = db
        self.batch = batch

    def roll(self) -> int:
        """Add the next ledger rows into the rollups; how many were added."""
        with self.db.session() as session, session.begin():
            state = session.get(UsageRollupState, 1)
            if state is None:
                session.add(UsageRollupState(id=1, last_id=0, watermark=0))
                session.flush()
                state = session.get(UsageRollupState, 1)
                assert state is not None
            last, watermark = state.last_id, state.watermark
            highest = int(session.scalar(select(func.max(UsageRecord.id))) or 0)
            # The database sums the rows per hour (and latency bucket); Python only spreads
            # those few sums over the hour, the day and the key. Summing row by row here
            # held the GIL long enough to stall the event loop every roll under load.
            upper = session.scalar(
                select(UsageRecord.id)
                .where(UsageRecord.id > last, UsageRecord.id <= watermark)
                .order_by(UsageRecord.id)
                .offset(self.batch - 1)
                .limit(1)
            )
            upper = watermark if upper is None else upper
            hour_of = _hour_expression(self.db.dialect)
            bucket_of = case(
                *(
                    (func.coalesce(UsageRecord.latency_ms, 0.0) <= edge, index)
                    for index, edge in enumerate(LATENCY_EDGES_MS)
                ),
                else_=len(LATENCY_EDGES_MS),
            )
            grouped = session.execute(
                select(
                    hour_of,
                    UsageRecord.tenant,
                    UsageRecord.key_id,
                    UsageRecord.deployment,
                    UsageRecord.status,
                    bucket_of,
                    func.count(),
                    func.max(UsageRecord.id),
                    func.sum(func.coalesce(UsageRecord.prompt_tokens, 0)),
                    func.sum(func.coalesce(UsageRecord.completion_tokens, 0)),
                    func.sum(func.coalesce(UsageRecord.cost_usd, 0.0)),
                    func.sum(func.coalesce(UsageRecord.latency_ms, 0.0)),
                )
                .where(UsageRecord.id > last, UsageRecord.id <= upper)
                .group_by(
                    hour_of,
                    UsageRecord.tenant,
                    UsageRecord.key_id,
                    UsageRecord.deployment,
                    UsageRecord.status,
                    bucket_of,
                )
            ).all()
            groups: dict[tuple[Any, ...], dict[str, Any]] = {}
            counted, new_last = 0, last
            for when, tenant, key, deployment, status, bucket, n, top, *sums in grouped:
                hour = _hour(_as_datetime(when))
                day = hour.replace(hour=0)
                counted += n
                new_last = max(new_last, top)
                # Each row counts in its hour and its day, for all keys and for its key.
                for grain, at in (("hour", hour), ("day", day)):
                    for key_id in {"", key or "-"}:
                        group = (grain, key_id, at, tenant, deployment, status)
                        totals = groups.get(group)
                        if totals is None:
                            totals = groups[group] = dict.fromkeys(_SUMS, 0)
                        totals["requests"] += n
                        totals["prompt_tokens"] += int(sums[0] or 0)
                        totals["completion_tokens"] += int(sums[1] or 0)
                        totals["cost_usd"] += float(sums[2] or 0.0)
                        totals["latency_ms"] += float(sums[3] or 0.0)
                        totals[f"lat_{bucket}"] += n
            if groups:
                self._add(session, groups)
            # Read up to the previous watermark; the next roll reads up to today's highest.
            moved = session.execute(
                update(UsageRollupState)
                .where(UsageRollupState.id == 1, UsageRollupState.last_id == last)
                .values(last_id=new_last, watermark=max(watermark, highest))
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()  # another replica rolled these rows first
                return 0
        return counted

    def roll_all(self, budget_s: float = 30.0) -> int:
        """Roll until caught up (twice past the watermark) or out of time."""
        started, total, idle = time.monotonic(), 0, 0
        while time.monotonic() - started < budget_s and idle < 2:
            added = self.roll()
            total += added
            idle = idle + 1 if added == 0 else 0
        return total

    def _add(self, session: Any, groups: dict[tuple[Any, ...], dict[str, Any]]) -> None:
        values = [dict(zip(_KEY, key, strict=True)) | sums for key, sums in groups.items()]
        if self.db.dialect == "postgresql":
            statement: Any = pg_insert(UsageRollup)
        else:
            statement = sqlite_insert(UsageRollup)
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=list(_KEY),
            set_={name: getattr(UsageRollup, name) + getattr(excluded, name) for name in _SUMS},
        )
        for start in range(0, len(values), 500):
            session.execute(statement, values[start : start + 500])

    def overview(
        self,
        *,
        tenant: str | None,
        key_id: str | None = None,
        deployment: str | None = None,
        since: datetime,
        until: datetime,
    ) -> Overview:
        """Totals, a series and a per-deployment table over [since, until) (at most
        `MAX_RANGE`; hours for two days or less, else days)."""
        since = _hour(since)
        until = min(until, since + MAX_RANGE)
        grain: Grain = "hour" if until - since <= timedelta(days=2) else "day"
        columns = [getattr(UsageRollup, name) for name in _SUMS]
        start = since if grain == "hour" else since.replace(hour=0)
        query = select(
            UsageRollup.bucket,
            UsageRollup.deployment,
            UsageRollup.status,
            *[func.sum(c) for c in columns],
        ).where(
            UsageRollup.grain == grain,
            UsageRollup.key_id == ("" if key_id is None else key_id or "-"),
            UsageRollup.bucket >= start,
            UsageRollup.bucket < until,
        )
        if tenant is not None:
            query = query.where(UsageRollup.tenant == tenant)
        if deployment:
            query = query.where(UsageRollup.deployment == deployment)
        query = query.group_by(UsageRollup.bucket, UsageRollup.deployment, UsageRollup.status)
        with self.db.session() as session:
            rows = session.execute(query).all()
        overview = _assemble(rows, since, until, grain)
        overview.rows = [
            (bucket, name, status, *(sums[:4])) for bucket, name, status, *sums in rows
        ]
        return overview

    def month_spend(self, tenant: str, key_ids: Sequence[str]) -> dict[str, float]:
        """What each key has cost since the start of this month (UTC)."""
        if not key_ids:
            return {}
        start = datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        query = (
            select(UsageRollup.key_id, func.sum(UsageRollup.cost_usd))
            .where(
                UsageRollup.grain == "day",
                UsageRollup.tenant == tenant,
                UsageRollup.key_id.in_(list(key_ids)),
                UsageRollup.bucket >= start,
            )
            .group_by(UsageRollup.key_id)
        )
        with self.db.session() as session:
            return {k: float(v or 0.0) for k, v in session.execute(query).all()}


def _assemble(rows: Sequence[Any], since: datetime, until: datetime, grain: Grain) -> Overview:
    series: dict[datetime, list[int]] = {}
    step = timedelta(hours=1) if grain == "hour" else timedelta(days=1)
    start = since if grain == "hour" else since.replace(hour=0)
    point = start
    while point < until:
        series[point] = [0, 0]
        point += step
    per: dict[str, DeploymentRow] = {}
    totals = dict.fromkeys(_SUMS, 0)
    errors = 0
    latency = [0] * BUCKETS
    for row in rows:
        bucket, name, status, *sums = row
        named = dict(zip(_SUMS, sums, strict=True))
        bad = int(named["requests"] or 0) if status != "ok" else 0
        for key, value in named.items():
            totals[key] += value or 0
        errors += bad
        entry = per.setdefault(name, DeploymentRow(name))
        entry.requests += int(named["requests"] or 0)
        entry.errors += bad
        entry.tokens += int(named["prompt_tokens"] or 0) + int(named["completion_tokens"] or 0)
        entry.cost_usd += float(named["cost_usd"] or 0.0)
        for i in range(BUCKETS):
            entry.latency[i] += int(named[f"lat_{i}"] or 0)
            latency[i] += int(named[f"lat_{i}"] or 0)
        at = _hour(bucket) if grain == "hour" else _hour(bucket).replace(hour=0)
        if at in series:
            series[at][0] += int(named["requests"] or 0)
            series[at][1] += bad
    for entry in per.values():
        entry.p50_ms = percentile_label(entry.latency, 0.5)
        entry.p95_ms = percentile_label(entry.latency, 0.95)
    fmt = "%m-%d %H:00" if grain == "hour" else "%Y-%m-%d"
    return Overview(
        since=since,
        until=until,
        grain=grain,
        requests=int(totals["requests"]),
        errors=errors,
        prompt_tokens=int(totals["prompt_tokens"]),
        completion_tokens=int(totals["completion_tokens"]),
        cost_usd=float(totals["cost_usd"]),
        p50_ms=percentile_label(latency, 0.5),
        p95_ms=percentile_label(latency, 0.95),
        series=[(at.strftime(fmt), counts[0], counts[1]) for at, counts in series.items()],
        deployments=sorted(per.values(), key=lambda d: -d.requests),
    )
