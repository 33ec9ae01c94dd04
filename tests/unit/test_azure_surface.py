"""The Azure surface on fake backends: deployment in the path, api-version, Azure errors."""

from __future__ import annotations

import httpx
import orjson

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script

MESSAGES = {"messages": [{"role": "user", "content": "hi"}]}
VERSION = {"api-version": "2024-10-21"}


async def test_chat_on_a_deployment(client: httpx.AsyncClient, platform: Platform) -> None:
    fake_of(platform).enqueue(Script(text="hej"))
    response = await client.post(
        "/openai/deployments/fake/chat/completions", params=VERSION, json=MESSAGES
    )
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == "hej"


async def test_stream_on_a_deployment(client: httpx.AsyncClient, platform: Platform) -> None:
    fake_of(platform).enqueue(Script(text="a b"))
    response = await client.post(
        "/openai/deployments/fake/chat/completions",
        params=VERSION,
        json={**MESSAGES, "stream": True},
    )
    events = [e for e in response.content.split(b"\n\n") if e]
    assert events[-1] == b"data: [DONE]"
    head = orjson.loads(events[0][6:])  # Azure opens with the prompt's filter results
    assert head["choices"] == []
    assert head["prompt_filter_results"][0]["content_filter_results"]["hate"] == {
        "filtered": False,
        "severity": "safe",
    }
    assert orjson.loads(events[1][6:])["choices"][0]["delta"]["content"] == "a"


async def test_missing_api_version_is_a_clear_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/openai/deployments/fake/chat/completions", json=MESSAGES)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "MissingApiVersionParameter"
    assert "api-version" in error["message"]


async def test_unknown_deployment_uses_azure_code(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/openai/deployments/nope/chat/completions", params=VERSION, json=MESSAGES
    )
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "DeploymentNotFound"
    assert error["status"] == 404


async def test_embeddings_on_a_deployment(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/openai/deployments/fake-embed/embeddings", params=VERSION, json={"input": "abc"}
    )
    assert response.json()["data"][0]["embedding"][0] == 3.0


async def test_unsupported_parameter_in_azure_shape(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/openai/deployments/fake/chat/completions",
        params=VERSION,
        json={**MESSAGES, "functions": []},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "functions"
    assert error["code"] == "unsupported_parameter"
