"""Knowledge bases and their documents, and hybrid search over them."""

from __future__ import annotations

import asyncio
from contextlib import closing
from dataclasses import asdict

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tandem.errors import InvalidRequestError, PayloadTooLargeError
from tandem.http.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.http.openapi import errors, json_body, multipart_body
from tandem.http.responses import JSONBytes, parse_body, unless_disconnected
from tandem.knowledge.service import MAX_DOCUMENT_BYTES

router = APIRouter(prefix="/v1/knowledge-bases", tags=["knowledge"])


class CreateBody(BaseModel):
    """Body of POST /v1/knowledge-bases."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class SearchBody(BaseModel):
    """Body of POST /v1/knowledge-bases/{id}/search."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=4000)
    top_k: int = Field(default=5, ge=1, le=50)


def _view(kb_id: str, name: str) -> dict[str, object]:
    return {"id": kb_id, "object": "knowledge_base", "name": name}


@router.post("", status_code=201, responses=errors(400), openapi_extra=json_body(CreateBody))
async def create(request: Request, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """A new, empty knowledge base."""
    body = await parse_body(request, CreateBody)
    kb_id = await asyncio.to_thread(platform.knowledge.store.create, principal.tenant, body.name)
    return JSONBytes(_view(kb_id, body.name), status_code=201)


@router.get("")
def list_all(platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Your tenant's knowledge bases."""
    data = [_view(i, n) for i, n in platform.knowledge.store.list(principal.tenant)]
    return JSONBytes({"object": "list", "data": data})


@router.get("/{kb_id}")
def get(kb_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One knowledge base with its documents (a `def` handler: the index is read in a thread)."""
    with closing(platform.knowledge.store.open(principal.tenant, kb_id)) as kb:
        documents = [asdict(d) for d in kb.documents()]
        return JSONBytes({**_view(kb_id, kb.name), "documents": documents})


@router.delete("/{kb_id}")
def delete(kb_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Delete a knowledge base."""
    platform.knowledge.store.delete(principal.tenant, kb_id)
    return JSONBytes({"id": kb_id, "object": "knowledge_base", "deleted": True})


@router.post("/{kb_id}/documents", responses=errors(413), openapi_extra=multipart_body())
async def add_documents(
    kb_id: str, request: Request, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Add documents (multipart `files`): per file added, replaced, unchanged or failed.
    The work stops when the client leaves (nobody would see its result)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidRequestError("upload files as multipart/form-data", param="files")
    files: list[tuple[str, bytes]] = []
    async with request.form(max_files=100, max_fields=10) as form:
        for upload in form.getlist("files") + form.getlist("file"):
            if isinstance(upload, UploadFile):
                data = await upload.read(MAX_DOCUMENT_BYTES + 1)
                if len(data) > MAX_DOCUMENT_BYTES:
                    raise PayloadTooLargeError(f"{upload.filename}: larger than 20 MiB")
                files.append((upload.filename or "document.txt", data))
    if not files:
        raise InvalidRequestError("upload at least one file", param="files")
    results = await unless_disconnected(request, platform.knowledge.ingest(ctx, kb_id, files))
    return JSONBytes({"object": "list", "data": [asdict(r) for r in results]})


@router.delete("/{kb_id}/documents/{document_id}")
def delete_document(
    kb_id: str, document_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Remove a document and its chunks."""
    with closing(platform.knowledge.store.open(principal.tenant, kb_id)) as kb:
        kb.delete(document_id)
    return JSONBytes({"id": document_id, "object": "document", "deleted": True})


@router.post("/{kb_id}/search", openapi_extra=json_body(SearchBody))
async def search(
    kb_id: str, request: Request, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Chunks ranked by BM25 and vector similarity, fused."""
    body = await parse_body(request, SearchBody)
    hits = await platform.knowledge.search(ctx, kb_id, body.query, body.top_k)
    return JSONBytes({"object": "list", "data": [asdict(h) for h in hits]})
