"""Response helpers shared by every surface: fast JSON, SSE framing, body parsing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Any, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.responses import Response

from tandem.errors import InvalidRequestError
from tandem.http.bodies import refuse_nul, request_error, require_json

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

CLIENT_CLOSED_REQUEST = 499

SSE_DONE = b"data: [DONE]\n\n"


class JSONBytes(Response):
    """JSON rendered by orjson (NumPy arrays included)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


def sse_event(payload: Any) -> bytes:
    """One server-sent event carrying JSON."""
    return b"data: " + orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY) + b"\n\n"


async def parse_body(request: Request, model: type[M]) -> M:
    """Read and validate a JSON body; every failure is a 400 that names the parameter.

    Routes declare their body as a parameter instead, so the OpenAPI spec describes it;
    this is for bodies read by hand (with `json_body` for the spec)."""
    await require_json(request)
    raw = await request.body()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequestError(f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidRequestError("the request body must be a JSON object")
    refuse_nul(raw, data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def validation_error(exc: ValidationError) -> InvalidRequestError:
    """The first pydantic error as an OpenAI-style 400."""
    return request_error(exc.errors())


class ClientDisconnectedError(Exception):
    """The client went away before its answer was ready."""


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """Await `work`, cancelling it if the client disconnects first (frees the model)."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_wait_for_disconnect(request))
    try:
        done, _ = await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    raise ClientDisconnectedError


async def _wait_for_disconnect(request: Request) -> None:
    # The body has been read, so the next ASGI message can only be the disconnect.
    while (await request.receive())["type"] != "http.disconnect":
        pass
