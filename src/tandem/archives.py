"""Guards for archive-based uploads (docx, xlsx, pptx): refuse zip bombs before parsing.

Office files are zip archives; a few kilobytes can expand to gigabytes of XML. The central
directory states each entry's uncompressed size, so the check costs nothing, and the
parsers only read what the directory lists; entries whose stated size is a lie fail in
`zipfile` itself when the CRC or length does not match.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tandem.errors import InvalidRequestError

MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, over the whole archive


class ArchiveRefusedError(InvalidRequestError):
    """An archive too large, too many-membered or too compressed to parse safely (400)."""

    code = "archive_refused"


def check_archive(
    source: Path | bytes,
    name: str,
    *,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = MAX_RATIO,
    param: str = "files",
) -> None:
    """Raise ArchiveRefusedError unless `source` is a zip within the limits."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveRefusedError(f"{name}: not a readable Office file", param=param) from exc
    if len(entries) > max_entries:
        raise ArchiveRefusedError(
            f"{name}: holds {len(entries)} parts; at most {max_entries} are accepted", param=param
        )
    expanded = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if expanded > max_bytes:
        raise ArchiveRefusedError(
            f"{name}: expands to {expanded // 2**20} MiB; at most {max_bytes // 2**20} MiB "
            "are accepted",
            param=param,
        )
    if expanded > 1024 * 1024 and expanded / packed > max_ratio:
        raise ArchiveRefusedError(
            f"{name}: compressed {expanded // packed}:1, which looks like a zip bomb",
            param=param,
        )
