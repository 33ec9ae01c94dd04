"""Routes of /v1/evals in OpenAI's shape (what `client.evals` calls)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.responses import Response

from tandem.apps.evals import schemas as s
from tandem.apps.evals.service import EvalsService
from tandem.errors import InvalidRequestError
from tandem.http.bodies import JSONRoute, refuse_nul, require_json
from tandem.http.deps import PlatformDep, PrincipalDep
from tandem.http.openapi import errors, json_body
from tandem.http.responses import JSONBytes
from tandem.platform import Platform

router = APIRouter(prefix="/v1/evals", tags=["evals"], route_class=JSONRoute)

M = TypeVar("M", bound=BaseModel)
_TAGS = {
    "string_check",
    "text_similarity",
    "score_model",
    "label_model",
    "json_schema",
    "tool_call",
    "latency",
    "cost",
    "groundedness",
    "content_safety",
    "python",
    "multi",
    "endpoint",
    "file_content",
    "file_id",
    "stored_completions",
    "responses",
    "jsonl",
    "completions",
    "template",
    "item_reference",
    "input_text",
    "output_text",
    "custom",
}
Limit = Annotated[int, Query(ge=1, le=100)]
After = Annotated[str | None, Query(max_length=64)]
Order = Annotated[Literal["asc", "desc"], Query()]


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class EvalObject(_Loose):
    """An eval."""

    id: str
    object: Literal["eval"]
    name: str
    created_at: int
    data_source_config: dict[str, Any]
    testing_criteria: list[dict[str, Any]]


class EvalList(_Loose):
    """A page of evals."""

    object: Literal["list"]
    data: list[EvalObject]
    has_more: bool


class EvalDeleted(_Loose):
    """A deleted eval."""

    object: str
    deleted: bool
    eval_id: str


class RunObject(_Loose):
    """A run of an eval."""

    id: str
    object: Literal["eval.run"]
    eval_id: str
    status: str
    model: str
    name: str
    created_at: int
    data_source: dict[str, Any]
    result_counts: dict[str, int]
    per_model_usage: list[dict[str, Any]]
    per_testing_criteria_results: list[dict[str, Any]]


class RunList(_Loose):
    """A page of runs."""

    object: Literal["list"]
    data: list[RunObject]
    has_more: bool


class RunDeleted(_Loose):
    """A deleted run."""

    object: str
    deleted: bool
    run_id: str


class OutputItem(_Loose):
    """One graded item of a run."""

    id: str
    object: Literal["eval.run.output_item"]
    run_id: str
    eval_id: str
    status: str
    datasource_item_id: int
    datasource_item: dict[str, Any]
    results: list[dict[str, Any]]
    sample: dict[str, Any]


class OutputItemList(_Loose):
    """A page of output items."""

    object: Literal["list"]
    data: list[OutputItem]
    has_more: bool


async def read(request: Request, model: type[M]) -> M:
    """The JSON body, validated (every failure a 400 naming the field)."""
    await require_json(request)
    raw = await request.body()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequestError(f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidRequestError("the request body must be a JSON object")
    refuse_nul(raw, data)
    return parse(model, data)


def parse(model: type[M], raw: dict[str, Any]) -> M:
    """Validate a body; the first error is a 400 naming the field as `a.b[0].c`."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ""
        for step in first.get("loc", ()):
            if isinstance(step, int):
                param += f"[{step}]"
            elif step not in _TAGS and not str(step).startswith(("function-", "list[", "str")):
                param += f".{step}" if param else str(step)
        message = first.get("msg", "invalid value")
        code = "unsupported_parameter" if first.get("type") == "extra_forbidden" else None
        if code:
            message = f"Unrecognized request argument supplied: {param}"
        raise InvalidRequestError(
            f"{param or 'body'}: {message}"[:500], param=param or None, code=code
        ) from exc


def service(platform: Platform) -> EvalsService:
    """The evals product's service on this server."""
    from tandem.apps.evals.product import EvalsProduct

    return platform.product("evals", EvalsProduct).service


@router.post(
    "",
    responses={200: {"model": EvalObject}, **errors(400)},
    openapi_extra=json_body(s.EvalCreate),
)
async def create_eval(request: Request, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Create an eval: the item schema and the testing criteria its runs are graded by."""
    body = await read(request, s.EvalCreate)
    return JSONBytes(await service(platform).create_eval(principal, body))


@router.get("", responses={200: {"model": EvalList}})
async def list_evals(
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    after: After = None,
    order: Order = "asc",
    order_by: Annotated[Literal["created_at", "updated_at"], Query()] = "created_at",
) -> Response:
    """Your tenant's evals."""
    data = await service(platform).list_evals(principal.tenant, limit, after, order, order_by)
    return JSONBytes(data)


@router.get("/{eval_id}", responses={200: {"model": EvalObject}})
async def get_eval(eval_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One eval."""
    return JSONBytes(await service(platform).get_eval(principal.tenant, eval_id))


@router.post(
    "/{eval_id}",
    responses={200: {"model": EvalObject}, **errors(400)},
    openapi_extra=json_body(s.EvalUpdate),
)
async def update_eval(
    eval_id: str, request: Request, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Rename an eval or replace its metadata."""
    body = await read(request, s.EvalUpdate)
    return JSONBytes(await service(platform).update_eval(principal.tenant, eval_id, body))


@router.delete("/{eval_id}", responses={200: {"model": EvalDeleted}})
async def delete_eval(eval_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Delete an eval with its runs."""
    return JSONBytes(await service(platform).delete_eval(principal.tenant, eval_id))


@router.post(
    "/{eval_id}/runs",
    responses={200: {"model": RunObject}, **errors(400, 413)},
    openapi_extra=json_body(s.RunCreate),
)
async def create_run(
    eval_id: str, request: Request, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Start a run over a data source; it runs in the background (poll it)."""
    body = await read(request, s.RunCreate)
    return JSONBytes(await service(platform).create_run(principal, eval_id, body))


@router.get("/{eval_id}/runs", responses={200: {"model": RunList}})
async def list_runs(
    eval_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    after: After = None,
    order: Order = "asc",
    status: Annotated[
        Literal["queued", "in_progress", "completed", "canceled", "failed"] | None, Query()
    ] = None,
) -> Response:
    """An eval's runs."""
    data = await service(platform).list_runs(principal.tenant, eval_id, limit, after, order, status)
    return JSONBytes(data)


@router.get("/{eval_id}/runs/{run_id}", responses={200: {"model": RunObject}})
async def get_run(
    eval_id: str, run_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """A run with its counts so far."""
    return JSONBytes(await service(platform).get_run(principal.tenant, eval_id, run_id))


@router.post("/{eval_id}/runs/{run_id}/cancel", responses={200: {"model": RunObject}})
async def cancel_run(
    eval_id: str, run_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Cancel a run; the items graded so far stay."""
    return JSONBytes(await service(platform).cancel_run(principal.tenant, eval_id, run_id))


@router.delete("/{eval_id}/runs/{run_id}", responses={200: {"model": RunDeleted}})
async def delete_run(
    eval_id: str, run_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delete a run and its output items."""
    return JSONBytes(await service(platform).delete_run(principal.tenant, eval_id, run_id))


@router.get("/{eval_id}/runs/{run_id}/output_items", responses={200: {"model": OutputItemList}})
async def list_output_items(
    eval_id: str,
    run_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    after: After = None,
    order: Order = "asc",
    status: Annotated[Literal["pass", "fail"] | None, Query()] = None,
) -> Response:
    """A run's graded items, in data source order."""
    data = await service(platform).list_items(
        principal.tenant, eval_id, run_id, limit, after, order, status
    )
    return JSONBytes(data)


@router.get(
    "/{eval_id}/runs/{run_id}/output_items/{output_item_id}",
    responses={200: {"model": OutputItem}},
)
async def get_output_item(
    eval_id: str,
    run_id: str,
    output_item_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> Response:
    """One graded item."""
    data = await service(platform).get_item(principal.tenant, eval_id, run_id, output_item_id)
    return JSONBytes(data)
