"""Real fakes for fast tests: a scriptable backend and a scriptable upstream server."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson
from aiohttp import web

from tandem.backends.base import Backend, BackendContext, BackendOptions, Capabilities
from tandem.errors import TandemError
from tandem.wire import (
    ChatCompletionRequest,
    CompletionRequest,
    EmbeddingRequest,
    EmbeddingResult,
    JSONObject,
)


class FakeOptions(BackendOptions):
    """Options of the fake backend (a name to tell instances apart)."""

    name: str = "fake"


@dataclass
class Script:
    """What the fake answers next: text, chunks, or an error (optionally after chunks)."""

    text: str = "hello"
    error: TandemError | None = None
    error_after: int | None = None
    delay_s: float = 0.0


class FakeBackend(Backend):
    """A backend whose answers are queued with `enqueue` and whose calls land in `history`."""

    Options = FakeOptions
    capabilities = Capabilities(chat=True, completions=True, embeddings=True)
    options: FakeOptions

    def __init__(self, options: BackendOptions, context: BackendContext) -> None:
        super().__init__(options, context)
        self.scripts: list[Script] = []
        self.history: list[tuple[str, Any]] = []

    @property
    def label(self) -> str:
        return f"fake:{self.options.name}"

    def enqueue(self, *scripts: Script) -> None:
        """Queue the next answers (the default answer is 'hello')."""
        self.scripts.extend(scripts)

    def _next(self, operation: str, request: Any) -> Script:
        self.history.append((operation, request))
        return self.scripts.pop(0) if self.scripts else Script()

    async def chat(self, request: ChatCompletionRequest, model: str) -> JSONObject:
        script = self._next("chat", request)
        await asyncio.sleep(script.delay_s)
        if script.error is not None:
            raise script.error
        return chat_response(model, script.text)

    async def chat_stream(
        self, request: ChatCompletionRequest, model: str
    ) -> AsyncIterator[JSONObject]:
        script = self._next("chat_stream", request)
        words = script.text.split(" ")
        for i, word in enumerate(words):
            if script.error is not None and script.error_after == i:
                raise script.error
            await asyncio.sleep(script.delay_s)
            yield chunk(model, word if i == 0 else " " + word)
        if script.error is not None and script.error_after is None:
            raise script.error
        yield chunk(model, None, finish="stop")
        if request.include_usage:
            yield {**chunk(model, None), "choices": [], "usage": usage(3, len(words))}

    async def complete(self, request: CompletionRequest, model: str) -> JSONObject:
        script = self._next("complete", request)
        if script.error is not None:
            raise script.error
        return {
            "id": "cmpl-fake",
            "object": "text_completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"text": script.text, "index": 0, "logprobs": None, "finish_reason": "stop"}
            ],
            "usage": usage(2, 1),
        }

    async def embed(self, request: EmbeddingRequest, model: str) -> EmbeddingResult:
        self._next("embed", request)
        texts = request.texts()
        vectors = np.array([[len(t), 1.0, -0.5] for t in texts], dtype=np.float32)
        return EmbeddingResult(vectors=vectors, prompt_tokens=len(texts), model=model)


def usage(prompt: int, completion: int) -> JSONObject:
    """An OpenAI usage object."""
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def chat_response(model: str, text: str) -> JSONObject:
    """A minimal but complete chat.completion."""
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": usage(3, 1),
    }


def chunk(model: str, content: str | None, finish: str | None = None) -> JSONObject:
    """One chat.completion.chunk."""
    delta: JSONObject = {} if content is None else {"content": content}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


Responder = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Recorded:
    """A request the fake upstream received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeUpstream:
    """An OpenAI-compatible upstream on a loopback port, answering from a queue."""

    responses: list[Responder] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None

    def push(self, *items: Responder) -> None:
        """Queue answers (see ok, status, sse, drop, slow)."""
        self.responses.extend(items)

    async def start(self) -> str:
        """Listen on a free loopback port; the base URL (with /v1)."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/v1"
        return self.url

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            Recorded(request.path, dict(request.query), dict(request.headers), await request.read())
        )
        responder = self.responses.pop(0) if self.responses else ok("default")
        return await responder(request)


def ok(text: str) -> Responder:
    """A 200 chat completion saying `text`."""

    async def respond(request: web.Request) -> web.StreamResponse:
        return web.json_response(chat_response("upstream", text))

    return respond


def status(code: int, headers: dict[str, str] | None = None, message: str = "boom") -> Responder:
    """An error status with OpenAI's error body."""

    async def respond(request: web.Request) -> web.StreamResponse:
        body = {"error": {"message": message, "type": "x", "param": None, "code": None}}
        return web.json_response(body, status=code, headers=headers)

    return respond


def drop() -> Responder:
    """Close the connection without answering (what a crashed upstream does)."""

    async def respond(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        raise ConnectionResetError("dropped")

    return respond


def slow(seconds: float) -> Responder:
    """Answer only after `seconds` (longer than the client waits)."""

    async def respond(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(seconds)
        return web.json_response(chat_response("upstream", "late"))

    return respond


def sse(events: list[JSONObject], done: bool = True, break_after: int | None = None) -> Responder:
    """A streamed answer; `break_after` cuts the connection after that many events."""

    async def respond(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        for i, event in enumerate(events):
            if break_after is not None and i == break_after:
                assert request.transport is not None
                request.transport.close()
                return response
            await response.write(b"data: " + orjson.dumps(event) + b"\n\n")
        if done:
            await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    return respond
