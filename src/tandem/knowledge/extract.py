"""Text out of documents (.md .txt .html .pdf .docx .csv), with their headings kept.

Every format is bounded before and while it is parsed, because a small upload can cost a
lot: a .docx is a zip (checked for its expanded size, parts and ratio before python-docx
opens it), HTML is parsed in one step (so its size and tags are capped first), a PDF can
hold thousands of pages or megabytes of drawing per page, and a CSV repeats its header in
every row. The text of any one file is capped at MAX_TEXT_CHARS. `check` is called between
pages, paragraphs and rows so a cancelled or overdue ingestion stops.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tandem.archives import check_archive
from tandem.errors import InvalidRequestError, TandemError

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".csv"}
MAX_TEXT_CHARS = 1_000_000  # about 1,100 chunks, a 400-page book
MAX_PDF_PAGES = 1_000
# pypdf reads text at about 3 s per MiB of a page's drawing instructions, in one call that
# cannot be interrupted; a 12 KB file can hold a 4 MiB page.
MAX_PDF_PAGE_BYTES = 2 * 1024 * 1024
MAX_HTML_BYTES = 4 * 1024 * 1024
# BeautifulSoup builds its tree at about 20 us a tag, in one uninterruptible call.
MAX_HTML_TAGS = 100_000
MAX_CSV_ROWS = 200_000
DOCX_MAX_ENTRIES = 2_000
DOCX_MAX_BYTES = 32 * 1024 * 1024  # expanded: XML plus embedded images
DOCX_MAX_RATIO = 200
# Reading a paragraph costs ~25 us even when empty; a 6 MB file can hold 500,000 of them.
DOCX_MAX_PARAGRAPHS = 200_000
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HTML_PARAGRAPHS = frozenset({"p", "pre", "dt", "dd", "figcaption", "address"})
_HTML_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
_HTML_DROPPED = frozenset(
    [
        "script",
        "style",
        "nav",
        "footer",
        "aside",
        "form",
        "noscript",
        "template",
        "button",
        "svg",
        "iframe",
        "select",
        "input",
    ]
)
# class / id / role of site furniture around an article
_FURNITURE = re.compile(
    r"cookie|consent|banner|breadcrumb|sidebar|navbar|\bnav\b|navigation|\bmenu|footer|"
    r"skip-link|site-header|masthead|newsletter|announcement",
    re.IGNORECASE,
)

Check = Callable[[], None]


class ExtractionError(InvalidRequestError):
    """A document that cannot be read (400, naming it)."""

    code = "invalid_document"


def _unchecked() -> None:
    return None


class _Text:
    """Paragraphs of a document, refused once they pass MAX_TEXT_CHARS."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0

    def add(self, part: str) -> None:
        self.size += len(part) + (2 if self.parts else 0)
        if self.size > self.limit:
            raise ExtractionError(
                f"{self.name}: more than {self.limit:,} characters of text; split it into "
                "smaller files",
                param="files",
            )
        self.parts.append(part)

    def text(self) -> str:
        return "\n\n".join(self.parts)


def extract(name: str, data: bytes, check: Check = _unchecked) -> str:
    """The document as Markdown-ish text: headings as '#' lines, paragraphs blank-separated."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractionError(
            f"{name}: unsupported type; use {', '.join(sorted(SUFFIXES))}", param="files"
        )
    text = _Text(name, MAX_TEXT_CHARS)
    try:
        if suffix in (".md", ".markdown", ".txt"):
            text.add(data.decode("utf-8", errors="replace"))
        elif suffix in (".html", ".htm"):
            _html(name, data, text, check)
        elif suffix == ".pdf":
            _pdf(name, data, text, check)
        elif suffix == ".docx":
            _docx(name, data, text, check)
        else:
            _csv(name, data, text, check)
    except TandemError:  # our own refusals, and the caller's `check` stopping the work
        raise
    except Exception as exc:  # each parser raises its own types for a broken file
        raise ExtractionError(
            f"{name}: cannot be read ({type(exc).__name__})", param="files"
        ) from exc
    return text.text()


def _html(name: str, data: bytes, text: _Text, check: Check) -> None:
    from bs4 import BeautifulSoup

    if len(data) > MAX_HTML_BYTES:
        raise ExtractionError(
            f"{name}: HTML larger than {MAX_HTML_BYTES // 2**20} MiB", param="files"
        )
    if data.count(b"<") > MAX_HTML_TAGS:  # an upper bound on the tags, counted in C
        raise ExtractionError(f"{name}: more than {MAX_HTML_TAGS:,} HTML tags", param="files")
    soup = BeautifulSoup(data, "html.parser")
    check()
    root = _article(soup)
    for tag in root.find_all(True):
        # Inside a dropped element already (its attributes are gone). Read from __dict__:
        # a missing attribute of a Tag is a search of its subtree, quadratic when nested.
        if tag.__dict__.get("_decomposed") or "attrs" not in tag.__dict__:
            continue
        if tag.name in _HTML_DROPPED or _boilerplate(tag):
            tag.decompose()
    check()
    if root is not soup and root.find(_HEADINGS) is None:
        title = soup.find("h1")  # the page title sits outside the article on many sites
        if title is not None:
            text.add("# " + _line(title))
    _walk(root, text, check)


def _article(soup: BeautifulSoup) -> Tag:
    """The page's article when it marks one (boilerplate around it is dropped)."""
    for found in (soup.find("main"), soup.find(None, {"role": "main"}), soup.find("article")):
        if found is not None:
            return found
    return soup


def _boilerplate(tag: Tag) -> bool:
    """Site furniture: headers without the article's title, banners, breadcrumbs, sidebars."""
    if tag.attrs is None:
        return False
    if tag.name == "header":
        return tag.find(_HEADINGS[:3]) is None
    marks = " ".join(
        [*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")]
    )
    return bool(marks) and bool(_FURNITURE.search(marks))


def _line(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _walk(root: Tag, text: _Text, check: Check) -> None:
    """Blocks in document order without recursion: inline runs between blocks become
    paragraphs (text straight inside a <div> counts), <li> runs become "- " items, tables
    become Markdown tables. Each block's text is read once."""
    from bs4.element import Comment, NavigableString, Tag

    stack: list[tuple[Iterator[object], list[str], str]] = [(iter(root.children), [], "")]
    while stack:
        children, run, prefix = stack[-1]
        node = next(children, None)
        if node is None:
            _flush(run, prefix, text)
            stack.pop()
        elif isinstance(node, NavigableString):
            if not isinstance(node, Comment):
                run.append(str(node))
        elif not isinstance(node, Tag):
            continue
        elif node.name in _HTML_INLINE:
            run.append(node.get_text(" "))
        else:
            _flush(run, prefix, text)
            check()
            if node.name in _HEADINGS:
                line = _line(node)
                if line:
                    text.add("#" * int(node.name[1]) + " " + line)
            elif node.name == "table":
                _table(node, text)
            elif node.name in _HTML_PARAGRAPHS:
                _flush([node.get_text(" ")], "", text)
            else:
                stack.append((iter(node.children), [], "- " if node.name == "li" else ""))


def _flush(run: list[str], prefix: str, text: _Text) -> None:
    line = " ".join("".join(run).split())  # inline pieces carry their own spacing
    run.clear()
    if line:
        text.add(prefix + line)


def _table(table: Tag, text: _Text) -> None:
    """A table as Markdown: its first row is the header (cells' pipes become slashes)."""
    rows = []
    caption = table.find("caption")
    if caption is not None:
        text.add(_line(caption))
    for row in table.find_all("tr"):
        cells = [_line(c).replace("|", "/") for c in row.find_all(("th", "td"))]
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    if rows:
        width = rows[0].count(" | ") + 1
        rule = "|" + "---|" * width
        text.add("\n".join([rows[0], rule, *rows[1:]]))


def _pdf(name: str, data: bytes, text: _Text, check: Check) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    if pages > MAX_PDF_PAGES:
        raise ExtractionError(
            f"{name}: {pages} pages; at most {MAX_PDF_PAGES} are accepted", param="files"
        )
    for number, page in enumerate(reader.pages, start=1):
        check()
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        if size > MAX_PDF_PAGE_BYTES:
            raise ExtractionError(
                f"{name}: page {number} holds {size // 2**20} MiB of drawing instructions; at "
                f"most {MAX_PDF_PAGE_BYTES // 2**20} MiB are read",
                param="files",
            )
        text.add(page.extract_text() or "")
    if not text.text().strip():
        raise ExtractionError(
            f"{name}: the PDF has no extractable text (scanned images?)", param="files"
        )


def _docx(name: str, data: bytes, text: _Text, check: Check) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    check_archive(
        data,
        name,
        max_entries=DOCX_MAX_ENTRIES,
        max_bytes=DOCX_MAX_BYTES,
        max_ratio=DOCX_MAX_RATIO,
    )
    document = docx.Document(io.BytesIO(data))
    check()
    # Lazily, not `document.paragraphs`: that list is built in one uninterruptible step.
    for number, element in enumerate(document.element.body.iterchildren(qn("w:p")), start=1):
        if number > DOCX_MAX_PARAGRAPHS:
            raise ExtractionError(
                f"{name}: more than {DOCX_MAX_PARAGRAPHS:,} paragraphs; split it into smaller "
                "files",
                param="files",
            )
        check()
        paragraph = Paragraph(element, document.part)
        line = paragraph.text.strip()
        if not line:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith("Heading"):
            digits = "".join(ch for ch in style if ch.isdigit())[:2] or "1"
            text.add("#" * max(1, min(6, int(digits))) + " " + line)
        else:
            text.add(line)


def _csv(name: str, data: bytes, text: _Text, check: Check) -> None:
    rows = csv.reader(io.StringIO(data.decode("utf-8", errors="replace")))
    header = next(rows, None)
    if header is None:
        return
    for number, row in enumerate(rows, start=1):
        if number > MAX_CSV_ROWS:
            raise ExtractionError(
                f"{name}: more than {MAX_CSV_ROWS:,} rows; split it into smaller files",
                param="files",
            )
        if number % 1000 == 0:
            check()
        # One paragraph per row, "column: value" pairs, so each row can be retrieved on its own.
        line = "; ".join(f"{h}: {v}" for h, v in zip(header, row, strict=False))
        if line:
            text.add(line)
