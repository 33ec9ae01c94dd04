"""The gateway: every surface (and every product) calls models through this, in process.

Each call passes the enterprise controls (allow-list, budget, RPM/TPM admission), goes
through the router, and is settled in the usage ledger however it ends.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from tandem.backends.base import Backend
from tandem.errors import DeploymentNotFoundError, TandemError
from tandem.gateway.native import chat_of_response, chunks_of_events
from tandem.gateway.results import Reply
from tandem.governance.controls import Controls, Ticket
from tandem.governance.estimate import estimate
from tandem.governance.principal import Principal
from tandem.metrics import Metrics
from tandem.routing.router import Call, RoutedStream, Router, StreamBrokenError
from tandem.safety.annotations import ContentFilterError
from tandem.safety.guard import guard_request, parse_verdict
from tandem.safety.layer import PromptCheck, SafetyLayer
from tandem.safety.stream import Outcome, StreamScreen, screened
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
GenerationRequest = ChatCompletionRequest | CompletionRequest
ModelRequest = GenerationRequest | EmbeddingRequest


@dataclass
class CallContext:
    """Who is calling, the request id, and headers the service wants on the response."""

    principal: Principal
    request_id: str
    headers: dict[str, str] = field(default_factory=dict)
    # The system messages were written by a Tandem product (a dataset's schema, its sample
    # values), not by the caller: they are not screened for harm. User messages always are.
    trusted_system: bool = False


@dataclass
class OpenStream:
    """An admitted, screened stream whose first chunk has arrived."""

    routed: RoutedStream
    ticket: Ticket
    operation: str
    include_usage: bool
    ctx: CallContext
    check: PromptCheck
    requested: str
    n: int = 1


class ModelService:
    """Chat, completions and embeddings over named deployments."""

    def __init__(
        self, router: Router, metrics: Metrics, controls: Controls, safety: SafetyLayer
    ) -> None:
        self.router = router
        self.metrics = metrics
        self.controls = controls
        self.safety = safety

    async def embed(
        self, ctx: CallContext, request: EmbeddingRequest, deployment: str
    ) -> JSONObject:
        """Embeddings in OpenAI's response shape, float or base64 as asked."""

        async def run(backend: Backend, model: str) -> EmbeddingResult | JSONObject:
            return await backend.embed(request, model)

        ticket = await self._admit(ctx, deployment, "embeddings", request)
        result: EmbeddingResult | JSONObject = await self._unary(
            ticket, deployment, "embeddings", run
        )
        if isinstance(result, EmbeddingResult):
            return encode_embeddings(result, request.encoding_format)
        return result

    async def ask(self, ctx: CallContext, request: GenerationRequest, deployment: str) -> Reply:
        """`generate` for products: the reply as a typed object."""
        return Reply.of(await self.generate(ctx, request, deployment))

    async def generate(
        self,
        ctx: CallContext,
        request: GenerationRequest,
        deployment: str,
        native: JSONObject | None = None,
    ) -> JSONObject:
        """A whole chat or text completion from `deployment`, screened both ways. With
        `native` (a Responses request equal to `request`), a backend that speaks the
        Responses API is sent that instead, and its answer read back as a completion."""
        operation = _operation(request)
        ticket = await self._admit(ctx, deployment, operation, request)
        check = await self._screen(ctx, ticket, deployment, request)
        screened_request = check.request
        # A redacted prompt exists only as the chat request: the native one would leak it.
        native = native if screened_request is request else None

        async def run(backend: Backend, model: str) -> JSONObject:
            if native is not None and backend.speaks_responses:
                return chat_of_response(await backend.respond(native, model))
            if isinstance(screened_request, ChatCompletionRequest):
                return await backend.chat(screened_request, model)
            return await backend.complete(screened_request, model)

        return await self._generate(ctx, ticket, deployment, operation, check, run)

    async def stream(
        self,
        ctx: CallContext,
        request: GenerationRequest,
        deployment: str,
        native: JSONObject | None = None,
    ) -> OpenStream:
        """Open a chat or text-completion stream; errors before the first chunk are raised
        here. `native` as for `generate`."""
        operation = _operation(request)
        ticket = await self._admit(ctx, deployment, operation, request)
        check = await self._screen(ctx, ticket, deployment, request)
        screened_request = check.request
        native = native if screened_request is request else None

        def open_chunks(backend: Backend, model: str) -> AsyncIterator[JSONObject]:
            if native is not None and backend.speaks_responses:
                return chunks_of_events(backend.respond_stream(native, model))
            if isinstance(screened_request, ChatCompletionRequest):
                return backend.chat_stream(screened_request, model)
            return backend.complete_stream(screened_request, model)

        return await self._open_stream(ctx, ticket, check, deployment, operation, open_chunks)

    async def chunks(self, stream: OpenStream) -> AsyncGenerator[JSONObject, None]:
        """The stream's chunks, screened in windows. However it ends (done, filtered, broken,
        client gone), it is settled in the ledger; a broken stream raises
        `StreamBrokenError` after its last good chunk."""
        started = time.perf_counter()
        deployment = stream.routed.deployment
        status = "error"
        usage: Any = None
        pieces = 0
        outcome = Outcome()
        job = StreamScreen(
            self.safety,
            stream.ctx.principal,
            stream.requested,
            stream.check,
            stream.ctx.request_id,
            stream.n,
        )
        chunks = screened(stream.routed.chunks(), job, outcome)
        try:
            async for chunk in chunks:
                if chunk.get("usage"):
                    usage = chunk["usage"]
                    if not chunk.get("choices") and not stream.include_usage:
                        continue  # usage the client did not ask for: kept for the ledger
                elif chunk.get("choices"):
                    pieces += 1
                yield chunk
            status = "content_filter" if outcome.blocked else "ok"
        except StreamBrokenError:
            status = "interrupted"
            log.warning("stream interrupted", extra={"deployment": deployment})
            raise
        except (asyncio.CancelledError, GeneratorExit):
            status = "cancelled"  # the client disconnected
            raise
        finally:
            if usage is None:
                # The upstream reported no usage: count what was streamed.
                usage = {
                    "prompt_tokens": stream.ticket.prompt_estimate,
                    "completion_tokens": pieces,
                }
            self.metrics.record_usage(deployment, usage)
            self.metrics.requests.labels(deployment, stream.operation, status).inc()
            self.metrics.latency.labels(deployment, stream.operation).observe(
                time.perf_counter() - started
            )
            safety = "blocked" if outcome.blocked else stream.check.outcome
            self.controls.settle(
                stream.ticket,
                status=status,
                usage=usage,
                backend=stream.routed.backend,
                safety=safety,
            )

    async def _admit(
        self, ctx: CallContext, deployment: str, operation: str, request: ModelRequest
    ) -> Ticket:
        config = self.router.deployments.get(deployment).config
        try:
            ticket = await self.controls.admit(
                ctx.principal, config, operation, estimate(request), ctx.request_id
            )
        except TandemError as exc:
            self._count_failure(deployment, operation, exc)
            raise
        ctx.headers.update(ticket.headers())
        return ticket

    async def _screen(
        self,
        ctx: CallContext,
        ticket: Ticket,
        deployment: str,
        request: GenerationRequest,
    ) -> PromptCheck:
        """Screen the prompt; a blocked (or unscreenable) one is settled in the ledger and
        raised."""
        try:
            if isinstance(request, ChatCompletionRequest):
                check = await self.safety.check_chat(
                    ctx.principal,
                    deployment,
                    request,
                    ctx.request_id,
                    trusted_system=ctx.trusted_system,
                )
                if check.policy.guard_deployment:
                    await self._ask_guard(ctx, deployment, check, request)
                return check
            return await self.safety.check_completion_prompt(
                ctx.principal, deployment, request, ctx.request_id
            )
        except ContentFilterError as exc:
            self._count_failure(deployment, ticket.event.operation, exc)
            self.controls.settle(ticket, status="content_filter", safety="blocked")
            raise
        except TandemError as exc:
            # Too long to screen, or the guard deployment failed: the ticket still settles.
            self._count_failure(deployment, ticket.event.operation, exc)
            self.controls.settle(ticket, status=str(exc.status_code))
            raise

    async def _ask_guard(
        self, ctx: CallContext, deployment: str, check: PromptCheck, request: ChatCompletionRequest
    ) -> None:
        """Run the policy's guard model on the conversation; block what it calls unsafe."""
        guard = check.policy.guard_deployment
        assert guard is not None
        question = guard_request(request)

        async def run(backend: Backend, model: str) -> JSONObject:
            return await backend.chat(question, model)

        answer = (await self.router.call(guard, run)).value
        text = Reply.of(answer).text
        unsafe, categories, codes = parse_verdict(text)
        finding = check.findings[0]
        finding.guard = {"filtered": unsafe, "detected": unsafe, "codes": codes}
        if unsafe:
            finding.filtered |= categories
            self.safety.record(
                ctx.principal,
                deployment,
                check.policy,
                "prompt_blocked",
                finding,
                ctx.request_id,
                request.messages[-1].text(),
            )
            raise ContentFilterError(finding.results())

    async def _open_stream(
        self,
        ctx: CallContext,
        ticket: Ticket,
        check: PromptCheck,
        deployment: str,
        operation: str,
        open_stream: Callable[[Backend, str], AsyncIterator[JSONObject]],
    ) -> OpenStream:
        started = time.perf_counter()
        try:
            routed = await self.router.stream(deployment, open_stream)
        except TandemError as exc:
            self._count_failure(deployment, operation, exc)
            self.controls.settle(ticket, status=str(exc.status_code))
            raise
        except asyncio.CancelledError:
            self.controls.settle(ticket, status="cancelled")
            raise
        self.metrics.first_token.labels(routed.deployment, operation).observe(
            time.perf_counter() - started
        )
        request = check.request
        return OpenStream(
            routed=routed,
            ticket=ticket,
            operation=operation,
            include_usage=request.include_usage,
            ctx=ctx,
            check=check,
            requested=deployment,
            n=request.n,
        )

    async def _generate(
        self,
        ctx: CallContext,
        ticket: Ticket,
        deployment: str,
        operation: str,
        check: PromptCheck,
        run: Call[JSONObject],
    ) -> JSONObject:
        value = await self._unary(ticket, deployment, operation, run, settle=False)
        value = await self.safety.filter_response(
            ctx.principal, deployment, check, value, ctx.request_id
        )
        blocked = any(c.get("finish_reason") == "content_filter" for c in value.get("choices", []))
        self.controls.settle(
            ticket,
            status="content_filter" if blocked else "ok",
            usage=value.get("usage"),
            backend=ticket.event.backend,
            safety="blocked" if blocked else check.outcome,
        )
        return value

    async def _unary(
        self, ticket: Ticket, deployment: str, operation: str, run: Call[T], settle: bool = True
    ) -> T:
        started = time.perf_counter()
        try:
            routed = await self.router.call(deployment, run)
        except TandemError as exc:
            self._count_failure(deployment, operation, exc)
            self.controls.settle(ticket, status=str(exc.status_code))
            raise
        except asyncio.CancelledError:
            self.metrics.requests.labels(deployment, operation, "cancelled").inc()
            self.controls.settle(ticket, status="cancelled")
            raise
        self.metrics.requests.labels(routed.deployment, operation, "ok").inc()
        self.metrics.latency.labels(routed.deployment, operation).observe(
            time.perf_counter() - started
        )
        usage = _usage_of(routed.value)
        self.metrics.record_usage(routed.deployment, usage)
        ticket.event = replace(ticket.event, backend=routed.backend)
        if settle:
            # Journalled before the answer leaves; the TPM reconciliation need not hold it up.
            self.controls.settle(ticket, status="ok", usage=usage, backend=routed.backend)
        return routed.value

    def _count_failure(self, deployment: str, operation: str, exc: TandemError) -> None:
        # Names of deployments that do not exist stay out of the labels (unbounded).
        label = "_unknown" if isinstance(exc, DeploymentNotFoundError) else deployment
        self.metrics.requests.labels(label, operation, str(exc.status_code)).inc()


def _operation(request: GenerationRequest) -> str:
    return "chat" if isinstance(request, ChatCompletionRequest) else "completions"


def _usage_of(value: object) -> Any:
    if isinstance(value, dict):
        return value.get("usage")
    if isinstance(value, EmbeddingResult):
        return {"prompt_tokens": value.prompt_tokens, "completion_tokens": 0}
    return None


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
