"""The model's turn: it fills in a plan whose fields are limited to the dataset's columns.

Rather than free SQL (which a small model rarely gets right), the model answers with JSON
under a schema whose enums are this dataset's own columns and operations; llama.cpp
enforces the schema by grammar, so what comes back always compiles to valid SQL.
"""

from __future__ import annotations

from typing import Any

from tandem.apps.analyst.planner import Plan
from tandem.apps.analyst.schema import Column, Schema
from tandem.apps.analyst.sql import literal

AGGREGATES = ["sum", "avg", "count", "min", "max"]
GRAINS = ["none", "day", "week", "month", "quarter", "year"]


def _name(column: Column) -> str:
    return f"{column.table}.{column.name}"


def plan_schema(schema: Schema) -> dict[str, Any]:
    """The JSON schema of a plan over this dataset."""
    columns = schema.columns()
    measures = [_name(c) for c in columns if c.numeric and not c.is_key] or ["none"]
    dimensions = [_name(c) for c in columns if not c.numeric or c.temporal] or ["none"]
    return {
        "type": "object",
        "properties": {
            "aggregate": {"enum": AGGREGATES},
            "measure": {"enum": ["none", *measures]},
            "group_by": {"enum": ["none", *dimensions]},
            "time_grain": {"enum": GRAINS},
            "filter_column": {"enum": ["none", *dimensions]},
            "filter_value": {"type": "string"},
            "order": {"enum": ["none", "desc", "asc"]},
            "limit": {"type": "integer"},
        },
        "required": [
            "aggregate", "measure", "group_by", "time_grain", "filter_column",
            "filter_value", "order", "limit",
        ],
    }  # fmt: skip


def plan_prompt(schema: Schema) -> str:
    """The system prompt: the dataset's tables and what each plan field means."""
    lines = ["You plan a database query answering the user's question. Tables:"]
    for table, cols in schema.tables.items():
        described = ", ".join(
            f"{c.name} {c.type}" + (f" (e.g. {', '.join(c.values[:3])})" if c.values else "")
            for c in cols
        )
        lines.append(f"- {table}({described})")
    lines.append(
        "Answer with JSON: aggregate (sum, avg, count, min, max), measure (table.column or none "
        "for counting rows), group_by (table.column or none), time_grain, filter_column and "
        'filter_value (or none and ""), order (desc, asc, none) and limit (0 for all).'
    )
    return "\n".join(lines)


def to_plan(answer: dict[str, Any], schema: Schema) -> Plan | None:
    """The Plan the model's JSON describes, or None when it names nothing usable."""
    by_name = {_name(c): c for c in schema.columns()}
    measure = by_name.get(str(answer.get("measure")))
    group = by_name.get(str(answer.get("group_by")))
    agg = str(answer.get("aggregate", "count"))
    if agg not in AGGREGATES or (agg != "count" and measure is None):
        return None
    base = measure.table if measure else (group.table if group else next(iter(schema.tables)))
    grain = str(answer.get("time_grain", "none"))
    groups: list[tuple[Column, str | None]] = []
    if group is not None:
        groups.append((group, grain if grain != "none" and group.temporal else None))
    plan = Plan(table=base, agg=agg, measure=measure if agg != "count" else None, groups=groups)
    column = by_name.get(str(answer.get("filter_column")))
    value = str(answer.get("filter_value", "")).strip()
    if column is not None and value:
        if column.values and value.lower() not in {v.lower() for v in column.values}:
            return None  # a value the column never holds: the model made it up
        plan.filters.append((column, f"{column.ref} = {literal(value)}"))
    order = str(answer.get("order", "none"))
    limit = answer.get("limit")
    if groups and groups[0][1] is not None:
        plan.order = "time"
    elif order in ("desc", "asc"):
        plan.order = order
    if isinstance(limit, int) and 0 < limit <= 1000:
        plan.limit = limit
    return plan
