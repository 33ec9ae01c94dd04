"""A plan as SQL, built from sqlglot expressions (identifiers and literals are nodes, never
pasted text), joining tables along the semantic model's relationships."""

from __future__ import annotations

import itertools
from datetime import date

import sqlglot
from sqlglot import exp

from tandem.apps.analyst.periods import Window
from tandem.apps.analyst.plan import Group, Plan
from tandem.apps.analyst.semantic import DIALECT, Measure, SemanticModel, display_columns


class CompileError(Exception):
    """A plan whose tables cannot be joined."""


def col(table: str, column: str) -> exp.Column:
    """A quoted, table-qualified column."""
    return exp.column(column, table=table, quoted=True)


def qualify(expression: str, table: str, columns: dict[str, str]) -> exp.Expr:
    """An expression of the semantic model with every column tied to its table."""
    tree = sqlglot.parse_one(expression, dialect=DIALECT)

    def tie(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table:
            return col(table, columns.get(node.name.lower(), node.name))
        return node

    return tree.transform(tie)


def in_window(column: exp.Expr, window: Window) -> exp.Expr:
    """start <= column < end, with dates as typed literals."""
    parts: list[exp.Expr] = []
    if window.start > date(1900, 1, 1):
        parts.append(exp.GTE(this=column.copy(), expression=_date(window.start)))
    if window.end < date(9999, 1, 1):
        parts.append(exp.LT(this=column.copy(), expression=_date(window.end)))
    return exp.and_(*parts) if parts else exp.true()


def _date(day: date) -> exp.Expr:
    return exp.cast(exp.Literal.string(day.isoformat()), exp.DataType.build("DATE"))


def period(column: exp.Expr, grain: str, one_year: bool = False) -> exp.Expr:
    """A period label: months as 2024-01, quarters as 2024-Q1 (Q1 where the question's
    period is one calendar year: "orders per quarter in 2024"), years as numbers."""
    if grain == "year":
        return exp.func("year", column)
    if grain == "quarter" and one_year:
        return exp.func("concat", exp.Literal.string("Q"), exp.func("quarter", column))
    if grain == "quarter":
        return exp.func(
            "concat",
            exp.func("year", column),
            exp.Literal.string("-Q"),
            exp.func("quarter", column),
        )
    fmt = {"month": "%Y-%m", "week": "%Y-%m-%d", "day": "%Y-%m-%d"}[grain]
    base = exp.func("date_trunc", exp.Literal.string(grain), column) if grain == "week" else column
    return exp.func("strftime", base, exp.Literal.string(fmt))


class Compiler:
    """Plans over one semantic model as SQL text."""

    def __init__(self, model: SemanticModel, columns: dict[str, dict[str, str]]) -> None:
        self.model = model
        self.columns = columns

    def value(self, plan: Plan) -> exp.Expr:
        """The aggregate expression of the plan's measure (or its count)."""
        if plan.measure is None:
            if plan.count_key is not None:
                return exp.Count(this=exp.Distinct(expressions=[col(*plan.count_key)]))
            return exp.Count(this=exp.Star())
        return self.aggregate(plan.measure, plan.agg)

    def aggregate(self, m: Measure, agg: str) -> exp.Expr:
        """A measure aggregated (`none`: the expression aggregates itself)."""
        inner = qualify(m.expr, m.table, self.columns[m.table])
        if agg == "none":
            value = inner
        elif agg == "count_distinct":
            value = exp.Count(this=exp.Distinct(expressions=[inner]))
        else:
            value = exp.func(agg, inner)
        if m.filter:
            # Every aggregate inside gets the condition: `SUM(a) / COUNT(b)` filters both.
            value = with_condition(value, qualify(m.filter, m.table, self.columns[m.table]))
        if m.percent:
            value = exp.Mul(this=value, expression=exp.Literal.number(100))
        return value

    def joins(self, base: str, tables: set[str]) -> list[tuple[str, exp.Expr]]:
        """Join clauses reaching every table from `base` along relationships."""
        done = {base}
        out: list[tuple[str, exp.Expr]] = []
        for target in sorted(tables - {base}):
            path = self.model.path(base, target)
            if path is None:
                raise CompileError(f"no relationship joins {base} to {target}")
            for a, b in itertools.pairwise(path):
                if b in done:
                    continue
                pair = self.model.join(a, b)
                assert pair is not None
                out.append((b, exp.EQ(this=col(a, pair[0]), expression=col(b, pair[1]))))
                done.add(b)
        return out

    def where(self, plan: Plan) -> list[exp.Expr]:
        """The plan's row conditions, its period included."""
        out = [c.sql.copy() for c in plan.conditions]
        if plan.window is not None and plan.time_column is not None and plan.mode != "growth":
            out.append(in_window(col(*plan.time_column), plan.window))
        return out

    def sql(self, plan: Plan) -> str:
        """The SQL of a plan."""
        if plan.mode == "both" and plan.anti is None:
            return self._in_every(plan).sql(dialect=DIALECT)
        if plan.mode == "anti" or plan.mode == "both":
            return self._anti(plan).sql(dialect=DIALECT)
        if plan.mode == "change":
            return self._change(plan).sql(dialect=DIALECT)
        select = self._grouped(plan)
        if plan.mode == "growth":
            select = self._growth(plan, select)
        return select.sql(dialect=DIALECT)

    def _from(self, plan: Plan, tables: set[str]) -> exp.Select:
        select = exp.select().from_(exp.to_table(plan.table, quoted=True))
        for table, on in self.joins(plan.table, tables):
            select = select.join(exp.to_table(table, quoted=True), on=on)
        return select

    def _grouped(self, plan: Plan) -> exp.Select:
        tables = {g.table for g in plan.groups} | _condition_tables(plan)
        if plan.per_group is not None:
            tables.add(plan.per_group.table)
        if plan.time_column is not None:
            tables.add(plan.time_column[0])
        if plan.count_key is not None:
            tables.add(plan.count_key[0])
        if plan.measure is not None:
            tables |= self.model.measure_tables(plan.measure)
        select = self._from(plan, tables)
        if plan.measure is not None and plan.measure.per:
            return self._per_entity(plan, select)
        keys: list[exp.Expr] = []
        for g in ([plan.per_group] if plan.per_group else []) + plan.groups:
            key = (
                period(col(g.table, g.column), g.grain, _one_year(plan.window))
                if g.grain
                else col(g.table, g.column)
            )
            keys.append(key)
            select = select.select(exp.alias_(key, g.alias or g.column, quoted=True))
        extra: list[exp.Expr] = []
        for g in plan.groups:
            if g.grain == "quarter":
                # Beside "2024-Q1", the year and the quarter as numbers, for sorting and joins.
                ref = col(g.table, g.column)
                parts = [("quarter_of_year", exp.func("quarter", ref))]
                if not _one_year(plan.window):
                    parts.insert(0, ("year", exp.func("year", ref.copy())))
                for alias, part in parts:
                    extra.append(part)
                    select = select.select(exp.alias_(part.copy(), alias, quoted=True))
        value = self.value(plan)
        if plan.pct is not None:
            # "% of orders with a loyalty card", "share of net sales from hot drinks": the
            # value over the rows meeting the condition, as a percent of the value overall.
            value = exp.Div(
                this=exp.Mul(
                    this=with_condition(value, plan.pct.sql), expression=exp.Literal.number("100.0")
                ),
                expression=exp.func("nullif", value.copy(), exp.Literal.number(0)),
            )
        if plan.share:
            value = exp.Div(
                this=exp.Mul(this=value.copy(), expression=exp.Literal.number("100.0")),
                expression=exp.Window(this=exp.func("sum", value), partition_by=[]),
            )
        name = _value_name(plan)
        select = select.select(exp.alias_(value, name, quoted=True))
        conditions = self.where(plan)
        if conditions:
            select = select.where(exp.and_(*conditions))
        if keys:
            select = select.group_by(*keys, *extra)
        for op, number in plan.having:
            test = _COMPARISONS[op](this=value.copy(), expression=exp.Literal.number(number))
            select = select.having(test)
        if keys and plan.measure is not None and plan.measure.filter and not plan.share:
            # A group with no row the measure counts has no value, as if filtered out.
            select = select.having(exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())))
        return self._ordered(plan, select, name, keys)

    def _ordered(
        self, plan: Plan, select: exp.Select, name: str, keys: list[exp.Expr]
    ) -> exp.Select:
        value = exp.column(name, quoted=True)
        if plan.order == "time" and keys:
            select = select.order_by(*[k.copy() for k in keys])
        elif plan.order in ("desc", "asc") and keys:
            select = select.order_by(exp.Ordered(this=value, desc=plan.order == "desc"))
        if plan.per_group is not None and plan.limit:
            rank = exp.Window(
                this=exp.func("row_number"),
                partition_by=[keys[0].copy()],
                order=exp.Order(
                    expressions=[exp.Ordered(this=self.value(plan), desc=plan.order != "asc")]
                ),
            )
            select = select.qualify(exp.LTE(this=rank, expression=exp.Literal.number(plan.limit)))
        elif plan.limit:
            select = select.limit(plan.limit)
        return select

    def _per_entity(self, plan: Plan, select: exp.Select) -> exp.Select:
        """Aggregate per entity first, then average (ARPA, orders per customer)."""
        m = plan.measure
        assert m is not None
        assert m.per
        per = col(m.table, self.columns[m.table].get(m.per.lower(), m.per))
        inner_value = self.aggregate(
            Measure(m.name, m.table, m.expr, m.agg, filter=m.filter), m.agg
        )
        inner = select.select(exp.alias_(per, "entity", quoted=True))
        keys: list[exp.Expr] = [per]
        outer_keys: list[exp.Expr] = []
        for g in plan.groups:
            key = period(col(g.table, g.column), g.grain) if g.grain else col(g.table, g.column)
            inner = inner.select(exp.alias_(key, g.alias or g.column, quoted=True))
            keys.append(key)
            outer_keys.append(exp.column(g.alias or g.column, quoted=True))
        inner = inner.select(exp.alias_(inner_value, "value", quoted=True))
        conditions = self.where(plan)
        if conditions:
            inner = inner.where(exp.and_(*conditions))
        inner = inner.group_by(*keys)
        name = _value_name(plan)
        outer = exp.select(*outer_keys).from_(inner.subquery("per_entity"))
        outer = outer.select(
            exp.alias_(exp.func("avg", exp.column("value", quoted=True)), name, quoted=True)
        )
        if outer_keys:
            outer = outer.group_by(*[k.copy() for k in outer_keys])
        return self._ordered(plan, outer, name, outer_keys)

    def _growth(self, plan: Plan, series: exp.Select) -> exp.Select:
        """The series with each period's percent change on the one before, then the window."""
        name = _value_name(plan)
        period_col = exp.column(plan.groups[0].alias or plan.groups[0].column, quoted=True)
        value = exp.column(name, quoted=True)
        previous = exp.Window(
            this=exp.func("lag", value.copy()), order=exp.Order(expressions=[period_col.copy()])
        )
        growth = exp.Mul(
            this=exp.Div(
                this=exp.Paren(this=exp.Sub(this=value.copy(), expression=previous.copy())),
                expression=exp.func("nullif", previous, exp.Literal.number(0)),
            ),
            expression=exp.Literal.number(100),
        )
        inner = exp.select(
            period_col.copy(), value.copy(), exp.alias_(growth, "growth_pct", quoted=True)
        ).from_(series.subquery("series"))
        outer = exp.select(exp.Star()).from_(inner.subquery("growth"))
        if plan.window is not None and plan.time_column is not None and plan.groups[0].grain:
            label_start = self._label(plan.window.start, plan.groups[0].grain)
            label_end = self._label(plan.window.end, plan.groups[0].grain)
            outer = outer.where(
                exp.and_(
                    exp.GTE(this=period_col.copy(), expression=label_start),
                    exp.LT(this=period_col.copy(), expression=label_end),
                )
            )
        return outer.order_by(period_col.copy())

    @staticmethod
    def _label(day: date, grain: str) -> exp.Expr:
        if grain == "year":
            return exp.Literal.number(day.year)
        if grain == "quarter":
            return exp.Literal.string(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
        return exp.Literal.string(day.strftime("%Y-%m") if grain == "month" else day.isoformat())

    def _change(self, plan: Plan) -> exp.Select:
        """Two periods side by side and the percent change from the first to the second."""
        assert plan.time_column is not None
        assert len(plan.windows) == 2
        earlier, later = sorted(plan.windows, key=lambda w: w.start)
        tables = _condition_tables(plan) | {plan.time_column[0]}
        if plan.measure is not None:
            tables |= self.model.measure_tables(plan.measure)
        select = self._from(plan, tables)
        values = []
        for window in (earlier, later):
            value = with_condition(self.value(plan), in_window(col(*plan.time_column), window))
            values.append(value)
            select = select.select(exp.alias_(value.copy(), window.label, quoted=True))
        change = exp.Mul(
            this=exp.Div(
                this=exp.Paren(this=exp.Sub(this=values[1].copy(), expression=values[0].copy())),
                expression=exp.func("nullif", values[0].copy(), exp.Literal.number(0)),
            ),
            expression=exp.Literal.number(100),
        )
        select = select.select(exp.alias_(change, "change_pct", quoted=True))
        if plan.conditions:
            select = select.where(exp.and_(*[c.sql.copy() for c in plan.conditions]))
        return select

    def _in_every(self, plan: Plan) -> exp.Query:
        """ "customers who came in both in 2025 and 2026": the distinct values a measure
        counts, present in every period asked, counted."""
        m = plan.measure
        assert m is not None
        assert plan.time_column is not None
        counted = qualify(m.expr, m.table, self.columns[m.table])
        tables = _condition_tables(plan) | {plan.time_column[0]} | self.model.measure_tables(m)
        parts: list[exp.Select] = []
        for window in plan.windows:
            select = self._from(plan, tables).select(counted.copy())
            where = [c.sql.copy() for c in plan.conditions] + [
                in_window(col(*plan.time_column), window),
                exp.Not(this=exp.Is(this=counted.copy(), expression=exp.Null())),
            ]
            if m.filter:
                where.append(qualify(m.filter, m.table, self.columns[m.table]))
            parts.append(select.where(exp.and_(*where)))
        query: exp.Query = parts[0]
        for part in parts[1:]:
            query = exp.intersect(query, part, distinct=True)
        return exp.select(exp.alias_(exp.Count(this=exp.Star()), "count", quoted=True)).from_(
            query.subquery("in_every_period")
        )

    def _anti(self, plan: Plan) -> exp.Select:
        """Entities with no activity in the period (anti), or with activity in every period."""
        assert plan.anti is not None
        entity, key, pointer = plan.anti
        entity_def = self.model.entity(entity)
        label = entity_def.label if entity_def and entity_def.label else key
        shown = display_columns(self.model, entity_def) if entity_def else [key]
        select = exp.select(
            *[exp.alias_(col(entity, c), c, quoted=True) for c in shown or [key]]
        ).from_(exp.to_table(entity, quoted=True))
        periods = plan.windows or ([plan.window] if plan.window else [])
        holder = plan.anti_via or plan.table
        tests = []
        for window in periods or [Window(date(1900, 1, 1), date(9999, 1, 1), "ever")]:
            activity = exp.select(col(holder, pointer)).from_(exp.to_table(plan.table, quoted=True))
            if holder != plan.table:
                # Activity recorded further away: claims -> policies -> the customer.
                for table, on in self.joins(plan.table, {holder}):
                    activity = activity.join(exp.to_table(table, quoted=True), on=on)
            where = [
                *([in_window(col(*plan.time_column), window)] if plan.time_column else []),
                *[c.sql.copy() for c in plan.conditions if c.table == plan.table],
            ]
            if where:
                activity = activity.where(exp.and_(*where))
            test = exp.In(this=col(entity, key), query=activity.subquery())
            tests.append(exp.Not(this=test) if plan.mode == "anti" else test)
        entity_conditions = [c.sql.copy() for c in plan.conditions if c.table == entity]
        listed = select.where(exp.and_(*tests, *entity_conditions))
        if plan.count_rows:
            return exp.select(exp.alias_(exp.Count(this=exp.Star()), "count", quoted=True)).from_(
                listed.subquery("entities")
            )
        return listed.order_by(col(entity, label))


_COMPARISONS: dict[str, type[exp.Binary]] = {
    "gt": exp.GT,
    "gte": exp.GTE,
    "lt": exp.LT,
    "lte": exp.LTE,
    "eq": exp.EQ,
}


def _one_year(window: Window | None) -> bool:
    """Whether a period lies within one calendar year."""
    if window is None:
        return False
    last = date.fromordinal(window.end.toordinal() - 1)
    return window.start.year == last.year


def _condition_tables(plan: Plan) -> set[str]:
    """The tables a plan's conditions name (a condition on a measure may reach lookups)."""
    every = plan.conditions + ([plan.pct] if plan.pct is not None else [])
    out = {c.table for c in every}
    for c in every:
        out |= {column.table for column in c.sql.find_all(exp.Column) if column.table}
    return out


def _value_name(plan: Plan) -> str:
    if plan.pct is not None:
        return (
            "pct_of_rows"
            if plan.measure is None
            else f"pct_of_{plan.measure.name.replace(' ', '_')}"
        )
    if plan.measure is None:
        base = "count_distinct" if plan.count_key else "count"
    elif plan.agg == "none" or plan.measure.per:
        base = plan.measure.name.replace(" ", "_")
    else:
        base = f"{plan.agg}_{plan.measure.name.replace(' ', '_')}"
    return f"share_of_{base}_pct" if plan.share else base


def group(table: str, column: str, grain: str | None = None) -> Group:
    """A group whose alias is the grain or the column."""
    return Group(table, column, grain, grain or column)


def negate(condition: exp.Expr) -> exp.Expr:
    """The rows a condition does not pick, blanks included: `NOT (c IS TRUE)` (a plain
    `NOT c` drops rows where `c` is NULL: "not refunded" must keep the blank ones)."""
    return exp.Not(this=exp.Is(this=exp.Paren(this=condition), expression=exp.true()))


def with_condition(node: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """`node` with every aggregate in it counting only rows that meet `condition`: an
    aggregate gets a FILTER, an aggregate that has one gets the two conditions joined (a
    measure of stays in a period), and a ratio of aggregates gets both sides filtered."""
    if isinstance(node, exp.Filter):
        where = node.args["expression"]
        joined = exp.and_(where.this.copy(), condition.copy())
        return exp.Filter(this=node.this.copy(), expression=exp.Where(this=joined))
    if isinstance(node, exp.AggFunc):
        return exp.Filter(this=node.copy(), expression=exp.Where(this=condition.copy()))
    node = node.copy()
    for key, child in list(node.args.items()):
        if isinstance(child, exp.Expr):
            node.set(key, with_condition(child, condition))
        elif isinstance(child, list):
            node.set(
                key,
                [with_condition(c, condition) if isinstance(c, exp.Expr) else c for c in child],
            )
    return node
