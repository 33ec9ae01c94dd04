"""OpenAI-compatible upstreams: vLLM, Ollama, llama.cpp server, OpenAI itself.

Requests are forwarded as the client sent them (only `model` is rewritten) and streams
are passed through chunk by chunk. aiohttp failures are translated here, by type, into
`tandem.errors`, so the router can decide what to retry.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import ClassVar

import aiohttp
import orjson
from pydantic import BaseModel, Field, SecretStr

from tandem.backends.base import Backend, BackendContext, BackendOptions, Capabilities
from tandem.errors import (
    TandemError,
    UpstreamClientError,
    UpstreamError,
    UpstreamTimeoutError,
)
from tandem.wire import (
    ChatCompletionRequest,
    CompletionRequest,
    EmbeddingRequest,
    JSONObject,
)

PROBE_TIMEOUT_S = 2.0  # a readiness check waits no longer for an upstream


class OpenAICompatOptions(BackendOptions):
    """Where the upstream is and how to talk to it."""

    base_url: str = Field(description="e.g. http://127.0.0.1:8001/v1")
    model: str | None = Field(default=None, description="upstream model; default: deployment")
    api_key: SecretStr | None = None
    api_key_env: str | None = Field(default=None, description="read the key from this variable")
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_s: float = Field(default=120.0, gt=0)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    max_connections: int = Field(default=256, ge=1)
    responses_api: bool = Field(
        default=False,
        description="the upstream serves /v1/responses: Responses requests are passed to it "
        "natively (with the whole chain as input, store false) instead of as chat completions",
    )


class OpenAICompatBackend(Backend):
    """A backend that proxies to an OpenAI-compatible HTTP server."""

    Options: ClassVar[type[BackendOptions]] = OpenAICompatOptions
    capabilities = Capabilities(chat=True, completions=True, embeddings=True)
    options: OpenAICompatOptions

    def __init__(self, options: BackendOptions, context: BackendContext) -> None:
        super().__init__(options, context)
        self._session: aiohttp.ClientSession | None = None

    @property
    def label(self) -> str:
        return f"openai:{self.options.base_url}"

    def _base_url(self) -> str:
        return self.options.base_url.rstrip("/")

    def _auth_headers(self) -> dict[str, str]:
        key = self._api_key()
        return {"authorization": f"Bearer {key}"} if key else {}

    def _api_key(self) -> str | None:
        if self.options.api_key is not None:
            return self.options.api_key.get_secret_value()
        if self.options.api_key_env:
            return os.environ.get(self.options.api_key_env)
        return None

    def _url(self, operation: str) -> str:
        return f"{self._base_url()}/{operation}"

    def _upstream_model(self, model: str) -> str:
        return self.options.model or model

    def _session_or_start(self) -> aiohttp.ClientSession:
        # aiohttp rather than httpx on this hot path: a third of the per-call overhead.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.options.max_connections, ttl_dns_cache=300)
            timeout = aiohttp.ClientTimeout(
                total=None,
                connect=self.options.connect_timeout_s,
                sock_read=self.options.timeout_s,
            )
            headers = {
                "content-type": "application/json",
                **self._auth_headers(),
                **self.options.headers,
            }
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=timeout, headers=headers, raise_for_status=False
            )
        return self._session

    async def start(self) -> None:
        self._session_or_start()

    async def probe(self) -> bool:
        # Any answer below 500 (a 401 or a 404 too) means the server is there and working.
        try:
            async with self._session_or_start().get(
                self._url("models"), timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S)
            ) as response:
                return response.status < 500
        except (aiohttp.ClientError, TimeoutError, OSError):
            return False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _body(self, request: BaseModel, model: str) -> bytes:
        body = request.model_dump(exclude_unset=True, by_alias=True)
        body["model"] = self._upstream_model(model)
        return orjson.dumps(body)

    async def _post_json(self, operation: str, body: bytes) -> JSONObject:
        session = self._session_or_start()
        with translated("unreachable"):
            async with session.post(self._url(operation), data=body) as response:
                content = await response.read()
                if response.status >= 400:
                    raise _status_error(response.status, response.headers, content)
        try:
            data = orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise UpstreamError("upstream returned invalid JSON", upstream_status=502) from exc
        if not isinstance(data, dict):
            raise UpstreamError("upstream returned a non-object body", upstream_status=502)
        return data

    async def _stream(
        self, operation: str, body: bytes, native: bool = False
    ) -> AsyncIterator[JSONObject]:
        session = self._session_or_start()
        with translated("stream broke"):
            async with session.post(self._url(operation), data=body) as response:
                if response.status >= 400:
                    content = await response.read()
                    raise _status_error(response.status, response.headers, content)
                async for event in _sse_events(response.content, native):
                    yield event

    async def chat(self, request: ChatCompletionRequest, model: str) -> JSONObject:
        return await self._post_json("chat/completions", self._body(request, model))

    def chat_stream(self, request: ChatCompletionRequest, model: str) -> AsyncIterator[JSONObject]:
        return self._stream("chat/completions", self._body(request, model))

    async def complete(self, request: CompletionRequest, model: str) -> JSONObject:
        return await self._post_json("completions", self._body(request, model))

    def complete_stream(self, request: CompletionRequest, model: str) -> AsyncIterator[JSONObject]:
        return self._stream("completions", self._body(request, model))

    async def embed(self, request: EmbeddingRequest, model: str) -> JSONObject:
        return await self._post_json("embeddings", self._body(request, model))

    @property
    def speaks_responses(self) -> bool:
        return self.options.responses_api

    def _native(self, body: JSONObject, model: str) -> bytes:
        return orjson.dumps({**body, "model": self._upstream_model(model)})

    async def respond(self, body: JSONObject, model: str) -> JSONObject:
        return await self._post_json("responses", self._native(body, model))

    def respond_stream(self, body: JSONObject, model: str) -> AsyncIterator[JSONObject]:
        return self._stream("responses", self._native(body, model), native=True)


@contextmanager
def translated(failure: str) -> Iterator[None]:
    """The one place aiohttp's errors become Tandem's: a timeout is a 504, anything else
    the client library raises a 502 naming `failure` ("unreachable", "stream broke")."""
    try:
        yield
    except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
        raise UpstreamTimeoutError(f"upstream timed out: {type(exc).__name__}") from exc
    except aiohttp.ClientError as exc:
        raise UpstreamError(f"upstream {failure}: {type(exc).__name__}: {exc}") from exc


# The events that end a Responses stream (it has no [DONE]).
_LAST_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})


async def _sse_events(
    content: aiohttp.StreamReader, native: bool = False
) -> AsyncIterator[JSONObject]:
    """Parse an SSE body into JSON events; a body that ends without [DONE] (or, for a
    Responses stream, without its last event) is a break."""
    async for raw in content:
        line = raw.strip()
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if payload == b"[DONE]":
            return
        try:
            event = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise UpstreamError("upstream sent an invalid stream event") from exc
        if not isinstance(event, dict):
            raise UpstreamError("upstream sent a stream event that is not an object")
        if event.get("type") == "error" or (
            "error" in event and "type" not in event and "choices" not in event
        ):
            message = _error_message(event) or event.get("message")
            raise UpstreamError(
                str(message or "upstream reported an error mid-stream"), upstream_status=502
            )
        yield event
        if native and event.get("type") in _LAST_EVENTS:
            return
    raise UpstreamError("upstream stream ended before its last event")


def _status_error(status: int, headers: Mapping[str, str], content: bytes) -> TandemError:
    message, param, code = _error_fields(content)
    text = message or f"upstream answered HTTP {status}"
    if status == 408:
        return UpstreamTimeoutError(text)
    if status == 429 or status >= 500:
        return UpstreamError(text, upstream_status=status, retry_after=retry_after_seconds(headers))
    return UpstreamClientError(text, status_code=status, param=param, code=code)


def _error_fields(content: bytes) -> tuple[str | None, str | None, str | None]:
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None
    error = data.get("error")
    if not isinstance(error, dict):
        return _error_message(data), None, None
    param, code = error.get("param"), error.get("code")
    return (
        _error_message(data),
        param if isinstance(param, str) else None,
        str(code) if code is not None else None,
    )


def _error_message(data: JSONObject) -> str | None:
    error = data.get("error")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return str(error["message"])
    if isinstance(error, str):
        return error
    detail = data.get("detail")
    return detail if isinstance(detail, str) else None


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds an upstream asked us to wait: retry-after-ms, retry-after seconds or date."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None
