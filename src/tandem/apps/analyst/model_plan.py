"""The model's turn: grammar-constrained slot filling of the same plan the parser builds.

The model answers with JSON under a schema whose enums are this dataset's own measures,
dimensions and periods (llama.cpp enforces it by grammar), so whatever comes back is a
plan over the semantic model that compiles to SQL; a value the column never holds is
refused rather than run.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlglot import exp

from tandem.apps.analyst.compile import col, group
from tandem.apps.analyst.linking import stem, tokens
from tandem.apps.analyst.periods import Window
from tandem.apps.analyst.plan import Condition, Plan
from tandem.apps.analyst.semantic import Dimension, Measure, SemanticModel, is_key

AGGREGATES = ["sum", "avg", "count", "min", "max"]
GRAINS = ["none", "day", "week", "month", "quarter", "year"]


def _years(model: SemanticModel) -> list[str]:
    return [f"year {y}" for y in range(2015, date.today().year + 1)]


FIELDS = [
    "measure",
    "aggregate",
    "group_by",
    "time_grain",
    "filter_column",
    "filter_value",
    "period",
    "order",
    "limit",
]


def _dimensions(model: SemanticModel) -> list[Dimension]:
    """The dimensions a plan may group or filter by (not keys' numbers or amounts)."""
    return [d for d in model.dimensions if not d.numeric or d.temporal]


def plan_schema(model: SemanticModel) -> dict[str, Any]:
    """The JSON schema of a plan over this semantic model. The measure comes first: a small
    model fills slots in order, and the aggregation follows from what is measured."""
    measures = [f"{m.table}.{m.name}" for m in model.measures] or ["none"]
    dims = [f"{d.table}.{d.column}" for d in _dimensions(model)]
    properties: dict[str, Any] = {
        "measure": {"enum": ["none", *measures]},
        "aggregate": {"enum": AGGREGATES},
        "group_by": {"enum": ["none", *dims]},
        "time_grain": {"enum": GRAINS},
        "filter_column": {"enum": ["none", *dims]},
        "filter_value": {"type": "string"},
        "period": {"enum": ["none", *_years(model)]},
        "order": {"enum": ["none", "desc", "asc"]},
        "limit": {"type": "integer"},
    }
    return {"type": "object", "properties": properties, "required": FIELDS}


def plan_prompt(model: SemanticModel) -> str:
    """The system prompt: measures with their definitions, dimensions with sample values,
    then worked examples written from this model's own names."""
    lines = ["You fill in a query plan answering the user's question. Measures:"]
    for m in model.measures:
        said = f" (also: {', '.join(m.synonyms[:4])})" if m.synonyms else ""
        lines.append(f"- {m.table}.{m.name} = {m.agg}({m.expr}){said}")
    lines.append("Dimensions:")
    for d in model.dimensions:
        if is_key(d.column) or (d.numeric and not d.temporal):
            continue
        sample = f" (e.g. {', '.join(d.values[:3])})" if d.values else ""
        lines.append(f"- {d.table}.{d.column}{sample}")
    lines.append(
        "Answer with JSON: measure (or none to count rows), aggregate, group_by, time_grain, "
        'filter_column and filter_value (or none and ""), period, order and limit (0 for all).'
    )
    examples = plan_examples(model)
    if examples:
        lines.append("Examples:")
        for question, answer in examples:
            lines.append(f"Q: {question}\nA: {json.dumps(answer)}")
    return "\n".join(lines)


def _slots(**given: Any) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "measure": "none",
        "aggregate": "count",
        "group_by": "none",
        "time_grain": "none",
        "filter_column": "none",
        "filter_value": "",
        "period": "none",
        "order": "none",
        "limit": 0,
    }
    return {k: given.get(k, empty[k]) for k in FIELDS}


def plan_examples(model: SemanticModel) -> list[tuple[str, dict[str, Any]]]:
    """A few questions and their plans, made from the model's own measures and dimensions
    (the same for every dataset's shape, never from an evaluation's questions)."""
    measures = [m for m in model.measures if m.agg in AGGREGATES and not is_key(m.name)]
    # The measures a dictionary defined (with words for them) before those read off columns.
    measures.sort(key=lambda m: not (m.synonyms or m.description))
    dims = [d for d in _dimensions(model) if not d.temporal and not is_key(d.column)]
    valued = [d for d in dims if d.values]
    out: list[tuple[str, dict[str, Any]]] = []
    if measures:
        m = measures[0]
        out.append((f"total {m.name}", _slots(measure=f"{m.table}.{m.name}", aggregate=m.agg)))
    if valued:
        d = valued[0]
        out.append(
            (
                f"how many {d.table} by {d.name}",
                _slots(group_by=f"{d.table}.{d.column}", order="desc"),
            )
        )
    entity = model.entity(measures[-1].table) if measures else None
    if measures and entity is not None and entity.time:
        m = measures[-1]
        out.append(
            (
                f"{m.name} per month in {date.today().year - 1}",
                _slots(
                    measure=f"{m.table}.{m.name}",
                    aggregate=m.agg,
                    group_by=f"{m.table}.{entity.time}",
                    time_grain="month",
                    period=f"year {date.today().year - 1}",
                ),
            )
        )
    if measures and len(valued) > 1:
        m, d = measures[min(1, len(measures) - 1)], valued[-1]
        value = d.values[0]
        out.append(
            (
                f"top 3 {valued[0].name} by {m.name} where {d.name} is {value}",
                _slots(
                    measure=f"{m.table}.{m.name}",
                    aggregate=m.agg,
                    group_by=f"{valued[0].table}.{valued[0].column}",
                    filter_column=f"{d.table}.{d.column}",
                    filter_value=value,
                    order="desc",
                    limit=3,
                ),
            )
        )
    return out


def _said(question: str, names: list[str]) -> bool:
    """Whether the question says one of the names (every word of it, by stem)."""
    asked = {stem(t) for t in tokens(question)}
    for name in names:
        parts = [stem(t) for t in tokens(re.sub(r"\([^)]*\)", " ", name))]
        if parts and all(p in asked for p in parts):
            return True
    return False


def _grounded(
    question: str,
    measure: Measure | None,
    agg: str,
    dim: Dimension | None,
    model: SemanticModel,
    grain: str = "none",
) -> bool:
    """The model's slots are the question's own words: its measure, its grouping column (or
    that column's table) and a count are all said; a plan the question does not support is
    a guess, and a guess is asked about instead of answered."""
    if measure is not None and not _said(question, [measure.name, *measure.synonyms]):
        return False
    if (
        measure is None
        and agg == "count"
        and not re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", question.lower())
    ):
        return False
    if dim is not None and dim.temporal and grain != "none" and _said(question, [grain]):
        return True  # "per month": the grain names the time column's grouping
    if dim is not None:
        entity = model.entity(dim.table)
        names = [dim.name, *dim.synonyms, *(entity.synonyms if entity else [])]
        if not _said(question, names):
            return False
    return True


def to_plan(
    answer: dict[str, Any], model: SemanticModel, question: str | None = None
) -> Plan | None:
    """The Plan the model's JSON describes, or None when it names nothing usable (or, given
    the question, when the question does not say what the plan uses)."""
    measures = {f"{m.table}.{m.name}": m for m in model.measures}
    dims = {f"{d.table}.{d.column}": d for d in model.dimensions}
    measure = measures.get(str(answer.get("measure")))
    dim = dims.get(str(answer.get("group_by")))
    agg = str(answer.get("aggregate", "count"))
    if agg not in AGGREGATES or (agg != "count" and measure is None):
        return None
    # A measure that aggregates itself, or counts distinct values, keeps its own aggregation:
    # the model's "sum" (or row count) of a distinct count would be another number.
    own = measure is not None and measure.agg not in AGGREGATES
    kept = measure if agg != "count" or own else None
    grain = str(answer.get("time_grain", "none"))
    if question is not None and not _grounded(question, kept, agg, dim, model, grain):
        return None
    base = measure.table if measure else (dim.table if dim else model.entities[0].table)
    plan = Plan(table=base, measure=kept, agg=measure.agg if measure and own else agg)
    if dim is not None:
        plan.groups.append(
            group(dim.table, dim.column, grain if grain != "none" and dim.temporal else None)
        )
    column = dims.get(str(answer.get("filter_column")))
    value = str(answer.get("filter_value", "")).strip()
    if column is not None and value:
        known = {v.lower(): v for v in column.values}
        if column.values and value.lower() not in known:
            return None  # a value the column never holds: the model made it up
        if question is not None and not _said(
            question, [value, *column.value_synonyms.get(known.get(value.lower(), value), [])]
        ):
            return None  # a value the question does not name
        value = known.get(value.lower(), value)
        cond = exp.EQ(this=col(column.table, column.column), expression=exp.Literal.string(value))
        plan.conditions.append(Condition(column.table, cond, f"{column.column} is {value}"))
    period = str(answer.get("period", "none"))
    entity = model.entity(base)
    if period.startswith("year ") and entity is not None and entity.time:
        year = int(period.split()[1])
        plan.window = Window(date(year, 1, 1), date(year + 1, 1, 1), str(year))
        plan.time_column = (base, entity.time)
    order, limit = str(answer.get("order", "none")), answer.get("limit")
    if plan.groups and plan.groups[0].grain is not None:
        plan.order = "time"
    elif order in ("desc", "asc"):
        plan.order = "desc" if order == "desc" else "asc"
    if isinstance(limit, int) and 0 < limit <= 1000:
        plan.limit = limit
    return plan
