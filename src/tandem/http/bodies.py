"""JSON request bodies: declared on routes (so the OpenAPI spec describes them), read by
orjson, refused in other media types, and their validation errors rendered as 400s that
name the parameter, as OpenAI does."""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

import orjson
from fastapi import Request
from fastapi import params as fastapi_params
from fastapi.routing import APIRoute
from starlette.responses import Response

from tandem.errors import InvalidRequestError, UnsupportedMediaTypeError
from tandem.http.direct import direct_handler

_WHOLE_BODY_TYPES = {"model_attributes_type", "model_type", "dict_type"}
_LOCATIONS = {"body", "query", "path", "header", "cookie"}
_JSON = ("application/json;", "application/json ")


class _OrjsonRequest(Request):
    """A request whose JSON is parsed by orjson: faster, and strict (no NaN or Infinity,
    which the standard library accepts)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            self._json = orjson.loads(raw)
            refuse_nul(raw, self._json)
        return self._json


class JSONRoute(APIRoute):
    """The route class of every Tandem router: JSON bodies as above."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = direct_handler(self) or super().get_route_handler()
        takes_json = self.body_field is not None and not isinstance(
            self.body_field.field_info, fastapi_params.Form
        )

        async def route(request: Request) -> Response:
            wrapped = _OrjsonRequest(request.scope, request.receive)
            if takes_json:
                await require_json(wrapped)
            return await handler(wrapped)

        return route


async def require_json(request: Request) -> None:
    """Refuse a non-empty body sent as anything but JSON (no content type: read as JSON)."""
    content_type = request.headers.get("content-type")
    if not content_type or content_type == "application/json" or content_type.startswith(_JSON):
        return  # the usual case, decided without parsing the header
    if not await request.body():
        return
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    if message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    ):
        return
    raise UnsupportedMediaTypeError(
        f"this route takes a JSON body (Content-Type: application/json), not {content_type}",
        param="content-type",
    )


def refuse_nul(raw: bytes, data: Any) -> None:
    """Refuse JSON holding U+0000 in a string: PostgreSQL can neither store nor compare it,
    and no model or product has a use for it (only JSON that escapes one is walked)."""
    if b"\\u0000" not in raw:
        return
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise _nul_error(where)
        elif isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                if "\x00" in key:
                    raise _nul_error(path)
                stack.append((path, item))
        elif isinstance(value, list):
            stack.extend((f"{where}.{i}" if where else str(i), v) for i, v in enumerate(value))


def _nul_error(where: str) -> InvalidRequestError:
    suffix = f" (at {where})" if where else ""
    return InvalidRequestError(
        f"strings must not contain NUL (U+0000) characters{suffix}", param=where or None
    )


def request_error(errors: Sequence[Mapping[str, Any]]) -> InvalidRequestError:
    """The first validation error (pydantic's or FastAPI's) as an OpenAI-style 400."""
    first: Mapping[str, Any] = errors[0] if errors else {"msg": "invalid request"}
    loc = list(first.get("loc", ()))
    if loc and loc[0] in _LOCATIONS:
        where = loc.pop(0)
        if where == "body" and first.get("type") == "json_invalid":
            detail = (first.get("ctx") or {}).get("error", "")
            return InvalidRequestError(f"the request body is not valid JSON: {detail}")
        if where == "body" and not loc:
            if first.get("type") == "missing":
                return InvalidRequestError("the request needs a JSON body")
            if first.get("type") in _WHOLE_BODY_TYPES:
                return InvalidRequestError("the request body must be a JSON object")
    names = [str(p) for p in loc if not str(p).startswith("function-")]
    param = ".".join(names) or None
    if first.get("type") == "extra_forbidden":
        return InvalidRequestError(
            f"Unrecognized request argument supplied: {param}",
            param=param,
            code="unsupported_parameter",
        )
    message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
    suffix = f" (at {param})" if param else ""
    return InvalidRequestError(f"{message}{suffix}", param=param)
