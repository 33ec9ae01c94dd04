"""Routes of /v1/files: upload (multipart `file` + `purpose`), list, read, delete."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tandem.errors import InvalidRequestError, PayloadTooLargeError
from tandem.http.bodies import JSONRoute
from tandem.http.deps import PlatformDep, PrincipalDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes
from tandem.stateful.files import PURPOSES, file_object

router = APIRouter(prefix="/v1/files", tags=["files"], route_class=JSONRoute)

CHUNK = 1024 * 1024
MAX_EXPIRY_S = 30 * 24 * 3600


class FileObject(BaseModel):
    """A stored file."""

    model_config = ConfigDict(extra="allow")

    id: str
    object: Literal["file"]
    bytes: int
    created_at: int
    filename: str
    purpose: str
    status: str


class FileList(BaseModel):
    """A page of files."""

    model_config = ConfigDict(extra="allow")

    object: Literal["list"]
    data: list[FileObject]
    has_more: bool


class FileDeleted(BaseModel):
    """A deleted file."""

    id: str
    object: Literal["file"]
    deleted: bool


_UPLOAD: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "purpose": {"type": "string", "enum": list(PURPOSES)},
                        "expires_after[anchor]": {"type": "string", "enum": ["created_at"]},
                        "expires_after[seconds]": {"type": "integer"},
                    },
                    "required": ["file", "purpose"],
                }
            }
        },
    }
}


@router.post("", responses={200: {"model": FileObject}, **errors(400, 413)}, openapi_extra=_UPLOAD)
async def upload(request: Request, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Store a file for batches (`batch`), vector stores (`assistants`, `user_data`) or
    Responses input (`user_data`)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidRequestError("upload the file as multipart/form-data", param="file")
    store = platform.hosted.files
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        purpose = form.get("purpose")
        if not isinstance(upload, UploadFile):
            raise InvalidRequestError("a file is required", param="file")
        if not isinstance(purpose, str) or not purpose:
            raise InvalidRequestError("purpose is required", param="purpose")
        expires = _expiry(form.get("expires_after[anchor]"), form.get("expires_after[seconds]"))
        data = await _read(upload, store.max_bytes)
        row = await store.create(
            principal.tenant, upload.filename or "file", purpose, data, expires
        )
    return JSONBytes(file_object(row))


def _expiry(anchor: object, seconds: object) -> int | None:
    if anchor is None and seconds is None:
        return None
    if anchor != "created_at":
        raise InvalidRequestError(
            "expires_after[anchor] must be 'created_at'", param="expires_after.anchor"
        )
    try:
        value = int(str(seconds))
    except ValueError:
        value = -1
    if not 3600 <= value <= MAX_EXPIRY_S:
        raise InvalidRequestError(
            f"expires_after[seconds] is 3600 to {MAX_EXPIRY_S}", param="expires_after.seconds"
        )
    return value


async def _read(upload: UploadFile, limit: int) -> bytes:
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > limit:
            raise PayloadTooLargeError(f"files are at most {limit} bytes")
    return bytes(data)


@router.get("", responses={200: {"model": FileList}})
async def list_files(
    platform: PlatformDep,
    principal: PrincipalDep,
    purpose: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 10_000,
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Your tenant's files."""
    rows, more = await platform.hosted.files.page(principal.tenant, purpose, limit, order, after)
    data = [file_object(r) for r in rows]
    return JSONBytes(
        {
            "object": "list",
            "data": data,
            "has_more": more,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }
    )


@router.get("/{file_id}", responses={200: {"model": FileObject}})
async def get_file(file_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One file's record."""
    return JSONBytes(file_object(await platform.hosted.files.get(principal.tenant, file_id)))


@router.get(
    "/{file_id}/content",
    responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}},
)
async def file_content(file_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """A file's bytes."""
    row, data = await platform.hosted.files.content(principal.tenant, file_id)
    media = "application/jsonl" if row.filename.endswith(".jsonl") else "application/octet-stream"
    return Response(data, media_type=media)


@router.delete("/{file_id}", responses={200: {"model": FileDeleted}})
async def delete_file(file_id: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Delete a file."""
    await platform.hosted.files.delete(principal.tenant, file_id)
    return JSONBytes({"id": file_id, "object": "file", "deleted": True})
