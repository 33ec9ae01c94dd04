"""/v1/evals over the app on fake deployments: create, run (jsonl and completions), poll,
output items, cancel, and 400s that name the field."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script

SCHEMA = {
    "type": "object",
    "properties": {"q": {"type": "string"}, "a": {"type": "string"}},
    "required": ["q", "a"],
}
CHECK = {
    "type": "string_check",
    "name": "exact",
    "input": "{{sample.output_text}}",
    "reference": "{{item.a}}",
    "operation": "ilike",
}


async def _eval(client: httpx.AsyncClient, criteria: list[dict[str, Any]] | None = None) -> str:
    body = {
        "name": "qa",
        "data_source_config": {
            "type": "custom",
            "item_schema": SCHEMA,
            "include_sample_schema": True,
        },
        "testing_criteria": criteria or [CHECK],
    }
    response = await client.post("/v1/evals", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


async def _finished(client: httpx.AsyncClient, eval_id: str, run_id: str) -> dict[str, Any]:
    for _ in range(200):
        run = (await client.get(f"/v1/evals/{eval_id}/runs/{run_id}")).json()
        if run["status"] in ("completed", "failed", "canceled"):
            return dict(run)
        await asyncio.sleep(0.02)
    raise AssertionError("the run did not finish")


async def test_completions_run_grades_each_item(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    eval_id = await _eval(client)
    fake_of(platform).enqueue(Script(text="It is Paris."), Script(text="No idea"))
    rows = [
        {"item": {"q": "Capital of France?", "a": "paris"}},
        {"item": {"q": "Capital of Peru?", "a": "lima"}},
    ]
    source = {
        "type": "completions",
        "model": "fake",
        "source": {"type": "file_content", "content": rows},
        "input_messages": {
            "type": "template",
            "template": [{"role": "user", "content": "{{item.q}}"}],
        },
        "sampling_params": {"max_completion_tokens": 8, "temperature": 0},
    }
    created = await client.post(f"/v1/evals/{eval_id}/runs", json={"data_source": source})
    assert created.status_code == 200, created.text
    run = await _finished(client, eval_id, created.json()["id"])
    assert run["status"] == "completed"
    assert run["result_counts"] == {"total": 2, "passed": 1, "failed": 1, "errored": 0}
    assert run["per_testing_criteria_results"] == [
        {"testing_criteria": "exact", "passed": 1, "failed": 1}
    ]
    assert run["per_model_usage"][0]["model_name"] == "fake"
    assert run["per_model_usage"][0]["invocation_count"] == 2
    items = (await client.get(f"/v1/evals/{eval_id}/runs/{run['id']}/output_items")).json()
    assert [i["status"] for i in items["data"]] == ["pass", "fail"]
    assert items["data"][0]["sample"]["output"][0]["content"] == "It is Paris."
    asked = fake_of(platform).history[0][1]
    assert asked.messages[0].content == "Capital of France?"
    failed = await client.get(
        f"/v1/evals/{eval_id}/runs/{run['id']}/output_items", params={"status": "fail"}
    )
    assert [i["datasource_item_id"] for i in failed.json()["data"]] == [1]


async def test_jsonl_run_with_samples_and_listing(client: httpx.AsyncClient) -> None:
    eval_id = await _eval(client)
    rows = [{"item": {"q": "x", "a": "yes"}, "sample": {"output_text": "YES"}}]
    source = {"type": "jsonl", "source": {"type": "file_content", "content": rows}}
    created = (await client.post(f"/v1/evals/{eval_id}/runs", json={"data_source": source})).json()
    run = await _finished(client, eval_id, created["id"])
    assert run["result_counts"]["passed"] == 1
    listed = (await client.get(f"/v1/evals/{eval_id}/runs")).json()
    assert [r["id"] for r in listed["data"]] == [created["id"]]
    assert (await client.delete(f"/v1/evals/{eval_id}")).json()["deleted"] is True
    assert (await client.get(f"/v1/evals/{eval_id}")).status_code == 404


async def test_cancel_stops_a_run(client: httpx.AsyncClient, platform: Platform) -> None:
    eval_id = await _eval(client)
    fake_of(platform).enqueue(*[Script(text="slow", delay_s=0.5) for _ in range(6)])
    rows = [{"item": {"q": str(i), "a": "x"}} for i in range(6)]
    source = {
        "type": "completions",
        "model": "fake",
        "source": {"type": "file_content", "content": rows},
        "input_messages": {"type": "item_reference", "item_reference": "item.q"},
    }
    source["input_messages"] = {
        "type": "template",
        "template": [{"role": "user", "content": "{{item.q}}"}],
    }
    run = (await client.post(f"/v1/evals/{eval_id}/runs", json={"data_source": source})).json()
    await asyncio.sleep(0.1)
    canceled = await client.post(f"/v1/evals/{eval_id}/runs/{run['id']}/cancel")
    assert canceled.json()["status"] == "canceled"
    await asyncio.sleep(0.6)
    final = (await client.get(f"/v1/evals/{eval_id}/runs/{run['id']}")).json()
    assert final["status"] == "canceled"
    assert final["result_counts"]["total"] < 6


async def test_bad_specs_are_400s_naming_the_field(client: httpx.AsyncClient) -> None:
    config = {"type": "custom", "item_schema": SCHEMA}
    cases = [
        (
            {
                "data_source_config": {"type": "custom", "item_schema": {"type": "nope"}},
                "testing_criteria": [CHECK],
            },
            "data_source_config.item_schema",
        ),
        (
            {"data_source_config": config, "testing_criteria": [{**CHECK, "operation": "regex"}]},
            "testing_criteria[0].operation",
        ),
        (
            {"data_source_config": config, "testing_criteria": [{**CHECK, "input": "{{os.x}}"}]},
            "testing_criteria[0].input",
        ),
        (
            {
                "data_source_config": config,
                "testing_criteria": [{"type": "python", "name": "p", "source": "import os"}],
            },
            "testing_criteria[0].type",
        ),
        (
            {
                "data_source_config": config,
                "testing_criteria": [
                    {
                        "type": "score_model",
                        "name": "s",
                        "model": "missing",
                        "input": [{"role": "user", "content": "x"}],
                    }
                ],
            },
            "testing_criteria[0].model",
        ),
    ]
    for body, param in cases:
        response = await client.post("/v1/evals", json=body)
        assert response.status_code == 400, (param, response.text)
        assert response.json()["error"]["param"] == param
    eval_id = await _eval(client)
    bad_item = {
        "type": "jsonl",
        "source": {"type": "file_content", "content": [{"item": {"q": "x"}}]},
    }
    response = await client.post(f"/v1/evals/{eval_id}/runs", json={"data_source": bad_item})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "data_source.source.content[0].item"
    no_model = {
        "type": "completions",
        "source": bad_item["source"],
        "input_messages": {"type": "template", "template": [{"role": "user", "content": "hi"}]},
    }
    response = await client.post(f"/v1/evals/{eval_id}/runs", json={"data_source": no_model})
    assert response.json()["error"]["param"] == "data_source.model"


async def test_deleting_a_run_through_the_wrong_eval_stops_nothing(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    eval_id, other = await _eval(client), await _eval(client)
    fake_of(platform).enqueue(*[Script(text="x", delay_s=0.1) for _ in range(3)])
    rows = [{"item": {"q": str(i), "a": "x"}} for i in range(3)]
    source = {
        "type": "completions",
        "model": "fake",
        "source": {"type": "file_content", "content": rows},
        "input_messages": {
            "type": "template",
            "template": [{"role": "user", "content": "{{item.q}}"}],
        },
    }
    run = (await client.post(f"/v1/evals/{eval_id}/runs", json={"data_source": source})).json()
    refused = await client.delete(f"/v1/evals/{other}/runs/{run['id']}")
    assert refused.status_code == 404
    final = await _finished(client, eval_id, run["id"])
    assert final["status"] == "completed"
    assert final["result_counts"]["total"] == 3
