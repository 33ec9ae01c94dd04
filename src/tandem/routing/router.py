"""The router: deployment → backend with timeouts, retries, fallback and cooldown.

Retries apply to what is safe to repeat: a whole request, or a stream before its first
chunk reached the client. A stream that breaks after that is never restarted (the client
would see text twice); it ends with a `StreamBrokenError`, rendered as an error event.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from tandem.backends.base import Backend
from tandem.errors import OverloadedError, TandemError, UpstreamError, UpstreamTimeoutError
from tandem.routing.deployments import Deployment, DeploymentTable, Target
from tandem.wire import JSONObject

log = logging.getLogger(__name__)

T = TypeVar("T")
Call = Callable[[Backend, str], Awaitable[T]]
StreamCall = Callable[[Backend, str], AsyncIterator[JSONObject]]

MAX_BACKOFF_S = 8.0
MAX_RETRY_AFTER_S = 30.0


class StreamBrokenError(TandemError):
    """A stream failed after chunks were sent; it must end, not restart."""

    status_code = 502
    error_type = "server_error"
    code = "stream_interrupted"
    azure_code = "BadGateway"


@dataclass(frozen=True)
class Routed(Generic[T]):
    """A result and where it came from."""

    value: T
    deployment: str
    backend: str


@dataclass(frozen=True)
class RoutedStream:
    """A stream whose first chunk has arrived, and where it comes from."""

    first: JSONObject
    rest: AsyncIterator[JSONObject]
    deployment: str
    backend: str

    async def chunks(self) -> AsyncIterator[JSONObject]:
        """All chunks; a failure after the first becomes `StreamBrokenError`."""
        yield self.first
        try:
            async for chunk in self.rest:
                yield chunk
        except StreamBrokenError:
            raise
        except TandemError as exc:
            raise StreamBrokenError(f"the stream was interrupted: {exc.message}") from exc
        finally:
            aclose = getattr(self.rest, "aclose", None)
            if aclose is not None:
                await aclose()


class Router:
    """Sends calls to deployments' backends and handles their failures."""

    def __init__(
        self,
        deployments: DeploymentTable,
        *,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deployments = deployments
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._clock = clock

    async def call(self, name: str, call: Call[T]) -> Routed[T]:
        """Run `call` on a backend of `name`, falling back along its fallback list."""
        chain = self._chain(name)
        last: TandemError | None = None
        for deployment in chain:
            try:
                value, target = await self._with_retries(deployment, call)
                return Routed(value, deployment.name, target.backend.label)
            except (UpstreamError, OverloadedError) as exc:
                if isinstance(exc, UpstreamError) and not exc.retryable:
                    raise
                last = exc
                if deployment is not chain[-1]:
                    log.warning(
                        "falling back",
                        extra={"deployment": deployment.name, "error": exc.message},
                    )
        assert last is not None
        raise last

    async def stream(self, name: str, open_stream: StreamCall) -> RoutedStream:
        """Open a stream on `name`; retries and fallbacks apply until the first chunk."""

        async def first_chunk(
            backend: Backend, model: str
        ) -> tuple[JSONObject, AsyncIterator[JSONObject]]:
            iterator = open_stream(backend, model)
            try:
                first = await anext(iterator)
            except StopAsyncIteration as exc:
                raise UpstreamError("the backend sent an empty stream") from exc
            except BaseException:
                aclose = getattr(iterator, "aclose", None)
                if aclose is not None:
                    await aclose()
                raise
            return first, iterator

        routed = await self.call(name, first_chunk)
        first, rest = routed.value
        return RoutedStream(first, rest, routed.deployment, routed.backend)

    def _chain(self, name: str) -> list[Deployment]:
        primary = self.deployments.get(name)
        chain = [primary]
        for fallback in primary.config.fallbacks:
            if fallback in self.deployments and all(d.name != fallback for d in chain):
                chain.append(self.deployments.get(fallback))
        return chain

    async def _with_retries(self, deployment: Deployment, call: Call[T]) -> tuple[T, Target]:
        config = deployment.config
        tried: set[int] = set()
        for attempt in range(config.max_retries + 1):
            target = deployment.pick(self._clock(), tried)
            if target is None:
                wait = max(0.0, deployment.next_available_at() - self._clock())
                raise UpstreamError(
                    f"every backend of '{deployment.name}' is cooling down",
                    upstream_status=503,
                    retry_after=wait,
                    headers={"retry-after": str(max(1, round(wait)))},
                )
            tried.add(id(target))
            try:
                async with asyncio.timeout(config.timeout_s):
                    value = await call(target.backend, deployment.name)
            except TimeoutError as exc:
                error: UpstreamError = UpstreamTimeoutError(
                    f"'{deployment.name}' did not answer within {config.timeout_s:g}s"
                )
                error.__cause__ = exc
            except UpstreamError as exc:
                if not exc.retryable:
                    raise
                error = exc
            else:
                target.health.record_success()
                return value, target
            target.health.record_failure(self._clock())
            if attempt == config.max_retries:
                raise error
            delay = self._backoff(attempt, error.retry_after)
            log.info(
                "retrying",
                extra={
                    "deployment": deployment.name,
                    "backend": target.backend.label,
                    "attempt": attempt + 1,
                    "delay_s": round(delay, 3),
                    "error": error.message,
                },
            )
            await self._sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER_S)
        base: float = min(MAX_BACKOFF_S, 0.25 * 2.0**attempt)
        return base * (0.5 + self._rng.random() / 2)
