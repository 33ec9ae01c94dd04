"""Reading uploaded data files and data dictionaries, shared by /v1/datasets and the
console's Datasets page."""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import UploadFile

from tandem.apps.analyst.datasets import MAX_FILE_BYTES, SUFFIXES
from tandem.errors import InvalidRequestError, PayloadTooLargeError

CHUNK = 1024 * 1024
MAX_DICTIONARY_BYTES = 512 * 1024


async def read_dictionary(field: UploadFile | str | None) -> tuple[str, str] | None:
    """The `dictionary` field (a file or plain text) as (text, file name); None when empty."""
    if field is None:
        return None
    if isinstance(field, str):
        return (field, "dictionary.md") if field.strip() else None
    raw = await field.read(MAX_DICTIONARY_BYTES + 1)
    if len(raw) > MAX_DICTIONARY_BYTES:
        raise PayloadTooLargeError(f"dictionary: larger than {MAX_DICTIONARY_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8"), field.filename or "dictionary.md"
    except UnicodeDecodeError as exc:
        raise InvalidRequestError("dictionary: not UTF-8 text", param="dictionary") from exc


def suffix_of(filename: str | None) -> str:
    """The file's suffix when it is one of a data file's (the temporary copy keeps it)."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in SUFFIXES else ""


async def save_upload(upload: UploadFile, target: Path) -> Path:
    """Copy an uploaded data file to `target` a chunk at a time, refusing past the limit."""
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
