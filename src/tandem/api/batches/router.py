"""Routes of /v1/batches."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from tandem.http.bodies import JSONRoute
from tandem.http.deps import PlatformDep, PrincipalDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes

router = APIRouter(prefix="/v1/batches", tags=["batches"], route_class=JSONRoute)


class ExpiresAfter(BaseModel):
    """When the output files expire."""

    model_config = ConfigDict(extra="forbid")

    anchor: Literal["created_at"]
    seconds: int = Field(ge=3600, le=30 * 24 * 3600)


class BatchCreate(BaseModel):
    """Body of POST /v1/batches."""

    model_config = ConfigDict(extra="forbid")

    input_file_id: str = Field(min_length=1, max_length=64)
    endpoint: str = Field(min_length=1, max_length=64)
    completion_window: str = "24h"
    metadata: dict[str, str] | None = Field(default=None, max_length=16)
    output_expires_after: ExpiresAfter | None = None


class RequestCounts(BaseModel):
    """How many requests the batch holds, and how many are done."""

    total: int
    completed: int
    failed: int


class BatchObject(BaseModel):
    """A batch."""

    model_config = ConfigDict(extra="allow")

    id: str
    object: Literal["batch"]
    endpoint: str
    input_file_id: str
    completion_window: str
    status: str
    output_file_id: str | None
    error_file_id: str | None
    created_at: int
    request_counts: RequestCounts
    metadata: dict[str, Any]


class BatchList(BaseModel):
    """A page of batches."""

    model_config = ConfigDict(extra="allow")

    object: Literal["list"]
    data: list[BatchObject]
    has_more: bool


@router.post("", responses={200: {"model": BatchObject}, **errors(400)})
async def create_batch(
    body: BatchCreate, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """A batch over a JSONL file of purpose `batch`; it starts at once."""
    batch = await platform.hosted.batches.create(
        principal, body.input_file_id, body.endpoint, body.completion_window, body.metadata
    )
    return JSONBytes(batch)


@router.get("", responses={200: {"model": BatchList}})
async def list_batches(
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Your tenant's batches, newest first."""
    data, more = await platform.hosted.batches.page(principal.tenant, limit, after)
    return JSONBytes(
        {
            "object": "list",
            "data": data,
            "has_more": more,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }
    )


@router.get("/{batch_id}", responses={200: {"model": BatchObject}})
async def get_batch(batch_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """A batch with its live request counts."""
    return JSONBytes(await platform.hosted.batches.view(principal.tenant, batch_id))


@router.post("/{batch_id}/cancel", responses={200: {"model": BatchObject}, **errors(400)})
async def cancel_batch(batch_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Cancel a batch: it is `cancelling` until the lines running end, then `cancelled`."""
    return JSONBytes(await platform.hosted.batches.cancel(principal.tenant, batch_id))
