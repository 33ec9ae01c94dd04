"""Regression tests for the "Security and robustness" probe: each is named for a defect it
found (unhandled 500s, errors on kept-alive connections, requests accepted that should not
be, and an OpenAPI spec that described none of it)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI

from tandem.backends.json_grammar import has_ref_cycle
from tandem.backends.llamacpp_plan import Planner, _refuse_cycles
from tandem.errors import UnsupportedParameterError, UpstreamError
from tandem.governance.keys import KeySpec
from tandem.http.middleware import is_azure_path
from tandem.platform import Platform
from tandem.wire import CompletionRequest, JSONObject
from tests.conftest import fake_of
from tests.databases import database
from tests.fakes import Script
from tests.live_server import AUTH, live_app, live_settings, serve

CHAT = {"model": "fake", "messages": [{"role": "user", "content": "hi"}]}
AZURE = "/openai/deployments/fake"
VERSION = {"api-version": "2024-10-21"}


def sse_events(body: bytes) -> list[bytes]:
    return [line[6:] for line in body.split(b"\n\n") if line.startswith(b"data: ")]


# -- (8) unhandled 500s ------------------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["", [], [""]])
async def test_empty_prompt_is_400_on_openai_and_azure_routes(
    client: httpx.AsyncClient, prompt: object
) -> None:
    openai = await client.post("/v1/completions", json={"model": "fake", "prompt": prompt})
    assert openai.status_code == 400
    assert openai.json()["error"]["param"] == "prompt"
    azure = await client.post(f"{AZURE}/completions", params=VERSION, json={"prompt": prompt})
    assert azure.status_code == 400
    assert azure.json()["error"]["param"] == "prompt"
    assert azure.json()["error"]["status"] == 400


async def test_response_format_schema_of_unknown_type_is_400(client: httpx.AsyncClient) -> None:
    schema = {"name": "x", "schema": {"type": "nonsense"}}
    body = {**CHAT, "response_format": {"type": "json_schema", "json_schema": schema}}
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "response_format.json_schema.schema"


async def test_required_tool_with_invalid_parameters_schema_is_400(
    client: httpx.AsyncClient,
) -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": 12}}}
    body = {**CHAT, "tools": [tool], "tool_choice": "required"}
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "tools.0.function.parameters"


def _planner() -> Planner:
    # The grammar checks need no model: only the planner's grammar cache.
    planner = Planner.__new__(Planner)
    planner._grammars = {}
    planner._grammar_lock = threading.Lock()
    return planner


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#"},
        {"type": "object", "properties": {"next": {"$ref": "#"}}},
        {
            "$defs": {
                "a": {"type": "object", "properties": {"b": {"$ref": "#/$defs/b"}}},
                "b": {"type": "array", "items": {"$ref": "#/$defs/a"}},
            },
            "$ref": "#/$defs/a",
        },
    ],
)
def test_recursive_schema_ref_is_refused_not_a_500(schema: JSONObject) -> None:
    assert has_ref_cycle(schema)
    with pytest.raises(UnsupportedParameterError) as refused:
        _refuse_cycles(schema, "response_format.json_schema.schema")
    assert refused.value.param == "response_format.json_schema.schema"
    assert refused.value.status_code == 400


def test_schema_the_grammar_cannot_express_is_400_naming_the_param() -> None:
    assert not has_ref_cycle({"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a"})
    with pytest.raises(UnsupportedParameterError) as refused:
        _planner()._check_grammar(json.dumps({"type": "string", "pattern": "["}), "tools")
    assert refused.value.param == "tools"


async def test_admin_key_with_huge_rpm_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/admin/keys", content=b'{"rpm": 1e19}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "rpm"


async def test_support_conversation_after_out_of_range_is_400(
    client: httpx.AsyncClient,
) -> None:
    for after in ("1e20", str(10**20)):
        response = await client.get(f"/v1/support/conversations/x?after={after}")
        assert response.status_code == 400
        assert response.json()["error"]["param"] == "after"


async def _echo_then_crash(request: CompletionRequest, model: str) -> AsyncIterator[JSONObject]:
    yield {"choices": [{"text": request.prompts()[0], "index": 0, "finish_reason": None}]}
    raise AssertionError("llama.cpp asserts on an empty prompt")


@pytest.mark.parametrize("failure", ["crash", "upstream"])
async def test_stream_failing_mid_way_ends_with_error_event_and_done(
    client: httpx.AsyncClient, platform: Platform, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    fake = fake_of(platform)
    if failure == "crash":
        monkeypatch.setattr(fake, "complete_stream", _echo_then_crash)
        body: dict[str, Any] = {"model": "fake", "prompt": "x", "echo": True, "stream": True}
        path = "/v1/completions"
    else:
        fake.enqueue(Script(text="a b c", error=UpstreamError("gone"), error_after=1))
        body, path = {**CHAT, "stream": True}, "/v1/chat/completions"
    response = await client.post(path, json=body)
    assert response.status_code == 200
    events = sse_events(response.content)
    assert events[-1] == b"[DONE]"
    error = orjson.loads(events[-2])["error"]
    assert error["code"] == "stream_interrupted"
    assert error["type"] == "server_error"


# -- (9) a 500 keeps the connection and is logged once -----------------------------------------


def _boom_app(tmp_path: Path) -> FastAPI:
    app = live_app(live_settings(tmp_path / "data"))

    async def boom() -> None:
        raise RuntimeError("kaboom")

    app.add_api_route("/v1/boom", boom, methods=["GET"])
    app.add_api_route("/openai/boom", boom, methods=["GET"])
    return app


def test_unhandled_error_is_one_logged_500_and_the_connection_stays_usable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with serve(_boom_app(tmp_path)) as url, httpx.Client(base_url=url, headers=AUTH) as client:
        failed = client.get("/v1/boom")
        assert failed.status_code == 500
        assert failed.json()["error"]["type"] == "server_error"
        assert failed.headers.get("connection") != "close"
        # The next request rides the same kept-alive connection.
        assert client.get("/healthz").status_code == 200
        azure = client.get("/openai/boom")
        assert azure.status_code == 500
        assert azure.json()["error"]["code"] == "InternalServerError"
    tracebacks = [r for r in caplog.records if r.exc_info and "kaboom" in str(r.exc_info[1])]
    assert len(tracebacks) == 2  # once for each of the two failed requests
    assert all(r.name == "tandem.errors" for r in tracebacks)


# -- (12) accepted when it should not be -------------------------------------------------------


@pytest.mark.parametrize("version", ["zzz", "2024-13-45", "2024-10-21-beta", "2024-10-21x"])
async def test_invalid_api_version_is_400_in_azure_shape(
    client: httpx.AsyncClient, version: str
) -> None:
    for method, path, body in [
        ("GET", "/openai/deployments", None),
        ("POST", f"{AZURE}/chat/completions", {"messages": CHAT["messages"]}),
        ("POST", "/contentsafety/text:analyze", {"text": "hello"}),
    ]:
        response = await client.request(method, path, params={"api-version": version}, json=body)
        assert response.status_code == 400, path
        error = response.json()["error"]
        assert error["code"] == "InvalidApiVersionParameter"
        assert error["param"] == "api-version"
        assert error["status"] == 400


async def test_dated_api_versions_are_accepted(client: httpx.AsyncClient) -> None:
    for version in ("2024-10-21", "2025-01-01-preview"):
        response = await client.get("/openai/deployments", params={"api-version": version})
        assert response.status_code == 200


@pytest.mark.parametrize("stop", ["", [""], ["ok", ""]])
async def test_empty_stop_sequence_is_400(client: httpx.AsyncClient, stop: object) -> None:
    response = await client.post("/v1/chat/completions", json={**CHAT, "stop": stop})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "stop"


async def test_analyze_with_empty_text_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/contentsafety/text:analyze", params={"api-version": "2024-09-01"}, json={"text": ""}
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "text"


@pytest.mark.parametrize(
    "path", ["/v1/chat/completions", "/admin/keys", "/v1/knowledge-bases", "/v1/moderations"]
)
async def test_text_plain_body_on_a_json_route_is_415(client: httpx.AsyncClient, path: str) -> None:
    response = await client.post(
        path, content=orjson.dumps(CHAT), headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in error["message"]


async def test_json_body_without_content_type_is_still_read(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/chat/completions", content=orjson.dumps(CHAT))
    assert response.status_code == 200


async def test_deleting_a_policy_that_is_not_stored_is_404(client: httpx.AsyncClient) -> None:
    response = await client.delete("/admin/safety/policies/anything")
    assert response.status_code == 404
    assert response.json()["error"]["param"] == "deployment"


async def test_support_analytics_of_another_tenants_knowledge_base_is_404(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    kb = (await client.post("/v1/knowledge-bases", json={"name": "Ours"})).json()["id"]
    mine = await client.get("/v1/support/analytics", params={"knowledge_base": kb})
    assert mine.status_code == 200
    other = platform.controls.keys.create(KeySpec(tenant="other", scope="admin"))
    theirs = await client.get(
        "/v1/support/analytics",
        params={"knowledge_base": kb},
        headers={"authorization": f"Bearer {other.secret}"},
    )
    assert theirs.status_code == 404


# -- (13) the OpenAPI spec describes the API -----------------------------------------------


async def test_openapi_declares_request_bodies_and_the_errors_returned(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json")).json()
    operations = [(p, m, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    with_body = {f"{m.upper()} {p}" for p, m, op in operations if "requestBody" in op}
    assert len(with_body) >= 32
    for expected in (
        "POST /v1/chat/completions",
        "POST /openai/deployments/{deployment}/completions",
        "POST /admin/keys",
        "POST /contentsafety/text:analyze",
        "POST /v1/datasets/{dataset_id}/query",
        "POST /widget/v1/chat",
    ):
        assert expected in with_body
    text = json.dumps(spec)
    assert '"422"' not in text
    assert "HTTPValidationError" not in text
    for path, _, op in operations:
        for code, response in op["responses"].items():
            if int(code) >= 400 and path != "/readyz":  # its 503 is the readiness report
                ref = response["content"]["application/json"]["schema"]["$ref"]
                shape = "AzureError" if is_azure_path(path) else "OpenAIError"
                assert ref.endswith(shape), (path, code)
    chat = spec["paths"]["/v1/chat/completions"]["post"]
    assert {"400", "401", "404", "413", "429"} <= set(chat["responses"])
    upload = spec["paths"]["/v1/datasets"]["post"]["requestBody"]["content"]
    form = upload["multipart/form-data"]["schema"]["properties"]
    assert form["files"]["items"]["format"] == "binary"
    assert "name" in form


async def test_chunked_body_over_the_limit_is_still_413(client: httpx.AsyncClient) -> None:
    # FastAPI reads declared bodies itself and wraps what fails there in a 400.
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"model": "fake", "messages": [{"role": "user", "content": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}]}'

    response = await client.post(
        "/v1/chat/completions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_nul_characters_are_400_not_a_postgresql_500(tmp_path: Path) -> None:
    # Found by the Schemathesis run: PostgreSQL refuses U+0000 in text, even in a WHERE.
    with (
        database("postgresql", tmp_path) as url,
        serve(live_app(live_settings(tmp_path / "data", url))) as base,
        httpx.Client(base_url=base, headers=AUTH) as client,
    ):
        for method, path, body, param in [
            ("POST", "/admin/keys", {"name": "a\x00b"}, "name"),
            ("POST", "/v1/knowledge-bases", {"name": "kb\x00"}, "name"),
            ("POST", "/v1/chat/completions", {**CHAT, "user": "\x00"}, "user"),
            ("GET", "/admin/keys/a%00b", None, None),
            ("GET", "/admin/audit?action=a%00", None, None),
        ]:
            response = client.request(method, path, json=body)
            assert response.status_code == 400, (path, response.text)
            assert response.json()["error"]["param"] == param
