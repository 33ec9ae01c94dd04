"""The Datasets workspace of the console: the tenant's datasets, an upload (data files and an
optional data dictionary or semantic model) with a progress bar, a dataset's tables with
their profile and its semantic model, and questions answered with the SQL, a table and a
chart (or a question asked back). The same analyst service as `/v1/analyst` answers."""

from __future__ import annotations

import asyncio
import json
import tempfile
import uuid
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, RedirectResponse, Response

from tandem.apps.analyst.datasets import MAX_FILE_BYTES, SUFFIXES
from tandem.apps.analyst.product import AnalystProduct
from tandem.apps.console.pages import (
    Visit,
    field_of,
    form_of,
    refused,
    render_page,
    signin_redirect,
    visit_of,
)
from tandem.errors import NotFoundError, PayloadTooLargeError, TandemError
from tandem.gateway.service import CallContext
from tandem.governance.principal import Principal

router = APIRouter(include_in_schema=False)
MAX_FILES = 20
MAX_DICTIONARY_BYTES = 512 * 1024
CHUNK = 1024 * 1024
ROWS_SHOWN = 50


async def _signed_in(request: Request) -> tuple[Visit, Principal, AnalystProduct] | Response:
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    try:
        analyst = visit.console.platform.product("analyst", AnalystProduct)
    except NotFoundError:
        return refused(visit, "The data analyst is not installed on this server.")
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


@router.post("/console/datasets/upload")
async def upload(request: Request) -> Response:
    """Make a dataset from the files (and read its dictionary, when one is given)."""
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me, analyst = found
    form = await form_of(request, visit)
    if isinstance(form, Response):
        return form
    assert visit.session is not None
    scripted = request.headers.get("x-console-upload") == "1"

    def answer(page: str) -> Response:
        return JSONResponse({"next": page}) if scripted else RedirectResponse(page, status_code=303)

    uploads = [u for u in form.getlist("files")[:MAX_FILES] if isinstance(u, UploadFile)]
    uploads = [u for u in uploads if u.filename]
    if not uploads:
        visit.session.flash = "Choose at least one data file."
        return answer("/console/datasets")
    dictionary = form.get("dictionary")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for i, u in enumerate(uploads):
                suffix = Path(u.filename or "").suffix.lower()
                target = Path(tmp) / f"{i}{suffix if suffix in SUFFIXES else ''}"
                files.append((u.filename or "upload", await _save(u, target)))
            dataset = await asyncio.to_thread(
                analyst.datasets.create, me.tenant, field_of(form, "name"), files
            )
        note = ""
        if isinstance(dictionary, UploadFile) and dictionary.filename:
            raw = await dictionary.read(MAX_DICTIONARY_BYTES + 1)
            if len(raw) > MAX_DICTIONARY_BYTES:
                note = " The dictionary was larger than 512 KiB and was not read."
            else:
                await asyncio.to_thread(
                    analyst.service.set_dictionary,
                    me.tenant,
                    dataset.id,
                    raw.decode("utf-8", errors="replace"),
                    dictionary.filename,
                )
                note = f" Its semantic model was read from {dictionary.filename}."
    except TandemError as exc:
        visit.session.flash = exc.message
        return answer("/console/datasets")
    visit.session.flash = f"Dataset {dataset.name or dataset.id} created.{note}"
    return answer(f"/console/datasets/{dataset.id}")


@router.get("/console/datasets/charts/{chart_id}.png")
async def chart(request: Request, chart_id: str) -> Response:
    """A chart the analyst drew for this tenant."""
    found = await _signed_in(request)
    if isinstance(found, Response):
        return found
    _, me, analyst = found
    try:
        path = await asyncio.to_thread(analyst.service.chart_path, me.tenant, chart_id[:64])
        data = await asyncio.to_thread(path.read_bytes)
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
        ctx = CallContext(principal=me, request_id=f"console-{uuid.uuid4().hex}")
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
