"""Where a defined measure's figures come from, as its definition's prose says: the table
whose rows it runs over ("over installs") and the date it is counted on, on its own table
or a joined one ("counted in the period of `classes."Class Date"`")."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from tandem.apps.analyst.prose import dated_by, over_table
from tandem.apps.analyst.semantic import DIALECT, Measure, SemanticModel


def temporal(model: SemanticModel, table: str) -> dict[str, str]:
    """A table's date columns: lowercase name -> name."""
    return {d.column.lower(): d.column for d in model.dimensions if d.table == table and d.temporal}


def qualified(measure: Measure) -> bool:
    """Whether every column a measure names says its table (so it may run over another)."""
    parts = [measure.expr, *([measure.filter] if measure.filter else [])]
    return all(
        c.table for p in parts for c in sqlglot.parse_one(p, dialect=DIALECT).find_all(exp.Column)
    )


def place(model: SemanticModel, body: str, measure: Measure) -> None:
    """Set the measure's table and date from its definition's `body`."""
    moved = over_table(model, body, measure.table)
    if moved is not None and qualified(measure):
        # "`SUM(quotes."System Size")` over installs": an install's own quote's size.
        measure.table = moved
    measure.time = dated_by(body, temporal(model, measure.table))
    if measure.time is not None:
        return
    for other in sorted({d.table for d in model.dimensions if d.temporal} - {measure.table}):
        if model.join(measure.table, other) and (
            found := dated_by(body, temporal(model, other), table=other)
        ):
            measure.time, measure.time_table = found, other
            return
