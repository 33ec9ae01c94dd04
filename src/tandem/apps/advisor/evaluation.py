"""The proposed evaluation: the candidate deployments on the caller's own tasks, as an eval in
OpenAI's Evals shape (`data_source_config` + `testing_criteria`), one run per deployment over
the same items, and the items as JSONL (`{"item": {...}}` per line)."""

from __future__ import annotations

import json
from typing import Any

from tandem.apps.advisor.inputs import Context, SampleTask

EXAMPLES_PER_USE_CASE = 3
GENERIC_USE_CASES = (
    "answering questions from your documents",
    "summarising a long text",
    "drafting a reply to a customer",
)
SAMPLES_FILE = "advisor-samples.jsonl"

ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "use_case": {"type": "string"},
        "input": {"type": "string"},
        "expected": {"type": "string"},
    },
    "required": ["input", "expected"],
}


def _items(context: Context) -> tuple[list[dict[str, str]], bool]:
    """The caller's tasks; or, without them, a template to fill in (True)."""
    if context.sample_tasks:
        return [_own(t) for t in context.sample_tasks], False
    items: list[dict[str, str]] = []
    for use_case in context.use_cases or GENERIC_USE_CASES:
        for n in range(1, EXAMPLES_PER_USE_CASE + 1):
            items.append(
                {
                    "use_case": use_case,
                    "input": (
                        f"[replace: real request #{n} for '{use_case}', as a user would write it]"
                    ),
                    "expected": (
                        "[replace: the answer you would accept, or a phrase it must contain]"
                    ),
                }
            )
    return items, True


def _own(task: SampleTask) -> dict[str, str]:
    # With no reference answer, the criteria compare against the input (a weak check the
    # caller is told about); a real reference is worth writing.
    return {"use_case": "your task", "input": task.input, "expected": task.expected or ""}


def proposed_evaluation(candidates: list[str], context: Context) -> dict[str, Any]:
    """The eval, its runs (one per candidate) and the items as JSONL."""
    items, template = _items(context)
    spec = {
        "name": "Candidate deployments on your own tasks",
        "data_source_config": {
            "type": "custom",
            "item_schema": ITEM_SCHEMA,
            "include_sample_schema": True,
        },
        "testing_criteria": [
            {
                "type": "string_check",
                "name": "contains the expected answer",
                "input": "{{sample.output_text}}",
                "reference": "{{item.expected}}",
                "operation": "ilike",
            },
            {
                "type": "text_similarity",
                "name": "close to the expected answer",
                "input": "{{sample.output_text}}",
                "reference": "{{item.expected}}",
                "evaluation_metric": "fuzzy_match",
                "pass_threshold": 0.6,
            },
        ],
        "metadata": {"source": "tandem-advisor"},
    }
    runs = [_run(name, items) for name in candidates]
    jsonl = "".join(json.dumps({"item": item}, ensure_ascii=False) + "\n" for item in items)
    compare = " ".join(f"--deployment {name}" for name in candidates)
    return {
        "eval": spec,
        "runs": runs,
        "candidates": candidates,
        "samples_jsonl": jsonl,
        "samples_are_template": template,
        "how_to_run": (
            f"Fill in {SAMPLES_FILE} with 20-50 real tasks, then create the eval with "
            f"POST /v1/evals and one run per deployment (the `runs` here), or: "
            f"tandem eval run {SAMPLES_FILE} {compare}"
        ),
    }


def _run(deployment: str, items: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "name": f"{deployment} on your tasks",
        "data_source": {
            "type": "completions",
            "model": deployment,
            "input_messages": {
                "type": "template",
                "template": [
                    {"role": "developer", "content": "Answer the request concisely."},
                    {"role": "user", "content": "{{item.input}}"},
                ],
            },
            "sampling_params": {"temperature": 0, "max_completion_tokens": 512},
            "source": {"type": "file_content", "content": [{"item": i} for i in items]},
        },
    }
