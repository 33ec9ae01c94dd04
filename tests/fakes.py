"""Real fakes for fast tests: a scriptable backend and a scriptable upstream transport."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
import orjson

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


Responder = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeUpstream:
    """An OpenAI-compatible upstream behind httpx.MockTransport, answering from a queue."""

    responses: list[Responder | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def push(self, *items: Responder | Exception) -> None:
        """Queue answers: a function making a response, or an exception to raise."""
        self.responses.extend(items)

    def transport(self) -> httpx.MockTransport:
        """The transport to hand to the backend."""
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.responses.pop(0) if self.responses else ok("default")
        if isinstance(item, Exception):
            raise item
        return item(request)


def ok(text: str) -> Responder:
    """A 200 chat completion saying `text`."""
    return lambda request: httpx.Response(200, json=chat_response("upstream", text))


def status(code: int, headers: dict[str, str] | None = None, message: str = "boom") -> Responder:
    """An error status with OpenAI's error body."""
    body = {"error": {"message": message, "type": "x", "param": None, "code": None}}
    return lambda request: httpx.Response(code, json=body, headers=headers)


def sse(events: list[JSONObject], done: bool = True, break_after: int | None = None) -> Responder:
    """A streamed answer; `break_after` cuts the connection after that many events."""

    async def body() -> AsyncIterator[bytes]:
        for i, event in enumerate(events):
            if break_after is not None and i == break_after:
                raise httpx.ReadError("connection reset by peer")
            yield b"data: " + orjson.dumps(event) + b"\n\n"
        if done:
            yield b"data: [DONE]\n\n"

    return lambda request: httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=body()
    )
