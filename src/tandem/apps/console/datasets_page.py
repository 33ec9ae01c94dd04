"""The Datasets workspace of the console: the tenant's datasets, an upload (data files and an
optional data dictionary or semantic model) with a progress bar, a dataset's tables with
their profile and its semantic model, and questions answered with the SQL, a table and a
chart (or a question asked back). The same analyst service as `/v1/analyst` answers."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tandem.apps.analyst.datasets import MAX_FILE_BYTES, SUFFIXES
from tandem.apps.analyst.product import AnalystProduct
from tandem.apps.analyst.uploads import read_dictionary, save_upload, suffix_of
from tandem.apps.console.pages import (
    Visit,
    call_context,
    field_of,
    installed,
    posted,
    refused,
    render_page,
    signed_in,
    upload_reply,
)
from tandem.errors import NotFoundError, TandemError
from tandem.governance.principal import Principal

router = APIRouter(include_in_schema=False)
MAX_FILES = 20
ROWS_SHOWN = 50
NOT_INSTALLED = "The data analyst is not installed on this server."


async def _signed_in(request: Request) -> tuple[Visit, Principal, AnalystProduct] | Response:
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me = found
    analyst = installed(visit, "analyst", AnalystProduct)
    if analyst is None:
        return refused(visit, NOT_INSTALLED)
    return visit, me, analyst


@router.get("/console/datasets")
async def datasets_page(request: Request) -> Response:
    """The tenant's datasets and the upload form."""
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me, analyst = found
    rows = await asyncio.to_thread(analyst.datasets.list, me.tenant)
    return render_page(
        visit,
        "datasets.html",
        rows=rows,
        suffixes=", ".join(sorted(SUFFIXES)),
        max_mib=MAX_FILE_BYTES // 2**20,
    )


@router.post("/console/datasets/upload")
async def upload(request: Request) -> Response:
    """Make a dataset from the files and its dictionary, when one is given (as
    `POST /v1/datasets` does: a dictionary that does not fit leaves nothing half-made)."""
    found = await posted(request)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    analyst = installed(visit, "analyst", AnalystProduct)
    if analyst is None:
        return refused(visit, NOT_INSTALLED)
    assert visit.session is not None
    uploads = [u for u in form.getlist("files")[:MAX_FILES] if isinstance(u, UploadFile)]
    uploads = [u for u in uploads if u.filename]
    if not uploads:
        visit.session.flash = "Choose at least one data file."
        return upload_reply(request, "/console/datasets")
    field = form.get("dictionary")
    try:
        dictionary = await read_dictionary(
            field if isinstance(field, str) or (field and field.filename) else None
        )
        with tempfile.TemporaryDirectory() as tmp:
            files = [
                (
                    u.filename or "upload",
                    await save_upload(u, Path(tmp) / f"{i}{suffix_of(u.filename)}"),
                )
                for i, u in enumerate(uploads)
            ]
            dataset = await asyncio.to_thread(
                analyst.datasets.create, me.tenant, field_of(form, "name"), files
            )
        note = ""
        if dictionary is not None:
            try:
                await asyncio.to_thread(
                    analyst.service.set_dictionary, me.tenant, dataset.id, *dictionary
                )
            except BaseException:
                await asyncio.to_thread(analyst.service.delete, me.tenant, dataset.id)
                raise
            note = f" Its semantic model was read from {dictionary[1]}."
    except TandemError as exc:
        visit.session.flash = exc.message
        return upload_reply(request, "/console/datasets")
    visit.session.flash = f"Dataset {dataset.name or dataset.id} created.{note}"
    return upload_reply(request, f"/console/datasets/{dataset.id}")


@router.get("/console/datasets/charts/{chart_id}.png")
async def chart(request: Request, chart_id: str) -> Response:
    """A chart the analyst drew for this tenant."""
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    _, me, analyst = found
    try:
        data = await asyncio.to_thread(analyst.service.chart, me.tenant, chart_id[:64])
    except (NotFoundError, OSError):
        return Response(status_code=404)
    return Response(data, media_type="image/png", headers={"cache-control": "private"})


@router.get("/console/datasets/{dataset_id}")
async def dataset_page(
    request: Request, dataset_id: str, q: str = "", conversation: str = ""
) -> Response:
    """Tables, profile and semantic model; with `q`, the question answered."""
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me, analyst = found
    dataset_id = dataset_id[:64]
    try:
        dataset = await asyncio.to_thread(analyst.datasets.get, me.tenant, dataset_id)
        model = await asyncio.to_thread(analyst.service.semantic_model, me.tenant, dataset_id)
    except NotFoundError:
        return render_page(visit, "not_found.html", 404, what="dataset", ident=dataset_id)
    question = q.strip()[:2000]
    answer = None
    error = None
    if question:
        ctx = call_context(me)
        try:
            answer = await analyst.service.ask(ctx, dataset_id, question, conversation[:64] or None)
        except TandemError as exc:
            error = exc.message
    return render_page(
        visit,
        "dataset.html",
        dataset=dataset,
        model_json=json.dumps(model.to_json(), indent=2, default=str),
        question=question,
        answer=answer,
        rows=(answer.result.rows[:ROWS_SHOWN] if answer else []),
        error=error,
    )
