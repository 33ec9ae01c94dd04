"""The OpenAPI spec as the server behaves.

FastAPI documents a 422 for every route with parameters; Tandem answers 400 (OpenAI's code
for an invalid request). The spec here drops the 422 and lists the errors each route can
return, in the shape its surface renders: OpenAI's, or Azure's on Azure routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import BaseRoute

from tandem.http.deps import get_call_context, get_principal
from tandem.http.middleware import is_azure_path

JSONDict = dict[str, Any]

DESCRIPTIONS = {
    400: "The request is invalid (the error names the parameter).",
    401: "No valid API key.",
    403: "The key may not do this.",
    404: "No such resource (or deployment).",
    409: "The resource already exists.",
    413: "The request body is over the limit.",
    415: "The body is not in a media type the route takes.",
    429: "Over the key's rate or token limit; retry after `retry-after` seconds.",
    502: "The upstream model failed.",
    503: "The deployment is loading or its queue is full; retry after `retry-after` seconds.",
    504: "The upstream model did not answer in time.",
}
_MODEL_CALL = (404, 429, 502, 503, 504)


class OpenAIErrorDetail(BaseModel):
    """What went wrong, as OpenAI describes it."""

    message: str
    type: str
    param: str | None
    code: str | None


class OpenAIError(BaseModel):
    """OpenAI's error body."""

    error: OpenAIErrorDetail


class AzureErrorDetail(BaseModel):
    """What went wrong, as Azure OpenAI describes it."""

    code: str
    message: str
    param: str | None
    type: str
    status: int


class AzureError(BaseModel):
    """Azure's error body (Azure OpenAI and Content Safety routes)."""

    error: AzureErrorDetail


def errors(*codes: int) -> dict[int | str, JSONDict]:
    """`responses=` for error codes a route returns beyond those found from its shape."""
    return {code: {"description": DESCRIPTIONS[code]} for code in codes}


def json_body(model: type[BaseModel]) -> JSONDict:
    """`openapi_extra=` describing a JSON body a handler reads itself (`parse_body`)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    }


def multipart_body(
    files: str = "files", fields: dict[str, JSONDict] | None = None, required: bool = True
) -> JSONDict:
    """`openapi_extra=` describing a multipart upload: file parts under `files`, and form
    fields (name → JSON schema)."""
    properties: JSONDict = {
        files: {"type": "array", "items": {"type": "string", "format": "binary"}},
        **(fields or {}),
    }
    schema: JSONDict = {"type": "object", "properties": properties}
    if required:
        schema["required"] = [files]
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    }


def install_openapi(app: FastAPI) -> None:
    """Replace the app's spec generator with one whose errors are the ones returned."""

    def openapi() -> JSONDict:
        if app.openapi_schema is None:
            app.openapi_schema = build_spec(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def build_spec(app: FastAPI) -> JSONDict:
    """The spec of `app`'s routes, errors documented as they are rendered."""
    spec = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas: JSONDict = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for model in (OpenAIError, AzureError):
        defs = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(defs.pop("$defs", {}))
        schemas[model.__name__] = defs
    for route in _api_routes(app.routes):
        if not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = spec["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                _document_errors(route, operation, schemas)
    return spec


def _document_errors(route: APIRoute, operation: JSONDict, schemas: JSONDict) -> None:
    responses: JSONDict = operation.setdefault("responses", {})
    responses.pop("422", None)
    body = operation.get("requestBody")
    if body is not None:
        _hoist_defs(body, schemas)
    codes: set[int] = set()
    if operation.get("parameters") or body is not None:
        codes.add(400)
    if body is not None:
        codes |= {413, 415} if "application/json" in body.get("content", {}) else {413}
    if _depends_on(route.dependant, get_principal):
        codes |= {401, 403}
    if "{" in route.path_format:
        codes.add(404)
    if _depends_on(route.dependant, get_call_context):
        codes |= set(_MODEL_CALL)
    codes |= {int(code) for code in responses if str(code).isdigit() and int(code) >= 400}
    ref = "AzureError" if is_azure_path(route.path_format) else "OpenAIError"
    for code in sorted(codes):
        entry = responses.setdefault(str(code), {})
        entry.setdefault("description", DESCRIPTIONS.get(code, "Error."))
        # A route that declared its own body for an error status (readiness's 503) keeps it.
        schema = {"schema": {"$ref": f"#/components/schemas/{ref}"}}
        entry.setdefault("content", {"application/json": schema})
    # JSON keys are strings: keep the codes in order for readers of the spec.
    operation["responses"] = dict(sorted(responses.items()))


def _hoist_defs(body: JSONDict, schemas: JSONDict) -> None:
    """Move `$defs` of hand-declared bodies (`json_body`) into the components."""
    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        schemas.update(schema.pop("$defs", {}))
        title = schema.get("title")
        if title and "properties" in schema and title not in schemas:
            schemas[title] = schema
            media["schema"] = {"$ref": f"#/components/schemas/{title}"}


def _api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    # Newer FastAPI keeps an included router whole (`original_router`); Tandem includes
    # its routers without a prefix, so their routes' paths are the paths served.
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)


def _depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    stack = [dependant]
    while stack:
        current = stack.pop()
        if current.call is call:
            return True
        stack.extend(current.dependencies)
    return False
