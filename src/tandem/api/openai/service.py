"""The model service: every surface (and every product) calls models through this."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from tandem.api.responses import SSE_DONE, sse_event
from tandem.backends.base import Backend
from tandem.errors import DeploymentNotFoundError, TandemError
from tandem.metrics import Metrics
from tandem.routing.router import Call, RoutedStream, Router, StreamBrokenError
from tandem.wire import (
    ChatCompletionRequest,
    CompletionRequest,
    EmbeddingRequest,
    EmbeddingResult,
    JSONObject,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorBody = Callable[[TandemError], JSONObject]


class ModelService:
    """Chat, completions and embeddings over named deployments."""

    def __init__(self, router: Router, metrics: Metrics) -> None:
        self.router = router
        self.metrics = metrics

    async def chat(self, request: ChatCompletionRequest, deployment: str) -> JSONObject:
        """A whole chat completion from `deployment`."""

        async def run(backend: Backend, model: str) -> JSONObject:
            return await backend.chat(request, model)

        return await self._unary(deployment, "chat", run)

    async def complete(self, request: CompletionRequest, deployment: str) -> JSONObject:
        """A whole text completion from `deployment`."""

        async def run(backend: Backend, model: str) -> JSONObject:
            return await backend.complete(request, model)

        return await self._unary(deployment, "completions", run)

    async def embed(self, request: EmbeddingRequest, deployment: str) -> JSONObject:
        """Embeddings in OpenAI's response shape, float or base64 as asked."""

        async def run(backend: Backend, model: str) -> EmbeddingResult | JSONObject:
            return await backend.embed(request, model)

        result: EmbeddingResult | JSONObject = await self._unary(deployment, "embeddings", run)
        if isinstance(result, EmbeddingResult):
            return encode_embeddings(result, request.encoding_format)
        return result

    async def chat_stream(self, request: ChatCompletionRequest, deployment: str) -> RoutedStream:
        """Open a chat stream; errors before the first chunk are raised here."""
        return await self._open_stream(
            deployment, "chat", lambda backend, model: backend.chat_stream(request, model)
        )

    async def complete_stream(self, request: CompletionRequest, deployment: str) -> RoutedStream:
        """Open a text-completion stream; errors before the first chunk are raised here."""
        return await self._open_stream(
            deployment,
            "completions",
            lambda backend, model: backend.complete_stream(request, model),
        )

    async def sse(
        self, stream: RoutedStream, operation: str, error_body: ErrorBody
    ) -> AsyncIterator[bytes]:
        """Frame a stream as server-sent events; a mid-stream failure ends with an error event."""
        started = time.perf_counter()
        status = "error"
        try:
            async for chunk in stream.chunks():
                usage = chunk.get("usage")
                if usage:
                    self.metrics.record_usage(stream.deployment, usage)
                yield sse_event(chunk)
            yield SSE_DONE
            status = "ok"
        except StreamBrokenError as exc:
            status = "interrupted"
            log.warning("stream interrupted", extra={"deployment": stream.deployment})
            yield sse_event(error_body(exc))
        except (asyncio.CancelledError, GeneratorExit):
            status = "cancelled"  # the client disconnected
            raise
        finally:
            self.metrics.requests.labels(stream.deployment, operation, status).inc()
            self.metrics.latency.labels(stream.deployment, operation).observe(
                time.perf_counter() - started
            )

    async def _open_stream(
        self,
        deployment: str,
        operation: str,
        open_stream: Callable[[Backend, str], AsyncIterator[JSONObject]],
    ) -> RoutedStream:
        started = time.perf_counter()
        try:
            stream = await self.router.stream(deployment, open_stream)
        except TandemError as exc:
            self._count_failure(deployment, operation, exc)
            raise
        self.metrics.first_token.labels(stream.deployment, operation).observe(
            time.perf_counter() - started
        )
        return stream

    async def _unary(self, deployment: str, operation: str, run: Call[T]) -> T:
        started = time.perf_counter()
        try:
            routed = await self.router.call(deployment, run)
        except TandemError as exc:
            self._count_failure(deployment, operation, exc)
            raise
        except asyncio.CancelledError:
            self.metrics.requests.labels(deployment, operation, "cancelled").inc()
            raise
        self.metrics.requests.labels(routed.deployment, operation, "ok").inc()
        self.metrics.latency.labels(routed.deployment, operation).observe(
            time.perf_counter() - started
        )
        self._count_tokens(routed.deployment, routed.value)
        return routed.value

    def _count_failure(self, deployment: str, operation: str, exc: TandemError) -> None:
        # Names of deployments that do not exist stay out of the labels (unbounded).
        label = "_unknown" if isinstance(exc, DeploymentNotFoundError) else deployment
        self.metrics.requests.labels(label, operation, str(exc.status_code)).inc()

    def _count_tokens(self, deployment: str, value: object) -> None:
        if isinstance(value, dict):
            self.metrics.record_usage(deployment, value.get("usage"))
        elif isinstance(value, EmbeddingResult):
            self.metrics.tokens.labels(deployment, "prompt").inc(value.prompt_tokens)


def encode_embeddings(result: EmbeddingResult, encoding_format: str) -> JSONObject:
    """OpenAI's embeddings response; base64 is little-endian float32, as OpenAI sends it."""
    vectors = result.vectors.astype("<f4", copy=False)
    data: list[JSONObject] = []
    for index, row in enumerate(vectors):
        embedding: Any = (
            base64.b64encode(row.tobytes()).decode("ascii") if encoding_format == "base64" else row
        )
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    return {
        "object": "list",
        "data": data,
        "model": result.model,
        "usage": {"prompt_tokens": result.prompt_tokens, "total_tokens": result.prompt_tokens},
    }
