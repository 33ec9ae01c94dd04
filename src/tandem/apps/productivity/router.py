"""/v1/productivity: summaries, decks, workbook insights, formulas, rewrites and drafts.

Each route takes JSON or a multipart upload (as declared in the spec), answers JSON or, with
`format`, the file itself; nothing sent is kept after the response.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tandem.apps.productivity import forms
from tandem.apps.productivity.product import ProductivityProduct
from tandem.apps.productivity.schemas import (
    DOCX,
    PPTX,
    XLSX,
    DraftBody,
    DraftOut,
    FormulaBody,
    FormulaOut,
    InsightsOut,
    PresentationBody,
    PresentationOut,
    RewriteBody,
    RewriteOut,
    SummarizeBody,
    SummaryOut,
    file_response,
)
from tandem.apps.productivity.service import ProductivityService, Result
from tandem.errors import InvalidRequestError, NotFoundError
from tandem.http.deps import CallContextDep, PlatformDep
from tandem.http.openapi import errors, json_body
from tandem.http.responses import JSONBytes
from tandem.platform import Platform

router = APIRouter(prefix="/v1/productivity", tags=["productivity"])
_METHOD = {"type": "string", "enum": ["auto", "model", "extractive"], "default": "auto"}
_LENGTH = {"type": "string", "enum": ["short", "medium", "long"], "default": "medium"}
_SLIDES = {"type": "integer", "minimum": 2, "maximum": 40, "default": 12}


def _service(platform: Platform) -> ProductivityService:
    return platform.product("productivity", ProductivityProduct).service


def _reply(result: Result, ctx: Any, media: str | None, filename: str) -> Response:
    headers = {**ctx.headers, "x-tandem-timings": result.timings.header()}
    if result.timings.skipped:
        headers["x-tandem-model-skipped"] = result.timings.skipped
    if media is not None and result.file is not None:
        headers["content-disposition"] = f'attachment; filename="{filename}"'
        return Response(result.file, media_type=media, headers=headers)
    return JSONBytes(result.body, headers=headers)


def _stem(name: str) -> str:
    # ASCII only: header values are latin-1, and a quote would end the filename.
    stem = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in Path(name).stem
    )
    return stem[:80] or "document"


@router.post(
    "/summarize",
    responses={**file_response(SummaryOut, DOCX, "The summary (JSON or .docx)."), **errors(413)},
    openapi_extra=forms.either_body(
        SummarizeBody, {"file": True}, {"length": _LENGTH, "method": _METHOD}
    ),
)
async def summarize(
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    format: Annotated[Literal["json", "docx"], Query(description="docx: a Word document")] = "json",
) -> Response:
    """Summarise a document (.docx .pdf .pptx .md .txt .html) or text: summary, key points and
    one summary per section, figures kept exactly."""
    service = _service(platform)
    if forms.is_multipart(request):
        upload = await forms.read_upload(request, service.settings.max_file_bytes)
        sent = upload.file("file")
        if sent is None:
            raise InvalidRequestError("upload the document as multipart `file`", param="file")
        body = forms.form_model(upload, SummarizeBody, ("length", "method"), text="-")
        document, took = await service.document(sent[0], sent[1], None)
    else:
        body = await forms.json_model(request, SummarizeBody)
        document, took = await service.document(None, None, body.text)
    result = await service.summarize(ctx, document, body.length, body.method, format == "docx")
    result.timings.extract_s = took
    return _reply(
        result, ctx, DOCX if format == "docx" else None, f"{_stem(document.name)}-summary.docx"
    )


@router.post(
    "/presentation",
    responses={
        **file_response(PresentationOut, PPTX, "The deck (.pptx, or its outline as JSON)."),
        **errors(413),
    },
    openapi_extra=forms.either_body(
        PresentationBody, {"file": True, "template": False}, {"slides": _SLIDES, "method": _METHOD}
    ),
)
async def presentation(
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    format: Annotated[Literal["pptx", "json"], Query(description="json: the outline")] = "pptx",
) -> Response:
    """A .pptx from a document: a title slide, one slide per section (heading as title,
    bullets, speaker notes with the detail), native charts for tables of numbers."""
    service = _service(platform)
    template = None
    if forms.is_multipart(request):
        upload = await forms.read_upload(request, service.settings.max_file_bytes)
        sent = upload.file("file")
        if sent is None:
            raise InvalidRequestError("upload the document as multipart `file`", param="file")
        body = forms.form_model(upload, PresentationBody, ("slides", "method"), text="-")
        given = upload.file("template")
        template = given[1] if given else None
        if given and Path(given[0]).suffix.lower() not in (".pptx", ".potx"):
            raise InvalidRequestError(f"{given[0]}: the template must be a .pptx", param="template")
        document, took = await service.document(sent[0], sent[1], None)
    else:
        body = await forms.json_model(request, PresentationBody)
        document, took = await service.document(None, None, body.text)
    slides = min(body.slides, service.settings.max_slides)
    result = await service.presentation(ctx, document, slides, template, body.method)
    result.timings.extract_s = took
    return _reply(result, ctx, PPTX if format == "pptx" else None, f"{_stem(document.name)}.pptx")


@router.post(
    "/spreadsheet/insights",
    responses={
        **file_response(
            InsightsOut, XLSX, "The insights (JSON, or the workbook with an Insights sheet)."
        ),
        **errors(413),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": forms.multipart_schema({"file": True}, {})}
            },
        }
    },
)
async def insights(
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    format: Annotated[
        Literal["json", "xlsx"], Query(description="xlsx: the workbook back")
    ] = "json",
) -> Response:
    """Totals, leaders, trends and outliers of a .xlsx or .csv, computed by the analyst's
    sandboxed SQL engine and stated with their numbers."""
    service = _service(platform)
    if not forms.is_multipart(request):
        raise InvalidRequestError("upload the workbook as multipart `file`", param="file")
    upload = await forms.read_upload(request, service.settings.max_file_bytes)
    sent = upload.file("file")
    if sent is None:
        raise InvalidRequestError("upload the workbook as multipart `file`", param="file")
    forms.form_model(upload, SummarizeBody, (), text="-")  # refuses unknown fields
    result = await service.insights(ctx, sent[0], sent[1], format == "xlsx")
    return _reply(
        result, ctx, XLSX if format == "xlsx" else None, f"{_stem(sent[0])}-insights.xlsx"
    )


@router.post(
    "/spreadsheet/formula",
    responses={200: {"model": FormulaOut}},
    openapi_extra=json_body(FormulaBody),
)
async def formula(request: Request, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """An Excel formula from a description and the sheet's headers, checked by evaluating it
    on the sample rows."""
    body = await forms.json_model(request, FormulaBody)
    rows = [["" if v is None else v for v in row] for row in body.sample_rows]
    result = await _service(platform).formula(
        ctx, body.description, body.headers, rows, body.method
    )
    return _reply(result, ctx, None, "")


@router.post(
    "/rewrite", responses={200: {"model": RewriteOut}}, openapi_extra=json_body(RewriteBody)
)
async def rewrite(request: Request, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Text rewritten in a tone (formal, friendly, concise) and length."""
    body = await forms.json_model(request, RewriteBody)
    result = await _service(platform).rewrite(ctx, body.text, body.tone, body.length, body.method)
    return _reply(result, ctx, None, "")


@router.post(
    "/draft",
    responses={**file_response(DraftOut, DOCX, "The draft (.docx, or JSON)."), **errors(404, 413)},
    openapi_extra=forms.either_body(
        DraftBody,
        {"files": False},
        {"instructions": {"type": "string", "minLength": 1, "maxLength": 4000}, "method": _METHOD},
    ),
)
async def draft(
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    format: Annotated[
        Literal["docx", "json"], Query(description="json: the draft as JSON")
    ] = "docx",
) -> Response:
    """A Word document drafted from instructions and reference documents (multipart `files`,
    or `file_ids` of files uploaded through /v1/files)."""
    service = _service(platform)
    if forms.is_multipart(request):
        upload = await forms.read_upload(request, service.settings.max_file_bytes)
        body = forms.form_model(upload, DraftBody, ("instructions", "method"))
        references = upload.files.get("files", [])
    else:
        body = await forms.json_model(request, DraftBody)
        references = [await _stored_file(platform, ctx, file_id) for file_id in body.file_ids]
    result = await service.draft(ctx, body.instructions, references, body.method, format == "docx")
    return _reply(
        result, ctx, DOCX if format == "docx" else None, f"{_stem(result.body['title'])}.docx"
    )


async def _stored_file(platform: Any, ctx: Any, file_id: str) -> tuple[str, bytes]:
    """A file of the Files API, where this server has one."""
    store = getattr(getattr(platform, "hosted", None), "files", None)
    if store is None or not hasattr(store, "content"):
        raise InvalidRequestError(
            "file_ids needs the Files API (/v1/files), which this server does not have; upload "
            "the reference documents as multipart `files`",
            param="file_ids",
        )
    try:
        row, data = await store.content(ctx.principal.tenant, file_id)
    except NotFoundError as exc:
        raise NotFoundError(f"no file '{file_id}'", param="file_ids") from exc
    return str(row.filename), bytes(data)
