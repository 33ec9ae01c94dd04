"""A measure from a formula: the formula parsed, other measures it names expanded (with the
rows they count), its aggregation, and the rows a measure's description says it counts."""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tandem.apps.analyst.compile import negate
from tandem.apps.analyst.naming import singular
from tandem.apps.analyst.semantic import (
    _AVERAGED,
    DIALECT,
    Measure,
    Segment,
    SemanticModel,
    SemanticModelError,
)

_PER = re.compile(r"^\s*(\w+)\s*\(\s*(.+?)\s+per\s+(\w+)\s*\)\s*$", re.I)
_WHERE = re.compile(r"^(.*?\S)\s+where\s+(.+)$", re.I | re.S)


def shaped(rhs: str) -> bool:
    """Whether a formula is `AGG(m) WHERE cond` or `AGG(m per key)` (a measure, never a
    condition, and not SQL as written)."""
    return bool(_WHERE.match(rhs) or _PER.match(rhs))


def parse_formula(title: str, text: str) -> exp.Expr:
    try:
        return sqlglot.parse_one(text, dialect=DIALECT)
    except SqlglotError as exc:
        raise SemanticModelError(
            f"definition '{title}': `{text}` is not a SQL expression", param="dictionary"
        ) from exc


def is_condition(tree: exp.Expr) -> bool:
    return isinstance(tree, exp.Predicate | exp.Column | exp.And | exp.Or | exp.Not | exp.Is)


def measure_of(
    model: SemanticModel, name: str, table: str, rhs: str, synonyms: list[str], body: str
) -> Measure:
    """A measure from a formula: a row expression, `AGG(m) WHERE cond`, `AVG(m per key)`,
    or an expression that aggregates itself (a rate, a ratio)."""
    description = re.sub(r"`[^`]*`", "", body.split("means", 1)[-1]).strip(" :.")
    filter_ = None
    if where := _WHERE.match(rhs):
        rhs, filter_ = where.group(1), expand(model, where.group(2))
    filter_ = _joined(_inherited(_references(model, rhs)), filter_)
    per = None
    if m := _PER.match(rhs):
        rhs, per = f"{m.group(1)}({m.group(2)})", m.group(3)
    tree = parse_formula(name, expand(model, rhs))
    agg = "sum"
    if isinstance(tree, exp.AggFunc) and per is None and not list(tree.find_all(exp.Window)):
        inner = tree.this
        if isinstance(inner, exp.Distinct) and len(inner.expressions) == 1:
            inner = inner.expressions[0]  # COUNT(DISTINCT x): count_distinct of x
        agg = _agg_name(tree)
        if agg != "none" and inner is not None and not isinstance(inner, exp.Star):
            tree = inner
    elif isinstance(tree, exp.AggFunc) and per is not None:
        # `AVG(net_revenue per acct_id)`: each account's total of the measure named (its
        # own aggregation, a sum for an amount), then the average of those totals.
        named = _references(model, rhs)
        outer = _agg_name(tree)
        agg = named[0].agg if len(named) == 1 and outer == "avg" else outer
        tree = tree.this
    elif tree.find(exp.AggFunc) is not None:
        agg, tree = "none", count_conditions(tree)
    else:
        # A difference or sum of amounts adds up ("margin = net sales - cost"), whatever
        # its name suggests; a price, a rate or a duration per row is averaged.
        dated = {d.column.lower() for d in model.dimensions if d.temporal}
        additive = isinstance(tree, exp.Add | exp.Sub) and not any(
            c.name.lower() in dated for c in tree.find_all(exp.Column)
        )
        averaged = bool(_AVERAGED.search(name)) and not additive
        agg = "avg" if averaged or tree.find(exp.DateDiff) else "sum"
    hundred = any(
        isinstance(n, exp.Literal) and n.this in ("100", "100.0")
        for mul in tree.find_all(exp.Mul)
        for n in (mul.this, mul.expression)
    )
    # A share is a percentage; a rate only when it divides counts ("conversion rate"), not
    # amounts ("labour rate" is dollars per hour).
    counts = tree.find(exp.Count) is not None or tree.find(exp.CountIf) is not None
    percent = (
        agg == "none"
        and not hundred
        and bool(
            re.search(r"share|pct|percent", name) or (re.search(r"rate|ratio", name) and counts)
        )
    )
    return Measure(
        name=name,
        table=table,
        expr=tree.sql(dialect=DIALECT),
        agg=agg,
        synonyms=[s for s in synonyms if s != name],
        description=description,
        filter=filter_,
        per=per,
        percent=percent,
    )


def _agg_name(tree: exp.Expr) -> str:
    if isinstance(tree, exp.Count):
        return "count_distinct" if tree.find(exp.Distinct) else "count"
    names: dict[type[exp.Expr], str] = {
        exp.Sum: "sum",
        exp.Avg: "avg",
        exp.Min: "min",
        exp.Max: "max",
    }
    return names.get(type(tree), "none")


def count_conditions(tree: exp.Expr) -> exp.Expr:
    """COUNT(status = 'refunded') means the rows where it holds, not the non-null ones."""

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Count) and isinstance(
            node.this, exp.Predicate | exp.Not | exp.And | exp.Or | exp.Is
        ):
            return exp.func("count_if", node.this.copy())
        return node

    return tree.transform(rewrite)


def _references(model: SemanticModel, text: str) -> list[Measure]:
    """The other measures a formula names (`aov = SUM(net_sales) / orders`), longest first."""
    found: list[Measure] = []
    for measure in sorted(model.measures, key=lambda m: -len(m.name)):
        ident = measure.name.replace(" ", "_")
        if (
            measure.agg != "none"
            and re.search(rf"\b{re.escape(ident)}(?:s|es)?\b", text)  # "lost_charges" too
            and not any(ident.lower() == d.column.lower() for d in model.dimensions)
        ):
            found.append(measure)
    return found


def expand(model: SemanticModel, text: str) -> str:
    """Other measures named inside a formula, replaced by their own expressions. Where the
    named measures count different rows, each keeps its own rows (`CASE WHEN its filter`);
    where they agree, the shared filter is the new measure's (`_inherited`)."""
    named = _references(model, text)
    if not named:
        return text
    shared = _inherited(named)
    by_ident = {m.name.replace(" ", "_").lower(): m for m in named}
    try:
        tree = sqlglot.parse_one(text, dialect=DIALECT)
    except SqlglotError:
        tree = None
    # A ratio of measures ("labour_revenue / labour_hours", "revenue / COUNT(DISTINCT
    # job)") divides their totals, not each row's values: a measure named outside any
    # aggregate goes in aggregated there; inside one ("SUM(line_value)") as its row value.
    ratio = tree is not None and (
        any(not isinstance(d.expression, exp.Literal) for d in tree.find_all(exp.Div))
        or tree.find(exp.AggFunc) is not None
    )

    def row(measure: Measure) -> str:
        expr = measure.expr
        if measure.filter and measure.filter != shared:
            expr = f"CASE WHEN {measure.filter} THEN {expr} END"
        return expr

    if tree is None or not ratio:
        for measure in named:
            ident = measure.name.replace(" ", "_")
            text = re.sub(
                rf"\b{re.escape(ident)}(?:s|es)?\b",
                lambda _: f"({row(measure)})",  # noqa: B023
                text,
            )
        return text

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table:
            name = node.name.lower()
            measure = by_ident.get(name) or by_ident.get(singular(name))
            if measure is not None:
                expr = row(measure)
                if node.find_ancestor(exp.AggFunc) is None:
                    expr = _aggregated(measure.agg, expr)
                return exp.Paren(this=sqlglot.parse_one(expr, dialect=DIALECT))
        return node

    return tree.transform(swap).sql(dialect=DIALECT)


def _aggregated(agg: str, expr: str) -> str:
    if agg == "count_distinct":
        return f"COUNT(DISTINCT {expr})"
    return f"{agg.upper()}({expr})"


def _inherited(named: list[Measure]) -> str | None:
    """The filter every filtered measure a formula names agrees on: "net sales leave out
    refunded lines", so margin, AOV and margin % built on net sales leave them out too."""
    filters = {m.filter for m in named if m.filter}
    return filters.pop() if len(filters) == 1 else None


def _joined(a: str | None, b: str | None) -> str | None:
    return f"({a}) AND ({b})" if a and b and a != b else (a or b)


def scope_measures(model: SemanticModel) -> None:
    """A measure whose meaning says whose rows it counts ("the room charge of stays",
    "revenue from paid orders") takes that named condition as its filter; one that says
    whose rows it leaves out ("over lines that were not refunded") takes its opposite."""
    for m in model.measures:
        if m.filter is not None or not m.description:
            continue
        said = m.description.lower()
        reach = model.lookups(m.table)
        for segment in model.segments:
            if segment.table not in reach:
                continue
            words_ = [w for w in (segment.name, *segment.synonyms) if len(w) >= 3]
            if m.agg != "none" and any(
                re.search(
                    rf"\b(?:of|for|from|over)\s+(?:the\s+|all\s+)?{re.escape(w)}(?:s|es)?\b", said
                )
                for w in words_
            ):
                # "revenue over lines of completed jobs": a condition of the line's job;
                # "bookings over signed deals" count on the date deals count on.
                m.filter = owned(segment.condition, segment.table, m.table)
                if m.time is None and segment.table == m.table:
                    m.time = segment.time
                break
            if segment.table != m.table:
                continue
            if _NEGATIVE.search(segment.name):
                # "lines that were not refunded" names the condition "not refunded" itself.
                if re.search(rf"\b{re.escape(segment.name)}\b", said):
                    m.filter = segment.condition
                    break
                continue
            if any(
                re.search(rf"{_LEAVE_OUT}{re.escape(w)}\b", said) for w in _marks(model, segment)
            ):
                condition = sqlglot.parse_one(segment.condition, dialect=DIALECT)
                m.filter = negate(condition).sql(dialect=DIALECT)
                break


# "not refunded", "excluding cancelled orders", "leave out voided lines".
_LEAVE_OUT = (
    r"\b(?:not|never|excluding|excludes?|except|without|leaves? out|leaving out|ignoring)\s+"
    r"(?:(?:the|any|all|lines|rows|orders|ones|that|which|were|are|was|is|been)\s+){0,3}"
)


_NEGATIVE = re.compile(r"\b(?:not|non|no|never|without)\b")


def _marks(model: SemanticModel, segment: Segment) -> list[str]:
    """The words of a condition's name that say what it is, not whose rows ("refunded" of
    "refunded lines")."""
    nouns = {singular(w) for e in model.entities for s in e.synonyms for w in s.split()}
    named = [w for w in re.findall(r"[a-z]+", segment.name.lower()) if len(w) >= 4]
    return [w for w in named if singular(w) not in nouns and w not in ("line", "lines", "rows")]


def owned(condition: str, table: str, measure_table: str) -> str:
    """A condition of `table` as a measure of `measure_table` uses it: its columns
    qualified with their table where that is another one (a job's "Date Out" on its lines)."""
    if table == measure_table:
        return condition
    tree = sqlglot.parse_one(condition, dialect=DIALECT)

    def tie(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table:
            return exp.column(node.name, table=table, quoted=True)
        return node

    return tree.transform(tie).sql(dialect=DIALECT)


# "every measure built from `lines`", "all measures on orders".
_EVERY = re.compile(r"\b(?:every|all|each|any)\s+(?:\w+\s+)?(?:measures?|metrics?|figures?)\b")
_ONLY = re.compile(r"\bonly\b|\bcounts? (?:just|solely)\b")
_LEAVES_OUT = re.compile(
    r"\b(?:leaves? out|leaving out|excludes?|excluding|exclude|ignores?|never count|do not count"
    r"|don't count|not counted|bring no|brings no|are not counted|is not counted)\b"
)


def scope_rule(model: SemanticModel, title: str, body: str, tables: list[str]) -> list[str]:
    """A dictionary rule that scopes measures instead of defining one: "**Only completed
    jobs are invoiced**: every measure built from `job_lines` counts lines of completed
    jobs only", "tickets sold, fees and commission leave out orders with `"Refunded On" IS
    NOT NULL`". The condition (a formula in the rule, or a named condition it mentions)
    becomes the filter of the measures it names, or of every amount of the tables it
    names; "leave out" takes its opposite. Returns the names of the measures scoped."""
    text = f"{title} {body}".replace("*", "")
    plain = re.sub(r"`[^`]*`", lambda m: m.group(0).strip("`"), text).lower()
    condition: tuple[str, str] | None = None  # (condition, its table)
    for span in re.findall(r"`([^`]+)`", text):
        try:
            tree = sqlglot.parse_one(span, dialect=DIALECT)
        except SqlglotError:
            continue
        if isinstance(tree, exp.Column) or not is_condition(tree):
            continue
        names = {c.name.lower() for c in tree.find_all(exp.Column)}
        owner = next(
            (
                t
                for t in tables
                if names and names <= {d.column.lower() for d in model.dimensions if d.table == t}
            ),
            None,
        )
        if owner is not None:
            condition = (tree.sql(dialect=DIALECT), owner)
            break
    if condition is None:
        for segment in sorted(model.segments, key=lambda g: -len(g.name)):
            said = [w for w in (segment.name, *segment.synonyms) if len(w) >= 4]
            if any(re.search(rf"\b{re.escape(w)}(?:s|es)?\b", plain) for w in said):
                condition = (segment.condition, segment.table)
                break
    if condition is None:
        return []
    cond, owner = condition
    leave_out = bool(_LEAVES_OUT.search(plain))
    if not leave_out and not _ONLY.search(plain):
        return []
    if leave_out:
        cond = negate(sqlglot.parse_one(cond, dialect=DIALECT)).sql(dialect=DIALECT)
    spans = {c.strip().lower() for c in re.findall(r"`([^`]+)`", text)}
    every = {
        t
        for t in tables
        if _EVERY.search(plain)
        and (t.lower() in spans or re.search(rf"\bthe {re.escape(t.lower())} table\b", plain))
    }
    listed = [p.strip() for p in re.split(r",|\band\b|\(|\)|:", plain) if p.strip()]
    scoped: list[str] = []
    for m in model.measures:
        if owner not in model.lookups(m.table):
            continue
        said = [m.name, *m.synonyms]
        named = any(
            re.search(rf"\b{re.escape(n)}(?:s|es)?\b", plain) for n in said if len(n) >= 4
        ) or any(len(p) >= 4 and (m.name.endswith(p) or p.endswith(m.name)) for p in listed)
        counts_keys = m.agg in ("count", "count_distinct")
        if not (named or (m.table in every and not counts_keys)):
            continue
        mine = owned(cond, owner, m.table)
        if m.filter and mine in m.filter:
            continue
        m.filter = f"({m.filter}) AND ({mine})" if m.filter else mine
        scoped.append(m.name)
    return scoped
