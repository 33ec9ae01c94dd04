"""Evals, runs and output items as the `openai` SDK reads them."""

from __future__ import annotations

from typing import Any

from tandem.stateful.ids import unix
from tandem.store.models import EvalOutputItemRow, EvalRow, EvalRunRow
from tandem.wire import JSONObject

SAMPLE_SCHEMA: JSONObject = {
    "type": "object",
    "properties": {
        "model": {"type": "string"},
        "choices": {"type": "array"},
        "output_text": {"type": "string"},
        "output_json": {"type": "object"},
        "output_tools": {"type": "array"},
        "latency_ms": {"type": "number"},
        "cost_usd": {"type": "number"},
    },
    "required": ["model", "output_text"],
}
EMPTY_COUNTS = {"total": 0, "passed": 0, "failed": 0, "errored": 0}
_SAMPLE_DEFAULTS: JSONObject = {
    "error": None,
    "finish_reason": "",
    "input": [],
    "max_completion_tokens": 0,
    "model": "",
    "output": [],
    "seed": 0,
    "temperature": 1.0,
    "top_p": 1.0,
    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cached_tokens": 0},
}


def config_object(config: dict[str, Any]) -> JSONObject:
    """The stored data_source_config as the API shows it: the schema of item and sample."""
    properties: JSONObject = {"item": config["item_schema"]}
    required = ["item"]
    if config.get("include_sample_schema"):
        properties["sample"] = SAMPLE_SCHEMA
        required.append("sample")
    schema = {"type": "object", "properties": properties, "required": required}
    return {"type": "custom", "schema": schema}


def eval_object(row: EvalRow) -> JSONObject:
    """An eval."""
    return {
        "id": row.id,
        "object": "eval",
        "name": row.name,
        "created_at": unix(row.created_at),
        "data_source_config": config_object(row.data_source_config),
        "testing_criteria": row.testing_criteria,
        "metadata": row.metadata_ or {},
    }


def run_object(row: EvalRunRow) -> JSONObject:
    """A run with its counts so far."""
    return {
        "id": row.id,
        "object": "eval.run",
        "eval_id": row.eval_id,
        "name": row.name,
        "model": row.model,
        "status": row.status,
        "created_at": unix(row.created_at),
        "data_source": row.data_source,
        "error": row.error,
        "metadata": row.metadata_ or {},
        "report_url": f"/v1/evals/{row.eval_id}/runs/{row.id}/output_items",
        "result_counts": row.result_counts or EMPTY_COUNTS,
        "per_model_usage": row.per_model_usage,
        "per_testing_criteria_results": row.per_testing_criteria_results,
    }


def output_item_object(row: EvalOutputItemRow) -> JSONObject:
    """One graded item."""
    return {
        "id": row.id,
        "object": "eval.run.output_item",
        "eval_id": row.eval_id,
        "run_id": row.run_id,
        "created_at": unix(row.created_at),
        "datasource_item_id": row.datasource_item_id,
        "datasource_item": row.datasource_item,
        "status": row.status,
        "results": row.results,
        "sample": {**_SAMPLE_DEFAULTS, **(row.sample or {})},
    }


def page(data: list[JSONObject], more: bool) -> JSONObject:
    """A list page in OpenAI's shape."""
    return {
        "object": "list",
        "data": data,
        "has_more": more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
