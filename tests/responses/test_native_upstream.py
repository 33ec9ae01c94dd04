"""An upstream that speaks the Responses API is sent Responses requests natively (the whole
chain as input, store false), through the official SDK against Tandem, with the same keys,
safety and stored chain as a translated one; an upstream without the flag keeps getting chat
completions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import openai
import orjson
import pytest
from aiohttp import web

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tests.fakes import FakeUpstream, Responder, chat_response

USAGE = {"input_tokens": 11, "output_tokens": 3, "total_tokens": 14}


def _response(output: list[dict[str, Any]], status: str = "completed") -> dict[str, Any]:
    return {
        "id": "resp_upstream1",
        "object": "response",
        "created_at": 1700000000,
        "status": status,
        "model": "gpt-up",
        "output": output,
        "usage": USAGE,
    }


def _message(text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "msg_up",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def answer(text: str) -> Responder:
    async def respond(request: web.Request) -> web.StreamResponse:
        return web.json_response(_response([_message(text)]))

    return respond


def events(*pieces: str) -> Responder:
    async def respond(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        created = {"type": "response.created", "response": _response([], "in_progress")}
        stream = [created]
        stream += [{"type": "response.output_text.delta", "delta": p} for p in pieces]
        done = _response([_message("".join(pieces))])
        stream.append({"type": "response.completed", "response": done})
        for n, event in enumerate(stream):
            event = {**event, "sequence_number": n}
            await response.write(f"event: {event['type']}\n".encode())
            await response.write(b"data: " + orjson.dumps(event) + b"\n\n")
        await response.write_eof()
        return response

    return respond


@pytest.fixture
async def upstream() -> AsyncIterator[FakeUpstream]:
    fake = FakeUpstream()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def client(
    tmp_path: Path, upstream: FakeUpstream, registry: BackendRegistry
) -> AsyncIterator[openai.AsyncOpenAI]:
    def deployment(name: str, native: bool) -> DeploymentConfig:
        options = {"base_url": upstream.url, "model": "gpt-up", "responses_api": native}
        return DeploymentConfig.model_validate(
            {"name": name, "targets": [{"backend": "openai", "options": options}]}
        )

    settings = Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        deployments=[deployment("native", True), deployment("translated", False)],
    )
    platform = Platform.build(settings, registry)
    app = create_app(settings, platform)
    await platform.start()
    await platform.wait_started()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield openai.AsyncOpenAI(base_url="http://t/v1", api_key="sk-none", http_client=http)
    await platform.stop()


def _sent(upstream: FakeUpstream, n: int = -1) -> tuple[str, dict[str, Any]]:
    recorded = upstream.requests[n]
    return recorded.path, orjson.loads(recorded.body)


async def test_a_response_is_passed_natively_and_its_chain_kept_by_tandem(
    client: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    upstream.push(answer("Bonjour."), answer("Au revoir."))
    first = await client.responses.create(
        model="native", input="Say hello in French.", instructions="Be brief.", temperature=0
    )
    assert first.output_text == "Bonjour."
    assert first.usage is not None
    assert (first.usage.input_tokens, first.usage.output_tokens) == (11, 3)
    path, body = _sent(upstream)
    assert path == "/v1/responses"
    assert body["model"] == "gpt-up"
    assert body["store"] is False  # the state is Tandem's, in the platform database
    assert body["instructions"] == "Be brief."
    assert body["input"] == [
        {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": "Say hello in French."}],
        }
    ]
    second = await client.responses.create(
        model="native", input="And goodbye?", previous_response_id=first.id
    )
    assert second.output_text == "Au revoir."
    _, body = _sent(upstream)
    assert [i.get("role") for i in body["input"]] == ["user", "assistant", "user"]
    assert body["input"][1] == {"role": "assistant", "content": "Bonjour."}
    assert "previous_response_id" not in body
    stored = await client.responses.retrieve(second.id)
    assert stored.output_text == "Au revoir."


async def test_a_native_stream_keeps_the_event_order_clients_rely_on(
    client: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    upstream.push(events("Bon", "jour", "."))
    kinds: list[str] = []
    text = ""
    stream = await client.responses.create(model="native", input="Hello?", stream=True)
    async for event in stream:
        kinds.append(event.type)
        if event.type == "response.output_text.delta":
            text += event.delta
    assert text == "Bonjour."
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert kinds.index("response.output_text.done") < kinds.index("response.completed")
    _, body = _sent(upstream)
    assert body["stream"] is True


async def test_a_function_call_comes_back_as_a_function_call_item(
    client: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    call = {
        "type": "function_call",
        "id": "fc_up",
        "call_id": "call_9",
        "name": "weather",
        "arguments": '{"city": "Oslo"}',
        "status": "completed",
    }

    async def respond(request: web.Request) -> web.StreamResponse:
        return web.json_response(_response([call]))

    upstream.push(respond)
    tool = {
        "type": "function",
        "name": "weather",
        "description": "The weather in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    reply = await client.responses.create(model="native", input="Weather in Oslo?", tools=[tool])
    item = reply.output[0]
    assert item.type == "function_call"
    assert (item.call_id, item.name, item.arguments) == ("call_9", "weather", '{"city": "Oslo"}')
    _, body = _sent(upstream)
    assert body["tools"][0]["name"] == "weather"


async def test_an_upstream_without_the_flag_gets_chat_completions(
    client: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    async def respond(request: web.Request) -> web.StreamResponse:
        return web.json_response(chat_response("gpt-up", "Hej."))

    upstream.push(respond)
    reply = await client.responses.create(model="translated", input="Hello?")
    assert reply.output_text == "Hej."
    path, _ = _sent(upstream)
    assert path == "/v1/chat/completions"


async def test_a_failed_upstream_response_is_an_upstream_error(
    client: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    async def respond(request: web.Request) -> web.StreamResponse:
        failed = _response([], "failed")
        failed["error"] = {"code": "server_error", "message": "the model crashed"}
        return web.json_response(failed)

    upstream.push(respond, respond, respond)
    with pytest.raises(openai.APIStatusError) as caught:
        await client.with_options(max_retries=0).responses.create(model="native", input="Hello?")
    assert caught.value.status_code == 502
    assert "the model crashed" in str(caught.value)
    assert len(upstream.requests) == 3  # retried by the router as any 5xx is


async def test_a_body_that_is_not_a_response_is_an_error_not_an_empty_answer(
    client: openai.AsyncOpenAI, upstream: FakeUpstream
) -> None:
    async def respond(request: web.Request) -> web.StreamResponse:
        return web.json_response(chat_response("gpt-up", "I am a chat completion."))

    upstream.push(respond, respond, respond)
    with pytest.raises(openai.APIStatusError) as caught:
        await client.with_options(max_retries=0).responses.create(model="native", input="Hi")
    assert caught.value.status_code == 502
    assert "not a response" in str(caught.value)
