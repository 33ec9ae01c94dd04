"""POST /v1/analyst/ask: planned answers, follow-ups, charts, the model's turn, isolation."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script

QUESTIONS = Path(__file__).resolve().parents[2] / "eval/analyst/questions.jsonl"


async def upload(client: httpx.AsyncClient, files: list[Path], **headers: str) -> str:
    response = await client.post(
        "/v1/datasets",
        files=[("files", (p.name, p.read_bytes(), "text/csv")) for p in files],
        data={"name": "retail"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def ask(
    client: httpx.AsyncClient, dataset: str, question: str, **extra: str
) -> httpx.Response:
    return await client.post(
        "/v1/analyst/ask", json={"dataset": dataset, "question": question, **extra}
    )


async def test_grouped_answer_with_chart(client: httpx.AsyncClient, retail: list[Path]) -> None:
    dataset = await upload(client, retail)
    response = await ask(client, dataset, "Revenue by region")
    body = response.json()
    assert body["method"] == "planner"
    assert body["columns"][0] == "region"
    assert len(body["rows"]) == 4
    assert body["rows"] == sorted(body["rows"], key=lambda r: -r[1])
    assert "region" in body["explanation"]
    spec = body["chart"]["vega_lite"]
    assert spec["mark"]["type"] == "bar"
    image = await client.get(body["chart"]["image_url"])
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")


async def test_time_series_is_a_line(client: httpx.AsyncClient, retail: list[Path]) -> None:
    dataset = await upload(client, retail)
    body = (await ask(client, dataset, "monthly revenue in 2024")).json()
    assert len(body["rows"]) == 12
    assert body["chart"]["vega_lite"]["mark"]["type"] == "line"
    assert body["rows"][0][0].startswith("2024-01")


async def test_follow_up_keeps_the_measure(client: httpx.AsyncClient, retail: list[Path]) -> None:
    dataset = await upload(client, retail)
    first = (await ask(client, dataset, "total revenue in the North")).json()
    follow = (
        await ask(client, dataset, "and by category?", conversation_id=first["conversation_id"])
    ).json()
    assert follow["columns"] == ["category", "sum_revenue"]
    assert "North" in follow["sql"]
    assert sum(r[1] for r in follow["rows"]) == pytest.approx(first["rows"][0][0])


async def test_words_that_name_nothing_are_asked_about_not_guessed(
    client: httpx.AsyncClient, platform: Platform, retail: list[Path]
) -> None:
    dataset = await upload(client, retail)
    model = fake_of(platform)
    calls = len(model.history)
    body = (await ask(client, dataset, "zzz qqq")).json()
    assert body["sql"] is None
    assert body["rows"] == []
    assert body["clarification"]["term"] == "zzz qqq"
    assert "revenue" in body["clarification"]["candidates"]
    assert len(model.history) == calls  # no model plan for a question naming nothing


async def test_the_model_gets_its_turn_and_is_sandboxed(
    client: httpx.AsyncClient, platform: Platform, retail: list[Path]
) -> None:
    dataset = await upload(client, retail)
    model = fake_of(platform)
    plan = {
        "aggregate": "count",
        "measure": "none",
        "group_by": "orders.region",
        "time_grain": "none",
        "filter_column": "orders.region",
        "filter_value": "Atlantis",
        "order": "desc",
        "limit": 0,
    }
    model.enqueue(
        Script(text=json.dumps(plan)),  # a value the column never holds
        Script(text=json.dumps({**plan, "filter_column": "none", "filter_value": ""})),
    )
    body = (await ask(client, dataset, "how many orders per region?", method="model")).json()
    assert body["method"] == "model (repaired)"
    assert [r[0] for r in body["rows"]] == sorted(
        [r[0] for r in body["rows"]], key=lambda region: -dict(body["rows"])[region]
    )
    assert len(body["rows"]) == 4
    asked = model.history[-1][1]
    assert asked.response_format.type == "json_schema"
    assert "failed" in asked.messages[-1].content
    enum = asked.response_format.json_schema.schema_["properties"]["measure"]["enum"]
    assert "orders.revenue" in enum
    model.enqueue(Script(text="not sql"), Script(text="still not sql"))
    refused = await ask(client, dataset, "zorbulate again", method="model")
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "question"
    # A plan the question does not say (no count asked for, no region named) is a guess.
    model.enqueue(
        Script(text=json.dumps({**plan, "filter_column": "none", "filter_value": ""})),
        Script(text=json.dumps({**plan, "filter_column": "none", "filter_value": ""})),
    )
    guessed = await ask(client, dataset, "zorbulate the flimflam", method="model")
    assert guessed.status_code == 400


async def test_datasets_and_charts_are_per_tenant(
    client: httpx.AsyncClient, platform: Platform, retail: list[Path]
) -> None:
    dataset = await upload(client, retail)
    answer = (await ask(client, dataset, "revenue by country")).json()
    store = platform.controls.keys
    from tandem.governance.keys import KeySpec

    other = store.create(KeySpec(tenant="globex"))
    mine = store.create(KeySpec(tenant="default"))
    theirs = {"authorization": f"Bearer {other.secret}"}
    assert (await client.get(f"/v1/datasets/{dataset}", headers=theirs)).status_code == 404
    response = await client.post(
        "/v1/analyst/ask", json={"dataset": dataset, "question": "revenue"}, headers=theirs
    )
    assert response.status_code == 404
    assert (await client.get(answer["chart"]["image_url"], headers=theirs)).status_code == 404
    ok = await client.get(
        answer["chart"]["image_url"], headers={"authorization": f"Bearer {mine.secret}"}
    )
    assert ok.status_code == 200


async def test_every_project_question_is_answered_correctly_by_the_planner(
    client: httpx.AsyncClient, retail: list[Path]
) -> None:
    dataset = await upload(client, retail)
    for line in QUESTIONS.read_text().splitlines()[:12]:
        item = json.loads(line)
        body = (await ask(client, dataset, item["q"])).json()
        assert body["method"] == "planner", item["q"]
