"""Product workspaces of the console: knowledge bases (create, upload with progress, the
documents, a search box) and the support widget's keys (create with the snippet to copy,
revoke). The tenant is the signed-in key's; uploads and searches go through the same
knowledge service (and gateway, for embeddings) as the API."""

from __future__ import annotations

import asyncio
from contextlib import closing

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

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
from tandem.apps.support.product import SupportProduct
from tandem.errors import NotFoundError, TandemError
from tandem.knowledge.service import MAX_DOCUMENT_BYTES
from tandem.knowledge.store import Document

router = APIRouter(include_in_schema=False)
MAX_FILES = 20


@router.get("/console/knowledge")
async def knowledge_page(request: Request) -> Response:
    """The tenant's knowledge bases, and a form to make one."""
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me = found
    store = visit.console.platform.knowledge.store
    bases = await asyncio.to_thread(store.list, me.tenant)
    return render_page(visit, "knowledge.html", bases=bases)


@router.post("/console/knowledge")
async def create_base(request: Request) -> Response:
    """A new, empty knowledge base."""
    found = await posted(request)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    name = field_of(form, "name")[:200]
    assert visit.session is not None
    if not name:
        visit.session.flash = "Name the knowledge base."
        return RedirectResponse("/console/knowledge", status_code=303)
    store = visit.console.platform.knowledge.store
    kb_id = await asyncio.to_thread(store.create, me.tenant, name)
    visit.session.flash = f"Knowledge base {name} created."
    return RedirectResponse(f"/console/knowledge/{kb_id}", status_code=303)


def _documents(visit: Visit, tenant: str, kb_id: str) -> tuple[str, list[Document]]:
    with closing(visit.console.platform.knowledge.store.open(tenant, kb_id)) as kb:
        return kb.name, kb.documents()


@router.get("/console/knowledge/{kb_id}")
async def base_page(request: Request, kb_id: str, q: str = "") -> Response:
    """A knowledge base's documents, the upload form and a search box."""
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me = found
    try:
        name, documents = await asyncio.to_thread(_documents, visit, me.tenant, kb_id[:64])
    except NotFoundError:
        return render_page(visit, "not_found.html", 404, what="knowledge base", ident=kb_id[:40])
    hits = []
    error = None
    query = q.strip()[:4000]
    if query:
        try:
            hits = await visit.console.platform.knowledge.search(call_context(me), kb_id, query, 5)
        except TandemError as exc:
            error = exc.message
    return render_page(
        visit,
        "knowledge_base.html",
        kb_id=kb_id,
        kb_name=name,
        documents=documents,
        query=query,
        hits=hits,
        error=error,
        max_mib=MAX_DOCUMENT_BYTES // (1024 * 1024),
    )


@router.post("/console/knowledge/{kb_id}/upload")
async def upload(request: Request, kb_id: str) -> Response:
    """Add documents; the page says what happened to each file."""
    found = await posted(request)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    assert visit.session is not None
    back = upload_reply(request, f"/console/knowledge/{kb_id[:64]}")
    files: list[tuple[str, bytes]] = []
    for upload_file in form.getlist("files")[:MAX_FILES]:
        if isinstance(upload_file, UploadFile) and upload_file.filename:
            data = await upload_file.read(MAX_DOCUMENT_BYTES + 1)
            if len(data) > MAX_DOCUMENT_BYTES:
                visit.session.flash = f"{upload_file.filename} is larger than the limit."
                return back
            files.append((upload_file.filename, data))
    if not files:
        visit.session.flash = "Choose at least one file."
        return back
    try:
        results = await visit.console.platform.knowledge.ingest(call_context(me), kb_id[:64], files)
    except TandemError as exc:
        visit.session.flash = exc.message
        return back
    visit.session.flash = "; ".join(
        f"{r.name}: {r.status}"
        + (f" ({r.chunks} chunks)" if r.chunks else "")
        + (f", {r.error}" if r.error else "")
        for r in results
    )
    return back


# -- the support widget's keys -----------------------------------------------------------------


@router.get("/console/widget")
async def widget_page(request: Request) -> Response:
    """The tenant's widget keys and a form to make one."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    support = installed(visit, "support", SupportProduct)
    if support is None:
        return refused(visit, "The support product is not installed on this server.")
    rows = await asyncio.to_thread(support.service.widget_keys.list, me.tenant)
    bases = await asyncio.to_thread(visit.console.platform.knowledge.store.list, me.tenant)
    return render_page(
        visit, "widget.html", rows=rows, bases=bases, issued=None, origin=_origin(request)
    )


def _origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


@router.post("/console/widget")
async def create_widget_key(request: Request) -> Response:
    """A publishable key for a knowledge base and its allowed origins; the key and the
    snippet are shown once."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    support = installed(visit, "support", SupportProduct)
    if support is None:
        return refused(visit, "The support product is not installed on this server.")
    assert visit.session is not None
    origins = [o.strip() for o in field_of(form, "origins").replace(",", " ").split() if o]
    kb_id = field_of(form, "knowledge_base")
    try:
        await asyncio.to_thread(visit.console.platform.knowledge.store.require, me.tenant, kb_id)
        row, secret = await asyncio.to_thread(
            support.service.widget_keys.create, me, kb_id, origins, field_of(form, "name")
        )
    except TandemError as exc:
        visit.session.flash = exc.message
        return RedirectResponse("/console/widget", status_code=303)
    rows = await asyncio.to_thread(support.service.widget_keys.list, me.tenant)
    bases = await asyncio.to_thread(visit.console.platform.knowledge.store.list, me.tenant)
    return render_page(
        visit,
        "widget.html",
        rows=rows,
        bases=bases,
        issued={"id": row.id, "secret": secret},
        origin=_origin(request),
    )


@router.post("/console/widget/{key_id}/revoke")
async def revoke_widget_key(request: Request, key_id: str) -> Response:
    """Stop a widget key from working."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, _ = found
    support = installed(visit, "support", SupportProduct)
    if support is None:
        return refused(visit, "The support product is not installed on this server.")
    assert visit.session is not None
    try:
        await asyncio.to_thread(support.service.widget_keys.revoke, me, key_id[:64])
        visit.session.flash = "Widget key revoked."
    except TandemError as exc:
        visit.session.flash = exc.message
    return RedirectResponse("/console/widget", status_code=303)
