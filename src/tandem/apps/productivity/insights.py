"""Spreadsheet insights computed by the data analyst's sandboxed DuckDB engine: totals,
leaders, trends and outliers, each stated with its numbers. The model states nothing here:
every figure comes from a query the sandbox validated and ran.

The workbook is loaded by the analyst's `DatasetStore` into a temporary folder that is removed
when the response is made (nothing is kept), and every query goes through `sandbox.run`.
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tandem.apps.analyst.datasets import ColumnProfile, DatasetStore, TableProfile
from tandem.apps.analyst.sandbox import SandboxLimits, run
from tandem.apps.analyst.sql import ident

LIMITS = SandboxLimits(timeout_s=20.0, max_rows=500)
MAX_MEASURES = 4
MAX_DIMENSIONS = 2
MAX_OUTLIERS = 3
OUTLIER_Z = 3.5
OUTLIER_SHARE = 0.5  # and at least this far from the median, relatively: a notable value
TREND_CHANGE = 0.05  # the fitted change over the whole span, as a share of the mean
_NUMERIC = (
    "DOUBLE",
    "FLOAT",
    "REAL",
    "BIGINT",
    "INTEGER",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "DECIMAL",
    "UBIGINT",
    "UINTEGER",
)
_TIME_NAME = re.compile(r"(?:^|_)(?:date|day|week|month|quarter|year|period|time)(?:$|_)", re.I)
_TIME_TEXT = re.compile(r"^\d{4}(?:-(?:\d{2}|W\d{2}|Q[1-4]))?(?:-\d{2})?$")
_KEY_NAME = re.compile(r"(?:^|_)(?:id|code|sku|key|zip|postcode|phone|number|no)$", re.I)
_AVERAGED = re.compile(
    r"price|cost|rate|ratio|score|pct|percent|share|margin|avg|average|age"
    r"|temperature|per_",
    re.I,
)


@dataclass
class Insight:
    """One finding, in words and in numbers."""

    kind: str  # total | average | leader | trend | outlier
    text: str
    measure: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Roles:
    """What each column of the sheet is for."""

    table: str
    time: str | None
    time_grain: str | None
    label: str | None
    measures: list[str]
    dimensions: list[str]
    time_type: str | None = None
    monthly: bool = False  # every date is a month's first day: shown as YYYY-MM


@dataclass
class Insights:
    """Every finding of a workbook, and the breakdown a chart shows."""

    source: str
    rows: int
    roles: Roles
    insights: list[Insight]
    chart: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        """The JSON response body."""
        return {
            "object": "productivity.insights",
            "source": self.source,
            "rows": self.rows,
            "columns": asdict(self.roles),
            "insights": [asdict(i) for i in self.insights],
            "method": "computed",
            "engine": "duckdb-sandbox",
            "chart": self.chart,
        }


def fmt(value: float) -> str:
    """A number as a reader wants it: thousands separated, at most two decimals."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.2f}"


def analyse(name: str, path: Path, tenant: str) -> Insights:
    """Load the workbook into a throwaway dataset and compute its insights (blocking)."""
    with tempfile.TemporaryDirectory(prefix="tandem-insights-") as tmp:
        store = DatasetStore(Path(tmp))
        dataset = store.create(tenant, name, [(name, path)])
        database = store.database(tenant, dataset.id)
        table = dataset.tables[0]
        roles = classify(table)
        return Insights(name, table.rows, roles, *_compute(database, dataset.table_names, roles))


def classify(table: TableProfile) -> Roles:
    """Time, label, measure and dimension columns, from the profile the loader made."""
    time_col = next((c.name for c in table.columns if _is_time(c)), None)
    measures, dimensions, label = [], [], None
    for column in table.columns:
        if column.name == time_col:
            continue
        numeric = column.type.startswith(_NUMERIC)
        if numeric and not _KEY_NAME.search(column.name):
            measures.append(column.name)
        elif (
            column.type == "VARCHAR"
            and column.values is not None
            and (column.distinct < max(2, table.rows) or table.rows <= 2)
        ):
            dimensions.append(column.name)
        elif column.type == "VARCHAR" and label is None:
            label = column.name  # unique text: an id or a name, what an outlier is called
    return Roles(
        table.name,
        time_col,
        _grain(table, time_col),
        label,
        measures[:MAX_MEASURES],
        [d for d in dimensions if _few(table, d)][:MAX_DIMENSIONS],
        next((c.type for c in table.columns if c.name == time_col), None),
    )


def _grain(table: TableProfile, time_col: str | None) -> str | None:
    """'month' for dates spanning more than a quarter (a trend reads by month), else None."""
    column = next((c for c in table.columns if c.name == time_col), None)
    if column is None or not column.type.startswith(("DATE", "TIMESTAMP")):
        return None
    try:
        span = date.fromisoformat(str(column.max)[:10]) - date.fromisoformat(str(column.min)[:10])
    except ValueError:
        return None
    return "month" if span.days > 92 else None


def _few(table: TableProfile, name: str) -> bool:
    column = next(c for c in table.columns if c.name == name)
    return 1 < column.distinct <= 60


def _is_time(column: ColumnProfile) -> bool:
    if column.type.startswith(("DATE", "TIMESTAMP")):
        return True
    if not _TIME_NAME.search(column.name):
        return False
    if column.type == "VARCHAR":
        return bool(column.min and _TIME_TEXT.match(str(column.min)))
    return column.type.startswith(_NUMERIC) and 1900 <= float(column.min or 0) <= 2200


def _compute(
    database: Path, tables: set[str], roles: Roles
) -> tuple[list[Insight], dict[str, Any] | None]:
    def query(sql: str) -> list[list[Any]]:
        return run(database, sql, tables, LIMITS).rows

    found: list[Insight] = []
    chart = None
    t = ident(roles.table)
    if roles.time is not None and (roles.time_type or "").startswith(("DATE", "TIMESTAMP")):
        c = ident(roles.time)
        roles.monthly = bool(query(f"SELECT bool_and(day({c}) = 1) FROM {t}")[0][0])
        if roles.monthly:
            roles.time_grain = "month"
    for measure in roles.measures:
        m = ident(measure)
        averaged = bool(_AVERAGED.search(measure))
        total, mean, count = query(f"SELECT sum({m}), avg({m}), count({m}) FROM {t}")[0]
        if total is None:
            continue
        if averaged:
            found.append(
                Insight(
                    "average",
                    f"Average {measure} is {fmt(mean)} over {count:,} rows.",
                    measure,
                    {"average": mean, "rows": count},
                )
            )
        else:
            found.append(
                Insight(
                    "total",
                    f"Total {measure} is {fmt(total)} over {count:,} rows.",
                    measure,
                    {"total": total, "rows": count},
                )
            )
    if not roles.measures:
        return found, None
    primary = roles.measures[0]
    for dimension in roles.dimensions:
        leader, breakdown = _leader(query, t, primary, dimension)
        if leader is not None:
            found.append(leader)
            chart = chart or breakdown
    if roles.time is not None:
        trend, series = _trend(query, t, primary, roles)
        if trend is not None:
            found.append(trend)
            chart = series if series and len(series["categories"]) > 2 else chart
    found += _outliers(query, t, primary, roles)
    return found, chart


def _leader(query: Any, t: str, measure: str, dimension: str) -> tuple[Insight | None, Any]:
    m, d = ident(measure), ident(dimension)
    agg = "avg" if _AVERAGED.search(measure) else "sum"
    rows = query(
        f"SELECT {d}, {agg}({m}) AS v, sum(sum({m})) OVER () AS whole FROM {t} "
        f"WHERE {d} IS NOT NULL GROUP BY {d} ORDER BY v DESC, {d}"
    )
    if len(rows) < 2 or rows[0][1] is None:
        return None, None
    top, value, whole = rows[0]
    last, low = rows[-1][0], rows[-1][1]
    word = "average" if agg == "avg" else "total"
    share = f" ({value / whole:.1%} of the total)" if agg == "sum" and whole else ""
    text = (
        f"{top} leads {dimension} by {measure} with a {word} of {fmt(value)}{share}; "
        f"{last} is lowest with {fmt(low)}."
    )
    insight = Insight(
        "leader",
        text,
        measure,
        {
            "dimension": dimension,
            "name": str(top),
            "value": value,
            "lowest": str(last),
            "lowest_value": low,
        },
    )
    chart = {
        "kind": "bar",
        "title": f"{measure} by {dimension}",
        "measure": measure,
        "categories": [str(r[0]) for r in rows[:24]],
        "values": [r[1] for r in rows[:24]],
    }
    return insight, chart


def _trend(query: Any, t: str, measure: str, roles: Roles) -> tuple[Insight | None, Any]:
    """The direction of `measure` over time: the Mann-Kendall test says whether there is one
    (|z| > 1.96), the Theil-Sen slope (median of the slopes between every pair of periods) how
    large it is; one outlying period tips neither."""
    assert roles.time is not None
    m = ident(measure)
    c = ident(roles.time)
    if roles.time_grain:
        c = f"date_trunc('{roles.time_grain}', {c})"
    rows = query(
        f"SELECT {c} AS p, sum({m}) AS v FROM {t} WHERE {c} IS NOT NULL GROUP BY p ORDER BY p"
    )
    if len(rows) < 4:
        return None, None
    slope, mean, s = query(
        f"WITH p AS (SELECT row_number() OVER (ORDER BY {c}) AS x, sum({m}) AS y FROM {t} "
        f"WHERE {c} IS NOT NULL GROUP BY {c}) SELECT median((b.y - a.y) / (b.x - a.x)), "
        "avg(a.y), sum(sign(b.y - a.y)) FROM p a JOIN p b ON b.x > a.x"
    )[0]
    n = len(rows)
    z = float(s) / math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    change = slope * (n - 1) / mean if mean else 0.0
    direction = "flat"
    if abs(z) > 1.96 and abs(change) > TREND_CHANGE:
        direction = "up" if change > 0 else "down"
    first, last = rows[0], rows[-1]
    verb = {"up": "rises", "down": "falls", "flat": "shows no clear trend"}[direction]
    name = (
        f"{roles.time} ({roles.time_grain})"
        if roles.time_grain and not roles.monthly
        else (roles.time)
    )
    start, end = _when(first[0], roles.time_grain), _when(last[0], roles.time_grain)
    text = (
        f"{measure} {verb} over {n} periods of {name}: {fmt(first[1])} in {start}, "
        f"{fmt(last[1])} in {end} (fitted change {change:+.1%} over the span)."
    )
    insight = Insight(
        "trend",
        text,
        measure,
        {
            "direction": direction,
            "time": roles.time,
            "periods": n,
            "first": first[1],
            "last": last[1],
            "fitted_change": change,
            "slope_per_period": slope,
            "mann_kendall_z": z,
        },
    )
    chart = {
        "kind": "line",
        "title": f"{measure} by {name}",
        "measure": measure,
        "categories": [_when(r[0], roles.time_grain) for r in rows[:60]],
        "values": [r[1] for r in rows[:60]],
    }
    return insight, chart


def _when(value: Any, grain: str | None) -> str:
    text = str(value)
    return (
        text[:7] if grain == "month" and re.match(r"^\d{4}-\d{2}-01(?:T00:00:00)?$", text) else text
    )


def _outliers(query: Any, t: str, measure: str, roles: Roles) -> list[Insight]:
    """Rows far from their group's median, by the robust z-score (0.6745 * |x - median| / MAD)."""
    m = ident(measure)
    group = ident(roles.dimensions[0]) if roles.dimensions else None
    by = f"PARTITION BY {group}" if group else ""
    names = [n for n in (roles.time, roles.label) if n]
    label = (
        ", ".join(
            f"strftime({ident(n)}, '%Y-%m')"
            if n == roles.time and roles.monthly
            else f"CAST({ident(n)} AS VARCHAR)"
            for n in names
        )
        or "CAST(rn AS VARCHAR)"
    )
    grouped = f", CAST({group} AS VARCHAR)" if group else ", NULL"
    rows = query(
        f"WITH r AS (SELECT *, row_number() OVER () AS rn, median({m}) OVER ({by}) AS med "
        f"FROM {t} WHERE {m} IS NOT NULL), "
        f"d AS (SELECT *, median(abs({m} - med)) OVER ({by}) AS mad FROM r) "
        f"SELECT concat_ws(' ', {label}){grouped}, {m}, med, 0.6745 * abs({m} - med) / mad AS z "
        f"FROM d WHERE mad > 0 AND 0.6745 * abs({m} - med) / mad > {OUTLIER_Z} "
        f"AND abs({m} - med) > {OUTLIER_SHARE} * abs(med) "
        f"ORDER BY z DESC LIMIT {MAX_OUTLIERS}"
    )
    found = []
    group_name = roles.dimensions[0] if roles.dimensions else ""
    for name, where, value, median, z in rows:
        among = f" ({group_name} {where})" if where else ""
        times = f"{value / median:.1f} times " if median else ""
        text = (
            f"Outlier: {measure} of {fmt(value)} at {name}{among} is {times}the median of "
            f"{fmt(median)}{' for ' + str(where) if where else ''} (robust z {z:.1f})."
        )
        found.append(
            Insight(
                "outlier",
                text,
                measure,
                {"label": name, "group": where, "value": value, "median": median, "z": z},
            )
        )
    return found
