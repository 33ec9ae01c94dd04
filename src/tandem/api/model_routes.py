"""What every surface does with a model request: stream or whole, headers, disconnects."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response, StreamingResponse

from tandem.errors import InvalidRequestError, TandemError
from tandem.gateway.service import CallContext, GenerationRequest, ModelService, OpenStream
from tandem.http.responses import SSE_DONE, JSONBytes, sse_event, unless_disconnected
from tandem.platform import Platform
from tandem.routing.router import StreamBrokenError
from tandem.wire import JSONObject

log = logging.getLogger(__name__)

ErrorBody = Callable[[TandemError], JSONObject]

API_VERSION_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$"
_API_VERSION = re.compile(API_VERSION_PATTERN)


ApiVersion = Annotated[
    str | None,
    Query(
        alias="api-version",
        description="The API version: a date such as 2024-10-21, optionally with -preview.",
        json_schema_extra={"pattern": API_VERSION_PATTERN},
    ),
]
"""The `?api-version=` of Azure-style routes (checked by `require_api_version`)."""


def require_api_version(api_version: str | None) -> None:
    """Azure-style routes need `?api-version=`, a date optionally marked `-preview`."""
    if not api_version:
        raise InvalidRequestError(
            "Missing required query parameter 'api-version'.",
            param="api-version",
            code="MissingApiVersionParameter",
        )
    if not _API_VERSION.match(api_version) or not _real_date(api_version[:10]):
        raise InvalidRequestError(
            f"The api-version '{api_version[:64]}' is invalid: it must be a date such as "
            "2024-10-21, optionally followed by -preview.",
            param="api-version",
            code="InvalidApiVersionParameter",
        )


def _real_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


async def generation_response(
    request: Request,
    platform: Platform,
    ctx: CallContext,
    deployment: str | None,
    error_body: ErrorBody,
    body: GenerationRequest,
) -> Response:
    """A chat or text completion for `deployment` (None: the body's `model`)."""
    name = deployment or required_model(body.model)
    if body.stream:
        stream = await platform.service.stream(ctx, body, name)
        return _sse(platform, stream, ctx, error_body)
    result = await unless_disconnected(request, platform.service.generate(ctx, body, name))
    return JSONBytes(result, headers=ctx.headers)


def _sse(
    platform: Platform, stream: OpenStream, ctx: CallContext, error_body: ErrorBody
) -> Response:
    return StreamingResponse(
        sse_frames(platform.service, stream, error_body),
        media_type="text/event-stream",
        headers=ctx.headers,
    )


async def sse_frames(
    service: ModelService, stream: OpenStream, error_body: ErrorBody
) -> AsyncIterator[bytes]:
    """Frame a gateway stream as server-sent events. However it fails mid-way, it ends with
    an error event and `[DONE]`: the status line is long gone, and a cut connection would
    leave clients unsure whether the answer was whole."""
    async with aclosing(service.chunks(stream)) as chunks:
        try:
            async for chunk in chunks:
                yield sse_event(chunk)
        except StreamBrokenError as exc:
            yield sse_event(error_body(exc))
        except Exception:
            log.exception("stream failed", extra={"deployment": stream.routed.deployment})
            broken = StreamBrokenError("the stream was interrupted by a server error")
            yield sse_event(error_body(broken))
        yield SSE_DONE


def required_model(model: str) -> str:
    """The body's `model`, which the /v1 routes require."""
    if not model:
        raise InvalidRequestError("you must provide a model parameter", param="model")
    return model
