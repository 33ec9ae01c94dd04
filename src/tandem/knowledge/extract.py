"""Text out of documents (.md .txt .html .pdf .docx .csv), with their headings kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tandem.errors import InvalidRequestError

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".csv"}


class ExtractionError(InvalidRequestError):
    """A document that cannot be read (400, naming it)."""

    code = "invalid_document"


def extract(name: str, data: bytes) -> str:
    """The document as Markdown-ish text: headings as '#' lines, paragraphs blank-separated."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractionError(
            f"{name}: unsupported type; use {', '.join(sorted(SUFFIXES))}", param="files"
        )
    try:
        if suffix in (".md", ".markdown", ".txt"):
            return data.decode("utf-8", errors="replace")
        if suffix in (".html", ".htm"):
            return _html(data)
        if suffix == ".pdf":
            return _pdf(data)
        if suffix == ".docx":
            return _docx(data)
        return _csv(data)
    except ExtractionError:
        raise
    except Exception as exc:  # each parser raises its own types for a broken file
        raise ExtractionError(
            f"{name}: cannot be read ({type(exc).__name__})", param="files"
        ) from exc


def _html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "header"]):
        tag.decompose()
    lines: list[str] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "pre"]):
        text = " ".join(element.get_text(" ").split())
        if not text:
            continue
        if element.name and element.name.startswith("h"):
            lines.append("#" * int(element.name[1]) + " " + text)
        else:
            lines.append(("- " if element.name == "li" else "") + text)
    return "\n\n".join(lines)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n\n".join(pages)
    if not text.strip():
        raise ExtractionError("the PDF has no extractable text (scanned images?)", param="files")
    return text


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith("Heading"):
            level = "".join(ch for ch in style if ch.isdigit()) or "1"
            lines.append("#" * int(level) + " " + text)
        else:
            lines.append(text)
    return "\n\n".join(lines)


def _csv(data: bytes) -> str:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"))))
    if not rows:
        return ""
    header, body = rows[0], rows[1:]
    # One paragraph per row, "column: value" pairs, so each row can be retrieved on its own.
    return "\n\n".join(
        "; ".join(f"{h}: {v}" for h, v in zip(header, row, strict=False)) for row in body
    )
