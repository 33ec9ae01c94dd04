"""A deterministic planner for the common shapes of business questions.

Totals, averages, counts, extremes; group-by (including time grains); top-k and "which ...
has the most"; date filters (years, quarters, months, ranges); category values; numeric
thresholds; shares of a total; and joins along key columns. It reads the question against
the dataset's schema and profile, and returns None when it does not understand it (the
model then gets its turn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tandem.apps.analyst.schema import Column, Schema
from tandem.apps.analyst.sql import ident, literal

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for m in names
}  # fmt: skip
_AGG_WORDS = [
    ("count", r"\bhow many\b|\bnumber of\b|\bcount\b|\b# of\b"),
    ("avg", r"\baverage\b|\bavg\b|\bmean\b|\btypical\b"),
    ("sum", r"\btotal\b|\bsum\b|\boverall\b|\bcombined\b"),
    ("max", r"\bmaximum\b|\bmax\b|\blargest\b|\bbiggest\b|\bhighest\b"),
    ("min", r"\bminimum\b|\bmin\b|\bsmallest\b|\blowest\b"),
]
_GRAINS = [
    (
        "month",
        r"\bmonthly\b|\b(?:by|per|each|every) month\b|\bover time\b|\btrend\b|\bmonth by month\b",
    ),
    ("quarter", r"\bquarterly\b|\b(?:by|per|each|every) quarter\b"),
    ("year", r"\byearly\b|\bannual(?:ly)?\b|\b(?:by|per|each|every) year\b"),
    ("week", r"\bweekly\b|\b(?:by|per|each|every) week\b"),
    ("day", r"\bdaily\b|\b(?:by|per|each|every) day\b"),
]
_DESC = r"\b(?:highest|most|best|largest|biggest|top|greatest|maximum|most expensive)\b"
_ASC = r"\b(?:lowest|least|worst|smallest|fewest|bottom|minimum|cheapest)\b"
_COMPARE = re.compile(
    r"\b(over|above|more than|greater than|exceeding|at least|under|below|less than|at most"
    r"|fewer than)\s*(?:of\s*)?\$?\s*(-?[\d,]*\.?\d+)\s*(%)?"
)
_OPS = {"over": ">", "above": ">", "more than": ">", "greater than": ">", "exceeding": ">",
        "at least": ">=", "under": "<", "below": "<", "less than": "<", "at most": "<=",
        "fewer than": "<"}  # fmt: skip


@dataclass
class Plan:
    """What to compute, as the planner understood the question."""

    table: str
    agg: str = "count"
    measure: Column | None = None
    groups: list[tuple[Column, str | None]] = field(default_factory=list)
    filters: list[tuple[Column, str]] = field(default_factory=list)
    order: str | None = None
    limit: int | None = None
    share: bool = False

    def describe(self) -> str:
        """The plan in words."""
        what = "number of rows" if self.measure is None else f"{self.agg} of {self.measure.name}"
        parts = [f"{what} in {self.table}"]
        if self.groups:
            parts.append(
                "by " + ", ".join(f"{c.name}" + (f" ({g})" if g else "") for c, g in self.groups)
            )
        if self.filters:
            parts.append("where " + " and ".join(cond for _, cond in self.filters))
        if self.share:
            parts.append("as a share of the total (%)")
        if self.limit:
            parts.append(f"{'top' if self.order == 'desc' else 'bottom'} {self.limit}")
        return ", ".join(parts)


def _find(words: list[str], text: str) -> int:
    best = -1
    for word in words:
        m = re.search(rf"\b{re.escape(word)}(?:e?s)?\b", text)
        if m and (best < 0 or m.start() < best):
            best = m.start()
    return best


def _label_column(schema: Schema, table: str) -> Column | None:
    text = [c for c in schema.tables[table] if c.type.startswith("VARCHAR")]
    named = [c for c in text if "name" in c.name]
    candidates = named or text
    return candidates[0] if candidates else None


def plan_question(question: str, schema: Schema, previous: Plan | None = None) -> Plan | None:
    """The plan for a question, or None when it is not understood."""
    q = " " + re.sub(r"[?!]", " ", question.lower()).strip() + " "
    columns = schema.columns()
    filters, used = _value_filters(q, columns)
    q_rest = q
    for span in used:
        q_rest = q_rest.replace(span, " ")
    mentions = sorted(
        ((pos, c) for c in columns if (pos := _find(c.words(), q_rest)) >= 0), key=lambda x: x[0]
    )
    tables = [t for t in schema.tables if _find(schema.table_words(t), q_rest) >= 0]
    agg = next((name for name, pattern in _AGG_WORDS if re.search(pattern, q)), None)
    grain = next((name for name, pattern in _GRAINS if re.search(pattern, q)), None)
    compare_filters, compared = _comparisons(q_rest, mentions)

    groups = _groups(q_rest, mentions, schema, tables)
    ranking = bool(groups) and (re.search(_DESC, q) or re.search(_ASC, q))
    numeric = [c for _, c in mentions if c.numeric and not c.is_key and c not in compared]
    counted = _counted_table(q, schema, tables)
    counted_measure = _counted_measure(q, mentions)
    if agg == "count" and counted_measure is not None:
        # "number of units sold" is a sum of the units, not a count of rows.
        agg, numeric = "sum", [counted_measure, *[c for c in numeric if c != counted_measure]]

    measure: Column | None = None
    follow_up = False
    if agg == "count":
        pass
    elif numeric:
        measure = numeric[0]
        if agg in (None, "max", "min") and (groups or grain):
            agg = "sum" if agg is None or ranking else agg
        agg = agg or "sum"
    elif previous is not None and agg is None:
        # A follow-up that names no measure ("and by category?") keeps the last one.
        measure, agg, follow_up = previous.measure, previous.agg, True
    elif agg is None and (groups or grain or compare_filters or counted):
        agg = "count"
    else:
        return None

    base = (
        measure.table if measure else (counted or _base_for_count(schema, tables, groups, filters))
    )
    if base is None:
        return None
    date_column = _date_column(mentions, schema, base)
    if grain and date_column is not None:
        groups = [(date_column, grain), *[(c, g) for c, g in groups if not c.temporal]]
    date_filters = _date_filters(q, date_column) if date_column is not None else []
    plan = Plan(
        table=base, agg=agg, measure=measure, groups=groups,
        filters=filters + date_filters + compare_filters,
    )  # fmt: skip
    if follow_up and previous is not None:
        _carry_over(plan, previous)
    if re.search(r"\bshare\b|\bpercent(?:age)?\b|\bproportion\b|%\s*of\b", q) and plan.groups:
        plan.share = True
    _ranking(q, plan)
    return plan


def _carry_over(plan: Plan, previous: Plan) -> None:
    """A follow-up keeps the last question's filters (unless it restates them) and groups."""
    mine = {c for c, _ in plan.filters}
    plan.filters = [f for f in previous.filters if f[0] not in mine] + plan.filters
    plan.table = previous.table
    if not plan.groups:
        plan.groups = previous.groups


def _date_column(mentions: list[tuple[int, Column]], schema: Schema, base: str) -> Column | None:
    """The date the question names, else the base table's first date column."""
    temporal = [c for _, c in mentions if c.temporal] or [
        c for c in schema.tables[base] if c.temporal
    ]
    return temporal[0] if temporal else None


def _counted_table(q: str, schema: Schema, tables: list[str]) -> str | None:
    """The entity counted by "how many orders ...": the table named first after the cue."""
    cue = re.search(r"\b(?:how many|number of|count of|count)\b", q)
    if cue is None:
        return None
    found = [(pos, t) for t in tables if (pos := _find(schema.table_words(t), q[cue.end() :])) >= 0]
    return min(found)[1] if found else None


def _counted_measure(q: str, mentions: list[tuple[int, Column]]) -> Column | None:
    """A numeric column right after "number of" / "count of" ("number of units")."""
    cue = re.search(r"\b(?:number of|count of)\s+", q)
    if cue is None:
        return None
    for pos, column in mentions:
        if column.numeric and not column.is_key and cue.end() <= pos <= cue.end() + 2:
            return column
    return None


def _value_filters(q: str, columns: list[Column]) -> tuple[list[tuple[Column, str]], list[str]]:
    by_column: dict[Column, list[str]] = {}
    spans: list[str] = []
    for column in columns:
        for value in column.values:
            if len(value) < 2:
                continue
            m = re.search(rf"\b{re.escape(value.lower())}\b", q)
            if m:
                by_column.setdefault(column, []).append(value)
                spans.append(m.group(0))
    filters = []
    for column, values in by_column.items():
        quoted = ", ".join(literal(v) for v in values)
        cond = f"{column.ref} = {quoted}" if len(values) == 1 else f"{column.ref} IN ({quoted})"
        filters.append((column, cond))
    return filters, spans


def _comparisons(
    q: str, mentions: list[tuple[int, Column]]
) -> tuple[list[tuple[Column, str]], set[Column]]:
    filters: list[tuple[Column, str]] = []
    used: set[Column] = set()
    for m in _COMPARE.finditer(q):
        candidates = [
            (abs(pos - m.start()), c) for pos, c in mentions if c.numeric and not c.is_key
        ]
        if not candidates:
            continue
        column = min(candidates, key=lambda x: x[0])[1]
        number = float(m.group(2).replace(",", ""))
        if m.group(3):
            number = number / 100
        filters.append((column, f"{column.ref} {_OPS[m.group(1)]} {number:g}"))
        used.add(column)
    return filters, used


_GROUP_CUE = re.compile(
    r"\b(?:by|per|for each|each|across|which|what|top \d+|bottom \d+|top|bottom"
    r"|most expensive|cheapest|best[- ]selling|most popular|least popular)\s+((?:[a-z_]+\s*){1,4})"
)


def _groups(
    q: str, mentions: list[tuple[int, Column]], schema: Schema, tables: list[str]
) -> list[tuple[Column, str | None]]:
    groups: list[tuple[Column, str | None]] = []
    for m in _GROUP_CUE.finditer(q):
        phrase, start = m.group(1), m.start(1)
        if re.match(r"(?:is|was|are|were|do|does|did|s|the|a|an|of|in)\b", phrase):
            continue  # "what is the ...": a question word, not a grouping
        # The noun phrase ends at the first preposition: "country in the consumer segment".
        phrase = re.split(
            r"\b(?:in|of|for|with|from|during|at|on|to|where|that|who|whose)\b", phrase
        )[0]
        for part in re.split(r"\band\b|,", phrase):
            column = _dimension(q, part, start + phrase.find(part), mentions, schema, tables)
            if column is not None and all(column != c for c, _ in groups):
                groups.append((column, None))
    return groups


def _dimension(
    q: str, part: str, part_start: int, mentions: list[tuple[int, Column]], schema: Schema,
    tables: list[str],
) -> Column | None:  # fmt: skip
    """The column a noun phrase after "by", "which", "top 5"... names, if any."""
    end = part_start + len(part) + 1
    inside = [
        (pos, c) for pos, c in mentions
        if part_start <= pos < end and not c.numeric and not c.is_key
    ]  # fmt: skip
    if inside:
        # The head of a noun phrase comes last: "customer segment" groups by segment.
        return max(inside, key=lambda x: x[0])[1]
    counted_before = re.search(
        r"\b(?:number of|how many)\b", q[max(0, part_start - 20) : part_start]
    )
    for table in tables:
        if _find(schema.table_words(table), part) >= 0 and not counted_before:
            label = _label_column(schema, table)
            # Only entities with names ("customers", "products") group; "per order" does not.
            return label if label is not None and "name" in label.name else None
    return None


def _base_for_count(
    schema: Schema,
    tables: list[str],
    groups: list[tuple[Column, str | None]],
    filters: list[tuple[Column, str]],
) -> str | None:
    if tables:
        return tables[0]
    if groups:
        return groups[0][0].table
    if filters:
        return filters[0][0].table
    return None


def _date_filters(q: str, column: Column) -> list[tuple[Column, str]]:
    ref = column.ref
    if m := re.search(r"\bq([1-4])\s*(?:of\s*)?(\d{4})\b", q):
        quarter, year = int(m.group(1)), int(m.group(2))
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return [(column, f"{ref} >= DATE '{start}' AND {ref} < DATE '{end}'")]
    names = "|".join(sorted(MONTHS, key=len, reverse=True))
    if m := re.search(rf"\b({names})\s+(?:of\s+)?(\d{{4}})\b", q):
        month, year = MONTHS[m.group(1)], int(m.group(2))
        start = date(year, month, 1)
        end = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
        return [(column, f"{ref} >= DATE '{start}' AND {ref} < DATE '{end}'")]
    if m := re.search(r"\bbetween\s+(\d{4}-\d{2}-\d{2})\s+and\s+(\d{4}-\d{2}-\d{2})\b", q):
        return [(column, f"{ref} >= DATE '{m.group(1)}' AND {ref} <= DATE '{m.group(2)}'")]
    if m := re.search(r"\b(since|after|from)\s+(\d{4}-\d{2}-\d{2})\b", q):
        op = ">=" if m.group(1) != "after" else ">"
        return [(column, f"{ref} {op} DATE '{m.group(2)}'")]
    if m := re.search(r"\bbefore\s+(\d{4}-\d{2}-\d{2})\b", q):
        return [(column, f"{ref} < DATE '{m.group(1)}'")]
    years = re.findall(r"\b((?:19|20)\d{2})\b", q)
    if len(years) == 1:
        return [(column, f"year({ref}) = {years[0]}")]
    if len(years) == 2 and re.search(r"\bbetween|from|to\b", q):
        low, high = sorted(int(y) for y in years)
        return [(column, f"year({ref}) BETWEEN {low} AND {high}")]
    return []


def _ranking(q: str, plan: Plan) -> None:
    if plan.groups and plan.groups[0][1] is not None:
        plan.order = "time"
        return
    if m := re.search(r"\b(top|bottom|best|worst|highest|lowest|largest|smallest)\s+(\d+)\b", q):
        plan.limit = int(m.group(2))
        plan.order = "asc" if m.group(1) in ("bottom", "worst", "lowest", "smallest") else "desc"
        return
    if not plan.groups:
        return
    asks_for_one = re.search(
        r"\b(?:which|what|most|least|highest|lowest|best|worst|most expensive|cheapest)\b", q
    )
    if asks_for_one and (re.search(_DESC, q) or re.search(_ASC, q)):
        plan.limit = 1
        plan.order = "asc" if re.search(_ASC, q) and not re.search(_DESC, q) else "desc"
    else:
        plan.order = "desc"


def to_sql(plan: Plan, schema: Schema) -> str | None:
    """The SQL of a plan, or None when its tables cannot be joined."""
    needed = {c.table for c, _ in plan.groups} | {c.table for c, _ in plan.filters}
    joins = []
    for table in sorted(needed - {plan.table}):
        key = schema.join_key(plan.table, table)
        if key is None:
            return None
        joins.append(f"JOIN {ident(table)} ON {key[0].ref} = {key[1].ref}")
    selects, group_refs = [], []
    for column, grain in plan.groups:
        expr = f"date_trunc('{grain}', {column.ref})" if grain else column.ref
        alias = f"{grain}" if grain else column.name
        selects.append(f"{expr} AS {ident(alias)}")
        group_refs.append(expr)
    if plan.measure is None:
        value, name = "count(*)", "count"
    else:
        value, name = f"{plan.agg}({plan.measure.ref})", f"{plan.agg}_{plan.measure.name}"
    if plan.share:
        value, name = f"{value} * 100.0 / sum({value}) OVER ()", f"share_of_{name}_pct"
    selects.append(f"{value} AS {ident(name)}")
    sql = f"SELECT {', '.join(selects)} FROM {ident(plan.table)}"
    if joins:
        sql += " " + " ".join(joins)
    if plan.filters:
        sql += " WHERE " + " AND ".join(f"({cond})" for _, cond in plan.filters)
    if group_refs:
        sql += " GROUP BY " + ", ".join(group_refs)
        if plan.order == "time":
            sql += " ORDER BY 1"
        elif plan.order:
            sql += f" ORDER BY {ident(name)} {'ASC' if plan.order == 'asc' else 'DESC'}"
    if plan.limit:
        sql += f" LIMIT {plan.limit}"
    return sql
