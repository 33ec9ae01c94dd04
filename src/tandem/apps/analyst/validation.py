"""Checking a semantic model against its dataset: every table, column and SQL expression it
names must exist, and a measure's columns of other tables must be reachable through
many-to-one relationships (they are qualified with their table here)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tandem.apps.analyst.datasets import Dataset
from tandem.apps.analyst.semantic import (
    AGGREGATIONS,
    DIALECT,
    Dimension,
    Measure,
    Relationship,
    Segment,
    SemanticModel,
    SemanticModelError,
    Skipped,
)


def columns_of(dataset: Dataset) -> dict[str, dict[str, str]]:
    """Per table, its columns by lowercase name: how a written name finds the real one."""
    return {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}


def real_column(columns: dict[str, dict[str, str]], table: str, name: str) -> str:
    """The column of `table` that `name` means, case aside (`name` itself when none)."""
    return columns[table].get(name.lower(), name)


def check(model: SemanticModel, dataset: Dataset, lenient: bool = False) -> None:
    """Refuse a model that names tables, columns or SQL the dataset does not have.

    `lenient` (a Markdown dictionary, prose a person wrote): a measure, segment or
    relationship that does not fit is left out and listed in `model.skipped` with the
    reason, so one formula the planner cannot use does not refuse the whole upload."""
    columns = columns_of(dataset)

    def table_of(where: str, table: str) -> dict[str, str]:
        if table not in columns:
            raise SemanticModelError(
                f"{where}: no table '{table}' (tables: {', '.join(sorted(columns))})",
                param="dictionary",
            )
        return columns[table]

    def keep(name: str, synonyms: list[str], test: Callable[[], None]) -> bool:
        try:
            test()
        except SemanticModelError as exc:
            if not lenient:
                raise
            model.skipped.append(Skipped(name, exc.message, list(synonyms)))
            return False
        return True

    def dimension_fits(d: Dimension) -> None:
        if d.column.lower() not in table_of(f"dimension '{d.name}'", d.table):
            raise SemanticModelError(
                f"dimension '{d.name}': no column '{d.column}' in {d.table}", param="dictionary"
            )

    def measure_fits(m: Measure) -> None:
        if m.agg not in AGGREGATIONS:
            raise SemanticModelError(
                f"measure '{m.name}': aggregation '{m.agg}' is not one of "
                f"{', '.join(AGGREGATIONS)}",
                param="dictionary",
            )
        known = table_of(f"measure '{m.name}'", m.table)
        m.expr = bind_expression(f"measure '{m.name}'", m.expr, m.table, model, columns)
        if m.filter:
            m.filter = bind_expression(
                f"measure '{m.name}' filter", m.filter, m.table, model, columns
            )
        if m.per and m.per.lower() not in known:
            raise SemanticModelError(
                f"measure '{m.name}': no column '{m.per}' in {m.table}", param="dictionary"
            )

    def segment_fits(s: Segment) -> None:
        check_expression(
            f"segment '{s.name}'", s.condition, table_of(f"segment '{s.name}'", s.table)
        )

    def relationship_fits(r: Relationship) -> None:
        for table, column in ((r.table, r.column), (r.to_table, r.to_column)):
            if column.lower() not in table_of("relationship", table):
                raise SemanticModelError(
                    f"relationship {r.table}.{r.column} -> {r.to_table}.{r.to_column}: "
                    f"no column '{column}' in {table}",
                    param="dictionary",
                )

    model.dimensions = [
        d for d in model.dimensions if keep(d.name, d.synonyms, partial(dimension_fits, d))
    ]
    model.relationships = [
        r
        for r in model.relationships
        if keep(f"{r.table}.{r.column}", [], partial(relationship_fits, r))
    ]
    model.measures = [
        m for m in model.measures if keep(m.name, m.synonyms, partial(measure_fits, m))
    ]
    model.segments = [
        s for s in model.segments if keep(s.name, s.synonyms, partial(segment_fits, s))
    ]


def bind_expression(
    where: str, expr: str, table: str, model: SemanticModel, columns: dict[str, dict[str, str]]
) -> str:
    """A measure's expression with every column of another table qualified by that table.

    A column the measure's own table lacks is looked up in the tables its rows reach
    through many-to-one relationships (nearest first): "kWh Used * Unit Rate" on readings
    takes the rate from the meter's tariff. A column found nowhere is a 400 naming it."""
    reach = model.lookups(table)
    names = {t.lower(): t for t in columns}
    tree = check_expression(where, expr, None)

    def bind(node: exp.Expr) -> exp.Expr:
        if not isinstance(node, exp.Column):
            return node
        name = node.name.lower()
        if node.table:
            owner = names.get(node.table.lower())
            if owner is None or owner not in reach:
                raise SemanticModelError(
                    f"{where}: `{expr}` names table '{node.table}', which {table} does not "
                    f"reach through a relationship (it reaches: {', '.join(sorted(reach))})",
                    param="dictionary",
                )
        else:
            found = sorted((d, t) for t, d in reach.items() if name in columns[t])
            if not found:
                raise SemanticModelError(
                    f"{where}: `{expr}` names column '{node.name}', which the table does not "
                    f"have (columns of {table}: {', '.join(sorted(columns[table].values()))})",
                    param="dictionary",
                )
            owner = found[0][1]
        if name not in columns[owner]:
            raise SemanticModelError(
                f"{where}: `{expr}` names column '{node.name}', which {owner} does not have",
                param="dictionary",
            )
        if owner == table:
            return node
        return exp.column(columns[owner][name], table=owner, quoted=True)

    tree = tree.transform(bind)
    return tree.sql(dialect=DIALECT)


def check_expression(where: str, expr: str, known: dict[str, str] | None) -> exp.Expr:
    """Parse one expression and check that every column it names exists."""
    try:
        tree = sqlglot.parse_one(expr, dialect=DIALECT)
    except SqlglotError as exc:
        raise SemanticModelError(
            f"{where}: `{expr}` is not a SQL expression ({str(exc).splitlines()[0]})",
            param="dictionary",
        ) from exc
    if isinstance(tree, exp.Query) or tree.find(exp.Select, exp.Subquery) is not None:
        raise SemanticModelError(f"{where}: `{expr}` must be an expression, not a query")
    for column in tree.find_all(exp.Column):
        if known is not None and column.name.lower() not in known:
            raise SemanticModelError(
                f"{where}: `{expr}` names column '{column.name}', which the table does not "
                f"have (columns: {', '.join(sorted(known.values()))})",
                param="dictionary",
            )
    return tree
