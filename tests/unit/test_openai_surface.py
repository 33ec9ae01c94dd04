"""The /v1 surface on fake backends: shapes, streaming, errors, limits, headers."""

from __future__ import annotations

import base64

import httpx
import numpy as np
import orjson

from tandem.errors import UpstreamError
from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script

CHAT = {"model": "fake", "messages": [{"role": "user", "content": "hi"}]}


def sse_events(body: bytes) -> list[bytes]:
    return [line[6:] for line in body.split(b"\n\n") if line.startswith(b"data: ")]


async def test_chat_returns_the_backend_answer(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    fake_of(platform).enqueue(Script(text="bonjour"))
    response = await client.post("/v1/chat/completions", json=CHAT)
    assert response.status_code == 200
    body = response.json()
    assert body["choices"][0]["message"]["content"] == "bonjour"
    assert body["model"] == "fake"
    operation, request = fake_of(platform).history[-1]
    assert operation == "chat"
    assert request.messages[0].content == "hi"


async def test_stream_is_sse_ending_with_done(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    fake_of(platform).enqueue(Script(text="one two three"))
    body = {**CHAT, "stream": True, "stream_options": {"include_usage": True}}
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.content)
    assert events[-1] == b"[DONE]"
    chunks = [orjson.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "one two three"
    assert chunks[-1]["usage"]["completion_tokens"] == 3


async def test_unknown_model_is_404_in_openai_shape(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/chat/completions", json={**CHAT, "model": "nope"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "model_not_found"
    assert error["param"] == "model"
    assert error["type"] == "invalid_request_error"


async def test_unsupported_parameter_names_the_param(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/chat/completions", json={**CHAT, "logit_bias": {"1": 1}})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "logit_bias"


async def test_out_of_range_parameter_names_the_param(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/chat/completions", json={**CHAT, "temperature": 3})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "temperature"


async def test_tool_choice_must_name_an_offered_tool(client: httpx.AsyncClient) -> None:
    body = {**CHAT, "tool_choice": {"type": "function", "function": {"name": "missing"}}}
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    assert "missing" in response.json()["error"]["message"]


async def test_invalid_json_is_400_not_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


async def test_missing_model_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/chat/completions", json={"messages": CHAT["messages"]})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "model"


async def test_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    big = {**CHAT, "messages": [{"role": "user", "content": "x" * 70_000}]}
    response = await client.post("/v1/chat/completions", json=big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    mine = await client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert mine.headers["x-request-id"] == "abc-123"
    made = await client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32


async def test_models_lists_deployments(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/models")
    ids = [m["id"] for m in response.json()["data"]]
    assert ids == ["fake", "fake-embed"]
    one = await client.get("/v1/models/fake")
    assert one.json()["id"] == "fake"
    missing = await client.get("/v1/models/nope")
    assert missing.status_code == 404


async def test_embeddings_float_and_base64_agree(client: httpx.AsyncClient) -> None:
    body = {"model": "fake-embed", "input": ["ab", "abcd"]}
    floats = (await client.post("/v1/embeddings", json=body)).json()
    b64 = (await client.post("/v1/embeddings", json={**body, "encoding_format": "base64"})).json()
    assert floats["data"][1]["embedding"] == [4.0, 1.0, -0.5]
    decoded = np.frombuffer(base64.b64decode(b64["data"][1]["embedding"]), dtype="<f4")
    assert decoded.tolist() == [4.0, 1.0, -0.5]
    assert floats["usage"]["prompt_tokens"] == 2


async def test_completions_route(client: httpx.AsyncClient, platform: Platform) -> None:
    fake_of(platform).enqueue(Script(text="world"))
    response = await client.post("/v1/completions", json={"model": "fake", "prompt": "hello"})
    assert response.json()["choices"][0]["text"] == "world"


async def test_backend_failure_is_openai_error_not_500(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    failure = UpstreamError("upstream down", upstream_status=503)
    fake_of(platform).enqueue(*[Script(error=failure)] * 3)
    response = await client.post("/v1/chat/completions", json=CHAT)
    assert response.status_code == 502
    assert response.json()["error"]["message"] == "upstream down"


async def test_unknown_route_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert "error" in response.json()


async def test_metrics_count_requests_and_tokens(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    await client.post("/v1/chat/completions", json=CHAT)
    text = (await client.get("/metrics")).text
    assert 'tandem_model_requests_total{deployment="fake",operation="chat",status="ok"} 1.0' in text
    assert 'tandem_tokens_total{deployment="fake",kind="prompt"} 3.0' in text
    assert 'tandem_queue_depth{deployment="fake"} 0.0' in text
    assert "tandem_model_request_seconds_bucket" in text


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["deployments"] == {"fake": True, "fake-embed": True}
