"""Datasets (upload, list, profile, delete) and sandboxed SQL over them."""

from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tandem.apps.analyst.product import AnalystProduct
from tandem.apps.analyst.uploads import (
    MAX_DICTIONARY_BYTES,
    read_dictionary,
    save_upload,
    suffix_of,
)
from tandem.errors import InvalidRequestError, PayloadTooLargeError
from tandem.http.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.http.openapi import errors, json_body, multipart_body
from tandem.http.responses import JSONBytes, parse_body
from tandem.platform import Platform

router = APIRouter(prefix="/v1/datasets", tags=["analyst"])


def _analyst(platform: Platform) -> AnalystProduct:
    return platform.product("analyst", AnalystProduct)


class QueryBody(BaseModel):
    """Body of POST /v1/datasets/{id}/query."""

    model_config = ConfigDict(extra="forbid")

    sql: str = Field(min_length=1, max_length=20_000)
    max_rows: int = Field(default=1000, ge=1, le=10_000)


@router.post(
    "",
    status_code=201,
    responses=errors(400, 413),
    openapi_extra=multipart_body(fields={"name": {"type": "string"}}),
)
async def upload(request: Request, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Create a dataset from multipart files (several files become several tables)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidRequestError("upload files as multipart/form-data", param="files")
    async with request.form(max_files=50, max_fields=20) as form:
        uploads = [
            f for f in form.getlist("files") + form.getlist("file") if isinstance(f, UploadFile)
        ]
        name = form.get("name")
        dictionary = await read_dictionary(form.get("dictionary"))
        with tempfile.TemporaryDirectory() as tmp:
            # The temporary file keeps the upload's suffix: openpyxl refuses a workbook
            # whose name does not end in .xlsx.
            files = [
                (
                    u.filename or "upload",
                    await save_upload(u, Path(tmp) / f"{i}{suffix_of(u.filename)}"),
                )
                for i, u in enumerate(uploads)
            ]
            dataset = await asyncio.to_thread(
                _analyst(platform).datasets.create,
                principal.tenant,
                name if isinstance(name, str) else "",
                files,
            )
    body = dataset.to_json()
    if dictionary is not None:
        try:
            model = await asyncio.to_thread(
                _analyst(platform).service.set_dictionary, principal.tenant, dataset.id, *dictionary
            )
        except BaseException:
            _analyst(platform).service.delete(
                principal.tenant, dataset.id
            )  # nothing half-made is kept
            raise
    else:
        model = _analyst(platform).service.semantic_model(principal.tenant, dataset.id)
    body["semantic_model"] = model.to_json()
    return JSONBytes(body, status_code=201)


@router.get("")
async def list_datasets(platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Your tenant's datasets."""
    found = await asyncio.to_thread(_analyst(platform).datasets.list, principal.tenant)
    data = [d.to_json() for d in found]
    return JSONBytes({"object": "list", "data": data})


@router.get("/{dataset_id}")
async def get_dataset(dataset_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One dataset with the schema and profile of its tables, and its semantic model."""
    found = await asyncio.to_thread(_analyst(platform).datasets.get, principal.tenant, dataset_id)
    body = found.to_json()
    model = await asyncio.to_thread(
        _analyst(platform).service.semantic_model, principal.tenant, dataset_id
    )
    body["semantic_model"] = model.to_json()
    return JSONBytes(body)


@router.get("/{dataset_id}/semantic-model")
async def get_semantic_model(
    dataset_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """The dataset's semantic model (proposed until one is given)."""
    model = await asyncio.to_thread(
        _analyst(platform).service.semantic_model, principal.tenant, dataset_id
    )
    return JSONBytes({"object": "semantic_model", "dataset": dataset_id, **model.to_json()})


@router.put("/{dataset_id}/semantic-model")
async def put_semantic_model(
    dataset_id: str, request: Request, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Replace the model: JSON (the shape GET returns), YAML, or a Markdown dictionary."""
    kind = request.headers.get("content-type", "")
    raw = await request.body()
    if len(raw) > MAX_DICTIONARY_BYTES:
        raise PayloadTooLargeError(
            f"semantic model: larger than {MAX_DICTIONARY_BYTES // 1024} KiB"
        )
    text = raw.decode("utf-8", errors="replace")
    if kind.startswith("application/json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidRequestError("the body is not JSON", param="semantic_model") from exc
        if not isinstance(data, dict):
            raise InvalidRequestError("the model must be an object", param="semantic_model")
        data.pop("object", None)
        data.pop("dataset", None)
        model = await asyncio.to_thread(
            _analyst(platform).service.set_model, principal.tenant, dataset_id, data
        )
    else:
        name = "model.yaml" if "yaml" in kind else "dictionary.md"
        model = await asyncio.to_thread(
            _analyst(platform).service.set_dictionary, principal.tenant, dataset_id, text, name
        )
    return JSONBytes({"object": "semantic_model", "dataset": dataset_id, **model.to_json()})


@router.delete("/{dataset_id}")
async def delete_dataset(
    dataset_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delete a dataset and its files."""
    await asyncio.to_thread(_analyst(platform).service.delete, principal.tenant, dataset_id)
    return JSONBytes({"id": dataset_id, "object": "dataset", "deleted": True})


@router.post("/{dataset_id}/query", openapi_extra=json_body(QueryBody))
async def query(
    dataset_id: str, request: Request, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Run one read-only SELECT in the sandbox; rows are capped, the total is counted."""
    body = await parse_body(request, QueryBody)
    result = await _analyst(platform).service.query(
        principal.tenant, dataset_id, body.sql, body.max_rows
    )
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
    as_of: date | None = Field(
        default=None, description="'today' for relative periods (default: the data's last day)"
    )


ask_router = APIRouter(prefix="/v1/analyst", tags=["analyst"])


@ask_router.post("/ask", responses=errors(400, 413), openapi_extra=json_body(AskBody))
async def ask(request: Request, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Answer a question about a dataset: SQL, capped rows with the total, a chart."""
    body = await parse_body(request, AskBody)
    answer = await _analyst(platform).service.ask(
        ctx, body.dataset, body.question, body.conversation_id, body.method, body.as_of
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
            "interpretation": answer.interpretation,
            "clarification": answer.clarification,
            "method": answer.method,
        },
        headers=ctx.headers,
    )


@ask_router.get("/charts/{chart_id}.png")
async def chart(chart_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """A rendered chart (your tenant's only)."""
    data = await asyncio.to_thread(_analyst(platform).service.chart, principal.tenant, chart_id)
    return Response(data, media_type="image/png")
