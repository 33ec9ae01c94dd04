"""A leaner request handler for routes of the simplest shape: a JSON body model, the
request, and dependencies that take nothing but the request and each other (the platform,
the caller, the call context: every model route).

FastAPI's general `solve_dependencies` walks every parameter kind, scope and cache key on
each request; on the chat route that was about a sixth of the server's CPU. Here the
dependency tree is read once, when the route is built, and each request only calls it.
Validation is FastAPI's own (`request_body_to_args`), so errors, their order (a body that
is not JSON, then authentication, then the body's fields) and their wording are unchanged.
Routes of any other shape keep FastAPI's handler.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request, params
from fastapi._compat import ModelField, Undefined
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_body_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import Response

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True, slots=True)
class _Step:
    """One dependency: its callable, the name it is passed under (None: called for its
    effect), its own dependencies, and the names it takes the request under."""

    call: Callable[..., Any]
    name: str | None
    needs: tuple[_Step, ...]
    request_names: tuple[str, ...]


def direct_handler(route: APIRoute) -> Handler | None:
    """A handler for `route` without `solve_dependencies`, or None when its shape is not
    the simple one (FastAPI's handler then serves it)."""
    dependant = route.dependant
    if route.body_field is None or len(dependant.body_params) != 1 or route._embed_body_fields:
        return None
    if isinstance(route.body_field.field_info, params.Form) or not _plain(dependant, True):
        return None
    if not inspect.iscoroutinefunction(dependant.call):
        return None
    steps = tuple(_step(d) for d in dependant.dependencies)
    if any(step is None for step in steps):
        return None
    endpoint = dependant.call
    request_name = dependant.request_param_name
    body_fields: list[ModelField] = list(dependant.body_params)
    body_name = body_fields[0].name
    resolved: tuple[_Step, ...] = tuple(s for s in steps if s is not None)

    async def handle(request: Request) -> Response:
        body = await _json_body(request)
        cache: dict[int, Any] = {}
        values: dict[str, Any] = {}
        for step in resolved:
            value = await _run(step, request, cache)
            if step.name is not None:
                values[step.name] = value
        body_values, errors = await request_body_to_args(body_fields, body, False)
        if errors:
            raise RequestValidationError(errors, body=body)
        values[body_name] = body_values[body_name]
        if request_name is not None:
            values[request_name] = request
        response = await endpoint(**values)
        assert isinstance(response, Response)  # the shape: endpoints that return one
        return response

    return handle if _returns_response(endpoint) else None


async def _json_body(request: Request) -> Any:
    """The body as FastAPI reads it for a JSON route (`require_json` has already refused
    other media types): Undefined when empty, a 400 naming the position when not JSON."""
    raw = await request.body()
    if not raw:
        return Undefined
    try:
        return await request.json()
    except orjson.JSONDecodeError as exc:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", exc.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": exc.msg},
                }
            ],
            body=exc.doc,
        ) from exc


async def _run(step: _Step, request: Request, cache: dict[int, Any]) -> Any:
    key = id(step.call)
    if key in cache:
        return cache[key]
    kwargs: dict[str, Any] = {}
    for need in step.needs:
        value = await _run(need, request, cache)
        if need.name is not None:
            kwargs[need.name] = value
    for name in step.request_names:
        kwargs[name] = request
    value = await step.call(**kwargs)
    cache[key] = value
    return value


def _step(dependant: Dependant) -> _Step | None:
    call = dependant.call
    if call is None or not _plain(dependant, False) or not _is_async(call):
        return None
    if not dependant.use_cache or dependant.scope is not None:
        return None
    needs = tuple(_step(d) for d in dependant.dependencies)
    if any(need is None for need in needs):
        return None
    names = (dependant.request_param_name, dependant.http_connection_param_name)
    return _Step(
        call,
        dependant.name,
        tuple(n for n in needs if n is not None),
        tuple(name for name in names if name is not None),
    )


def _plain(dependant: Dependant, body: bool) -> bool:
    """Only the request and dependencies (and, at the top, the one body)."""
    return not (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or (dependant.body_params and not body)
        or dependant.websocket_param_name
        or (dependant.http_connection_param_name and body)
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    )


def _is_async(call: Callable[..., Any]) -> bool:
    if inspect.isasyncgenfunction(call) or inspect.isgeneratorfunction(call):
        return False
    if inspect.iscoroutinefunction(call):
        return True
    method = getattr(call, "__call__", None)  # noqa: B004  # a security scheme instance
    return inspect.iscoroutinefunction(method)


def _returns_response(endpoint: Callable[..., Any]) -> bool:
    annotation = inspect.signature(endpoint, eval_str=True).return_annotation
    return isinstance(annotation, type) and issubclass(annotation, Response)
