"""Fixtures: the app on a fake that can also call tools, with a knowledge embedding
deployment and short batch leases."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.wire import ChatCompletionRequest, JSONObject, NamedToolChoice
from tests.fakes import FakeBackend, chat_response, chunk, usage


def _forced_tool(request: ChatCompletionRequest) -> str | None:
    if not request.tools:
        return None
    if isinstance(request.tool_choice, NamedToolChoice):
        return request.tool_choice.function.name
    if request.tool_choice == "required":
        return request.tools[0].function.name
    return None


class ToolFake(FakeBackend):
    """The fake, answering with a tool call when one is forced."""

    async def chat(self, request: ChatCompletionRequest, model: str) -> JSONObject:
        name = _forced_tool(request)
        if name is None:
            return await super().chat(request, model)
        self.history.append(("chat", request))
        reply = chat_response(model, "")
        call = {
            "id": "call_fake1",
            "type": "function",
            "function": {"name": name, "arguments": '{"city": "Paris"}'},
        }
        reply["choices"][0]["message"] = {
            "role": "assistant",
            "content": None,
            "tool_calls": [call],
        }
        reply["choices"][0]["finish_reason"] = "tool_calls"
        return reply

    async def chat_stream(
        self, request: ChatCompletionRequest, model: str
    ) -> AsyncIterator[JSONObject]:
        name = _forced_tool(request)
        if name is None:
            async for piece in super().chat_stream(request, model):
                yield piece
            return
        self.history.append(("chat_stream", request))
        first = chunk(model, None)
        first["choices"][0]["delta"] = {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_fake1",
                    "type": "function",
                    "function": {"name": name, "arguments": '{"city": '},
                }
            ]
        }
        yield first
        more = chunk(model, None)
        more["choices"][0]["delta"] = {
            "tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]
        }
        yield more
        yield chunk(model, None, finish="tool_calls")
        yield {**chunk(model, None), "choices": [], "usage": usage(3, 2)}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Fake chat and embedding deployments; short leases so takeovers are quick."""
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        embedding_deployment="fake-embed",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
        max_body_bytes=256 * 1024,
        files_max_bytes=64 * 1024,
        batch_lease_s=1.0,
        batch_max_lines=100,
    )


@pytest.fixture
def registry() -> BackendRegistry:
    """Built-in backends plus the tool-calling fake."""
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", ToolFake)
    return registry


def sse_events(raw: bytes) -> list[JSONObject]:
    """The JSON of each `data:` line of a server-sent event stream, checking `event:`."""
    events = []
    for block in raw.decode().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "data" in lines:
            event = orjson.loads(lines["data"])
            assert lines.get("event") == event["type"]
            events.append(event)
    return events


async def upload(
    client: httpx.AsyncClient, data: bytes, purpose: str, name: str = "f.txt"
) -> JSONObject:
    """POST /v1/files; the file object."""
    reply = await client.post("/v1/files", files={"file": (name, data)}, data={"purpose": purpose})
    assert reply.status_code == 200, reply.text
    body: JSONObject = reply.json()
    return body


async def poll(client: httpx.AsyncClient, path: str, done: Any) -> JSONObject:
    """GET `path` until `done(body)` (20 s at most)."""
    deadline = time.monotonic() + 20
    while True:
        body: JSONObject = (await client.get(path)).json()
        if done(body) or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.05)
