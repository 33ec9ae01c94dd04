"""/v1/advisor over HTTP: the checklist, 400s that name the question, storage per tenant."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tandem.apps.advisor.questions import QUESTION_IDS
from tandem.governance.keys import KeySpec
from tandem.platform import Platform
from tests.advisor.conftest import PROFILES

GOOD = dict.fromkeys(QUESTION_IDS, 3)


async def test_the_checklist(advisor: httpx.AsyncClient) -> None:
    response = await advisor.get("/v1/advisor/questions")
    assert response.status_code == 200
    body = response.json()
    assert [q["id"] for q in body["questions"]] == [
        "cloud_scale",
        "maturity_and_support",
        "responsible_ai",
        "azure_integration",
        "rapid_evolution",
    ]
    for q in body["questions"]:
        assert (q["min"], q["max"]) == (1, 5)
        assert len(q["guidance"]) > 40
        assert q["scale"]["1"] == "not at all"
        assert q["scale"]["5"] == "essential"
    fields = {f["id"] for f in body["context"]}
    assert {
        "expected_users",
        "requests_per_second",
        "data_sensitivity",
        "monthly_budget_usd",
        "use_cases",
    } <= fields


@pytest.mark.parametrize(
    ("answers", "context", "param", "words"),
    [
        (GOOD | {"cloud_scale": 6}, None, "answers.cloud_scale", "is 6"),
        (GOOD | {"responsible_ai": 0}, None, "answers.responsible_ai", "is 0"),
        (
            {k: v for k, v in GOOD.items() if k != "rapid_evolution"},
            None,
            "answers.rapid_evolution",
            "not answered",
        ),
        (GOOD | {"azure_integration": "high"}, None, "answers.azure_integration", "whole number"),
        (
            GOOD | {"maturity_and_support": 2.5},
            None,
            "answers.maturity_and_support",
            "whole number",
        ),
        (GOOD | {"azure_integration": True}, None, "answers.azure_integration", "whole number"),
        (GOOD | {"azure_integration": None}, None, "answers.azure_integration", "not answered"),
        (GOOD | {"cost": 3}, None, "answers.cost", "unknown question"),
        (GOOD, {"data_sensitivity": "secret"}, "context.data_sensitivity", "one of"),
        (GOOD, {"requests_per_second": -1}, "context.requests_per_second", "from 0"),
        (GOOD, {"expected_users": 1.5}, "context.expected_users", "whole number"),
        (GOOD, {"use_cases": ["x"] * 21}, "context.use_cases", "at most 20"),
        (GOOD, {"sample_tasks": [{"input": ""}]}, "context.sample_tasks.0.input", "input"),
        (GOOD, {"region": "eu"}, "context.region", "unknown context field"),
    ],
)
async def test_bad_answers_are_400s_naming_the_question(
    advisor: httpx.AsyncClient, answers: Any, context: Any, param: str, words: str
) -> None:
    body: dict[str, Any] = {"answers": answers}
    if context is not None:
        body["context"] = context
    response = await advisor.post("/v1/advisor/assessments", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    assert words in error["message"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "answers"),
        ({"answers": [3, 3, 3, 3, 3]}, "answers"),
        ({"answers": GOOD, "extra": 1}, "extra"),
    ],
)
async def test_malformed_bodies_are_400s(
    advisor: httpx.AsyncClient, body: dict[str, Any], param: str
) -> None:
    response = await advisor.post("/v1/advisor/assessments", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


async def test_an_assessment_is_stored_and_read_back(advisor: httpx.AsyncClient) -> None:
    answers, context = PROFILES["azure_openai"]
    created = await advisor.post(
        "/v1/advisor/assessments", json={"answers": answers, "context": context}
    )
    assert created.status_code == 200
    body = created.json()
    assert body["id"].startswith("asmt_")
    assert body["object"] == "advisor.assessment"
    assert body["recommendation"]["kind"] == "azure_openai"
    assert f"(assessment {body['id']})" in body["config"]
    assert body["answers"] == answers
    assert body["context"] == context
    again = await advisor.get(f"/v1/advisor/assessments/{body['id']}")
    assert again.json() == body


async def test_assessments_are_per_tenant(
    advisor: httpx.AsyncClient, advisor_platform: Platform
) -> None:
    keys = advisor_platform.controls.keys
    acme = {"authorization": f"Bearer {keys.create(KeySpec(tenant='acme')).secret}"}
    globex = {"authorization": f"Bearer {keys.create(KeySpec(tenant='globex')).secret}"}
    ids = []
    for kind in ("embedded", "openai", "hybrid"):
        answers, context = PROFILES[kind]
        response = await advisor.post(
            "/v1/advisor/assessments",
            json={"answers": answers, "context": context},
            headers=acme,
        )
        ids.append(response.json()["id"])
    theirs = await advisor.post("/v1/advisor/assessments", json={"answers": GOOD}, headers=globex)
    # Acme's list, newest first, paged; Globex's assessment is not in it.
    page = (await advisor.get("/v1/advisor/assessments?limit=2", headers=acme)).json()
    assert [a["id"] for a in page["data"]] == ids[::-1][:2]
    assert page["has_more"] is True
    rest = await advisor.get(f"/v1/advisor/assessments?after={page['last_id']}", headers=acme)
    assert [a["id"] for a in rest.json()["data"]] == ids[:1]
    assert rest.json()["has_more"] is False
    assert page["data"][0]["recommendation"]["kind"] == "hybrid"
    # Another tenant's assessment reads exactly like a missing one.
    for headers, other in ((globex, ids[0]), (acme, theirs.json()["id"])):
        response = await advisor.get(f"/v1/advisor/assessments/{other}", headers=headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    missing = await advisor.get("/v1/advisor/assessments/asmt_nope", headers=acme)
    assert missing.json()["error"]["message"] == "no assessment 'asmt_nope'"
    # A key is needed once keys exist.
    assert (await advisor.get("/v1/advisor/assessments")).status_code == 401
