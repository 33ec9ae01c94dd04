"""A measure from a formula: the formula parsed, other measures it names expanded (with the
rows they count), its aggregation, and the rows a measure's description says it counts."""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tandem.apps.analyst.compile import negate
from tandem.apps.analyst.semantic import (
    _AVERAGED,
    DIALECT,
    Measure,
    Segment,
    SemanticModel,
    SemanticModelError,
    singular,
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
        agg, tree = _agg_name(tree), tree.this
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
    percent = agg == "none" and bool(re.search(r"rate|share|ratio|pct|percent", name))
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
        if isinstance(node, exp.Count) and isinstance(node.this, exp.Predicate):
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
            and re.search(rf"\b{re.escape(ident)}\b", text)
            and not any(ident.lower() == d.column.lower() for d in model.dimensions)
        ):
            found.append(measure)
    return found


def expand(model: SemanticModel, text: str) -> str:
    """Other measures named inside a formula, replaced by their own expressions. Where the
    named measures count different rows, each keeps its own rows (`CASE WHEN its filter`);
    where they agree, the shared filter is the new measure's (`_inherited`)."""
    named = _references(model, text)
    shared = _inherited(named)
    for measure in named:
        ident = measure.name.replace(" ", "_")
        expr = measure.expr
        if measure.filter and measure.filter != shared:
            expr = f"CASE WHEN {measure.filter} THEN {expr} END"
        text = re.sub(rf"\b{re.escape(ident)}\b", f"({expr})", text)
    return text


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
        for segment in model.segments:
            if segment.table != m.table:
                continue
            words_ = [w for w in (segment.name, *segment.synonyms) if len(w) >= 3]
            if m.agg != "none" and any(
                re.search(rf"\b(?:of|for|from)\s+(?:the\s+|all\s+)?{re.escape(w)}(?:s|es)?\b", said)
                for w in words_
            ):
                m.filter = segment.condition
                break
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
