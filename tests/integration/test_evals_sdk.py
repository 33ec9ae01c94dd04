"""Evals with the official SDK's `client.evals` on a live `tandem serve` (embedded model):
create, run on an inline dataset, poll, output items; and two deployments compared by
`tandem eval run` (the second proxies the first through the OpenAI-compatible backend)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from openai import OpenAI

# Newer SDKs mark `client.evals` deprecated (OpenAI is retiring its hosted Evals); the
# endpoints Tandem serves are unchanged, so the SDK's warning is not a failure here.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:The Evals API is deprecated:DeprecationWarning"),
]

ROWS = [
    {"item": {"question": "What is the capital of France?", "expected": "Paris"}},
    {"item": {"question": "Say the word blue.", "expected": "blue"}},
]
CRITERIA = [
    {
        "type": "string_check",
        "name": "mentions",
        "input": "{{sample.output_text}}",
        "reference": "{{item.expected}}",
        "operation": "ilike",
    },
    {"type": "latency", "name": "fast", "max_ms": 60_000},
    {"type": "content_safety", "name": "safe"},
]


@pytest.fixture(scope="module")
def second(tandem_url: str) -> Iterator[str]:
    """A runtime deployment that reaches the embedded model through the openai backend."""
    body = {
        "name": "smol-proxy",
        "backend": "openai",
        "options": {"base_url": f"{tandem_url}/v1", "model": "smollm2"},
    }
    created = httpx.post(f"{tandem_url}/admin/deployments", json=body, timeout=30)
    assert created.status_code == 201, created.text
    yield "smol-proxy"
    httpx.delete(f"{tandem_url}/admin/deployments/smol-proxy", timeout=30)


def test_sdk_create_run_poll_and_output_items(tandem_url: str) -> None:
    client = OpenAI(base_url=f"{tandem_url}/v1", api_key="unused")
    evaluation = client.evals.create(
        name="capitals",
        data_source_config={
            "type": "custom",
            "include_sample_schema": True,
            "item_schema": {
                "type": "object",
                "properties": {"question": {"type": "string"}, "expected": {"type": "string"}},
                "required": ["question", "expected"],
            },
        },
        testing_criteria=CRITERIA,  # type: ignore[arg-type]
    )
    assert client.evals.retrieve(evaluation.id).name == "capitals"
    created = client.evals.runs.create(
        evaluation.id,
        name="smollm2",
        data_source={
            "type": "completions",
            "model": "smollm2",  # type: ignore[misc,arg-type]
            "source": {"type": "file_content", "content": ROWS},
            "input_messages": {
                "type": "template",
                "template": [{"role": "user", "content": "{{item.question}}"}],
            },
            "sampling_params": {"max_completion_tokens": 12, "temperature": 0, "seed": 1},
        },
    )
    deadline = time.monotonic() + 240
    run = client.evals.runs.retrieve(created.id, eval_id=evaluation.id)
    while run.status in ("queued", "in_progress") and time.monotonic() < deadline:
        time.sleep(0.5)
        run = client.evals.runs.retrieve(created.id, eval_id=evaluation.id)
    assert run.status == "completed"
    assert run.result_counts.total == 2
    assert run.result_counts.errored == 0
    by_name = {r.testing_criteria: r for r in run.per_testing_criteria_results}
    assert by_name["fast"].passed == 2
    assert by_name["safe"].passed == 2
    assert run.per_model_usage[0].run_model_name == "smollm2"
    assert run.per_model_usage[0].invocation_count == 2
    items = list(client.evals.runs.output_items.list(run.id, eval_id=evaluation.id))
    assert [i.datasource_item_id for i in items] == [0, 1]
    assert all(i.sample.output[0].content for i in items)
    assert {r.name for r in items[0].results} == {"mentions", "fast", "safe"}
    listed = client.evals.runs.list(evaluation.id)
    assert [r.id for r in listed.data] == [run.id]
    assert client.evals.delete(evaluation.id).deleted


def test_cli_compares_two_deployments(tandem_url: str, second: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.jsonl"
    header = {
        "eval": {
            "name": "compare",
            "sampling_params": {"max_completion_tokens": 8, "temperature": 0},
        }
    }
    lines = [header, {"input": "What is the capital of France?", "expected": "Paris"}]
    spec.write_bytes(b"\n".join(orjson.dumps(x) for x in lines))
    chart = tmp_path / "chart.png"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tandem",
            "eval",
            "run",
            str(spec),
            "--deployment",
            "smollm2",
            "--deployment",
            second,
            "--chart",
            str(chart),
            "--server",
            tandem_url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "smollm2" in done.stdout
    assert second in done.stdout
    assert "completed" in done.stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
