"""Reading the productivity routes' bodies: JSON, or multipart with files under a limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from tandem.errors import InvalidRequestError, PayloadTooLargeError
from tandem.http.openapi import JSONDict
from tandem.http.responses import parse_body, validation_error

M = TypeVar("M", bound=BaseModel)
CHUNK = 1024 * 1024


@dataclass
class Upload:
    """A multipart upload: its form fields and files (name, bytes) by field."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)

    def file(self, name: str) -> tuple[str, bytes] | None:
        """The first file under `name`."""
        found = self.files.get(name)
        return found[0] if found else None


def is_multipart(request: Request) -> bool:
    """Whether the body is multipart/form-data."""
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


async def read_upload(request: Request, max_bytes: int, max_files: int = 10) -> Upload:
    """The multipart body; each file read up to `max_bytes` (413 past it)."""
    upload = Upload()
    try:
        form_cm = request.form(max_files=max_files, max_fields=20)
        async with form_cm as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await _read(value, max_bytes)
                    upload.files.setdefault(key, []).append((value.filename or "upload", data))
                else:
                    upload.fields.setdefault(key, str(value))
    except (PayloadTooLargeError, InvalidRequestError):
        raise
    except Exception as exc:  # starlette's parser raises its own types for a malformed body
        raise InvalidRequestError(
            f"the multipart body cannot be read ({type(exc).__name__})", param="file"
        ) from exc
    return upload


async def _read(value: UploadFile, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := await value.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLargeError(
                f"{value.filename or 'file'}: larger than {max_bytes // 2**20} MiB"
            )
        parts.append(chunk)
    return b"".join(parts)


def form_model(upload: Upload, model: type[M], names: tuple[str, ...], **extra: Any) -> M:
    """The form fields in `names` validated by `model` (400 naming the field)."""
    unknown = set(upload.fields) - set(names)
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidRequestError(
            f"Unrecognized request argument supplied: {name}",
            param=name,
            code="unsupported_parameter",
        )
    data = {k: v for k, v in upload.fields.items() if k in names} | extra
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from exc


async def json_model(request: Request, model: type[M]) -> M:
    """The JSON body validated by `model`."""
    return await parse_body(request, model)


def either_body(
    json_model_: type[BaseModel], files: dict[str, bool], fields: dict[str, JSONDict]
) -> JSONDict:
    """`openapi_extra=`: a JSON body, or multipart with files (name → required) and fields."""
    schema = json_model_.model_json_schema(ref_template="#/components/schemas/{model}")
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {"schema": multipart_schema(files, fields)},
            },
        }
    }


def multipart_schema(files: dict[str, bool], fields: dict[str, JSONDict]) -> JSONDict:
    """The schema of a multipart form."""
    properties: JSONDict = {n: {"type": "string", "format": "binary"} for n in files}
    properties.update(fields)
    schema: JSONDict = {"type": "object", "properties": properties}
    required = [n for n, needed in files.items() if needed]
    if required:
        schema["required"] = required
    return schema
