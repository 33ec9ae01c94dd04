"""The YAML semantic model a user uploads, in the style of Cortex Analyst / dbt
MetricFlow: tables with dimensions, time dimensions, measures (or facts and metrics) and
filters; relationships; verified queries. Read over the proposed model of the dataset."""

from __future__ import annotations

from typing import Any

import yaml
from sqlglot import exp

from tandem.apps.analyst.datasets import Dataset
from tandem.apps.analyst.formulas import count_conditions, expand, parse_formula
from tandem.apps.analyst.naming import words
from tandem.apps.analyst.semantic import (
    DIALECT,
    Measure,
    Relationship,
    Segment,
    SemanticModel,
    SemanticModelError,
    VerifiedQuery,
    propose,
)
from tandem.apps.analyst.validation import columns_of, real_column


def from_yaml(text: str, dataset: Dataset) -> SemanticModel:
    """A Cortex Analyst style YAML model (tables with dimensions, time_dimensions, measures
    or facts/metrics, filters; relationships; verified_queries)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SemanticModelError(
            f"the YAML model cannot be read: {exc}", param="dictionary"
        ) from exc
    if not isinstance(data, dict):
        raise SemanticModelError("the YAML model must be a mapping", param="dictionary")
    model = propose(dataset)
    model.source = "yaml"
    model.measures = [m for m in model.measures if not m.description.startswith("proposed")]
    columns = columns_of(dataset)
    for table in data.get("tables") or data.get("semantic_models") or []:
        _yaml_table(model, columns, table)
    for rel in data.get("relationships") or []:
        for pair in rel.get("relationship_columns") or [rel]:
            model.relationships.append(
                Relationship(
                    str(rel.get("left_table")),
                    str(pair.get("left_column")),
                    str(rel.get("right_table")),
                    str(pair.get("right_column")),
                )
            )
    for vq in data.get("verified_queries") or []:
        model.verified_queries.append(VerifiedQuery(str(vq.get("question")), str(vq.get("sql"))))
    return model


def _yaml_table(model: SemanticModel, columns: dict[str, dict[str, str]], spec: Any) -> None:
    table = str(spec.get("name", ""))
    if table not in columns:
        raise SemanticModelError(f"table '{table}': not in the dataset", param="dictionary")
    entity = model.entity(table)
    if entity is not None:
        entity.synonyms += [str(s).lower() for s in spec.get("synonyms") or []]
        entity.description = str(spec.get("description") or "")
        key = (spec.get("primary_key") or {}).get("columns") or []
        entity.key = str(key[0]) if key else entity.key
    for kind in ("dimensions", "time_dimensions"):
        for d in spec.get(kind) or []:
            column = real_column(columns, table, str(d.get("expr") or d.get("name")).strip('"'))
            existing = model.dimension(table, column)
            if existing is None:
                raise SemanticModelError(
                    f"dimension '{d.get('name')}': `{d.get('expr')}` names column "
                    f"'{column}', which {table} does not have",
                    param="dictionary",
                )
            existing.synonyms += [str(d.get("name")).lower()] + [
                str(s).lower() for s in d.get("synonyms") or []
            ]
            existing.description = str(d.get("description") or "")
    for m in (spec.get("measures") or []) + (spec.get("facts") or []) + (spec.get("metrics") or []):
        agg = str(m.get("default_aggregation") or m.get("agg") or "sum").lower()
        expr = str(m.get("expr") or m.get("name"))
        tree = parse_formula(str(m.get("name")), expand(model, expr))
        if tree.find(exp.AggFunc) is not None:
            agg, expr = "none", count_conditions(tree).sql(dialect=DIALECT)
        model.measures.append(
            Measure(
                name=words(str(m.get("name"))),
                table=table,
                expr=expr,
                agg="avg" if agg in ("average", "mean") else agg,
                synonyms=[str(s).lower() for s in m.get("synonyms") or []],
                description=str(m.get("description") or ""),
                filter=m.get("filter"),
                per=m.get("per"),
                percent=bool(m.get("percent", False)),
            )
        )
    for f in spec.get("filters") or []:
        model.segments.append(
            Segment(
                str(f.get("name")).lower(),
                table,
                str(f.get("expr")),
                [str(s).lower() for s in f.get("synonyms") or []],
            )
        )
