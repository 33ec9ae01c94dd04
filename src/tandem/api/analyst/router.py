"""Datasets (upload, list, profile, delete) and sandboxed SQL over them."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tandem.api.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.api.openapi import errors, json_body, multipart_body
from tandem.api.responses import JSONBytes, parse_body
from tandem.apps.analyst.datasets import MAX_FILE_BYTES, SUFFIXES
from tandem.errors import InvalidRequestError, PayloadTooLargeError

router = APIRouter(prefix="/v1/datasets", tags=["analyst"])
CHUNK = 1024 * 1024


class QueryBody(BaseModel):
    """Body of POST /v1/datasets/{id}/query."""

    model_config = ConfigDict(extra="forbid")

    sql: str = Field(min_length=1, max_length=20_000)
    max_rows: int = Field(default=1000, ge=1, le=10_000)


@router.post(
    "", status_code=201, responses=errors(400, 413),
    openapi_extra=multipart_body(fields={"name": {"type": "string"}}),
)  # fmt: skip
async def upload(request: Request, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Create a dataset from multipart files (several files become several tables)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidRequestError("upload files as multipart/form-data", param="files")
    async with request.form(max_files=50, max_fields=20) as form:
        uploads = [
            f for f in form.getlist("files") + form.getlist("file") if isinstance(f, UploadFile)
        ]
        name = form.get("name")
        with tempfile.TemporaryDirectory() as tmp:
            # The temporary file keeps the upload's suffix: openpyxl refuses a workbook
            # whose name does not end in .xlsx.
            files = [
                (u.filename or "upload", await _save(u, Path(tmp) / f"{i}{_suffix(u.filename)}"))
                for i, u in enumerate(uploads)
            ]
            dataset = await asyncio.to_thread(
                platform.datasets.create, principal.tenant,
                name if isinstance(name, str) else "", files,
            )  # fmt: skip
    return JSONBytes(dataset.to_json(), status_code=201)


def _suffix(filename: str | None) -> str:
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in SUFFIXES else ""


async def _save(upload: UploadFile, target: Path) -> Path:
    size = 0
    with target.open("wb") as handle:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise PayloadTooLargeError(
                    f"{upload.filename}: larger than {MAX_FILE_BYTES // 2**20} MiB"
                )
            handle.write(chunk)
    return target


@router.get("")
async def list_datasets(platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Your tenant's datasets."""
    data = [d.to_json() for d in platform.datasets.list(principal.tenant)]
    return JSONBytes({"object": "list", "data": data})


@router.get("/{dataset_id}")
async def get_dataset(dataset_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One dataset with the schema and profile of its tables."""
    return JSONBytes(platform.datasets.get(principal.tenant, dataset_id).to_json())


@router.delete("/{dataset_id}")
async def delete_dataset(
    dataset_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delete a dataset and its files."""
    platform.analyst.delete(principal.tenant, dataset_id)
    return JSONBytes({"id": dataset_id, "object": "dataset", "deleted": True})


@router.post("/{dataset_id}/query", openapi_extra=json_body(QueryBody))
async def query(
    dataset_id: str, request: Request, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Run one read-only SELECT in the sandbox; rows are capped, the total is counted."""
    body = await parse_body(request, QueryBody)
    result = await platform.analyst.query(principal.tenant, dataset_id, body.sql, body.max_rows)
    return JSONBytes(
        {
            "columns": result.columns,
            "types": result.types,
            "rows": result.rows,
            "total_rows": result.total_rows,
            "truncated": result.truncated,
        }
    )


class AskBody(BaseModel):
    """Body of POST /v1/analyst/ask."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    question: str = Field(min_length=1, max_length=2000)
    conversation_id: str | None = Field(default=None, max_length=64)
    method: Literal["auto", "planner", "model"] = "auto"


ask_router = APIRouter(prefix="/v1/analyst", tags=["analyst"])


@ask_router.post("/ask", responses=errors(400, 413), openapi_extra=json_body(AskBody))
async def ask(request: Request, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Answer a question about a dataset: SQL, capped rows with the total, a chart."""
    body = await parse_body(request, AskBody)
    answer = await platform.analyst.ask(
        ctx, body.dataset, body.question, body.conversation_id, body.method
    )
    result = answer.result
    chart = None
    if answer.chart is not None:
        chart = {
            "vega_lite": answer.chart,
            "image_url": f"/v1/analyst/charts/{answer.chart_id}.png",
        }
    return JSONBytes(
        {
            "object": "analyst.answer",
            "conversation_id": answer.conversation_id,
            "sql": answer.sql,
            "columns": result.columns,
            "rows": result.rows,
            "total_rows": result.total_rows,
            "truncated": result.truncated,
            "chart": chart,
            "explanation": answer.explanation,
            "method": answer.method,
        },
        headers=ctx.headers,
    )


@ask_router.get("/charts/{chart_id}.png")
async def chart(chart_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """A rendered chart (your tenant's only)."""
    path = platform.analyst.chart_path(principal.tenant, chart_id)
    return Response(path.read_bytes(), media_type="image/png")
