"""What every surface does with a model request: stream or whole, headers, disconnects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Query, Request
from starlette.responses import Response, StreamingResponse

from tandem.api.openai.service import CallContext, OpenStream
from tandem.api.responses import JSONBytes, parse_body, unless_disconnected
from tandem.errors import InvalidRequestError, TandemError
from tandem.platform import Platform
from tandem.wire import ChatCompletionRequest, CompletionRequest, JSONObject

ErrorBody = Callable[[TandemError], JSONObject]
G = TypeVar("G", ChatCompletionRequest, CompletionRequest)
ApiVersion = Annotated[str | None, Query(alias="api-version")]
"""The `?api-version=` of Azure-style routes (checked by `require_api_version`)."""


async def generation_response(
    request: Request, platform: Platform, ctx: CallContext, deployment: str | None,
    error_body: ErrorBody, body_type: type[G],
) -> Response:  # fmt: skip
    """A chat or text completion for `deployment` (None: the body's `model`)."""
    body = await parse_body(request, body_type)
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
        platform.service.sse(stream, error_body),
        media_type="text/event-stream",
        headers=ctx.headers,
    )


def required_model(model: str) -> str:
    """The body's `model`, which the /v1 routes require."""
    if not model:
        raise InvalidRequestError("you must provide a model parameter", param="model")
    return model


def require_api_version(api_version: str | None) -> None:
    """Azure-style routes need `?api-version=`."""
    if not api_version:
        raise InvalidRequestError(
            "Missing required query parameter 'api-version'.",
            param="api-version",
            code="MissingApiVersionParameter",
        )
