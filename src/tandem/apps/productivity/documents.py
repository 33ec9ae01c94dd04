"""Documents in: .docx .pdf .pptx .md .txt .html read into titled sections with their
paragraphs and tables, within limits; a broken or password-protected file is a 400 naming it.

Markdown, text, HTML and PDF go through the knowledge extractor (`tandem.knowledge.extract`);
.docx is read here because its tables carry the numbers a deck charts, and .pptx because the
extractor does not read slides. Both are checked against zip bombs first.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from tandem.apps.productivity.text import reflow, xml_safe
from tandem.archives import check_archive
from tandem.errors import InvalidRequestError, PayloadTooLargeError, TandemError
from tandem.knowledge.extract import extract

SUFFIXES = (".docx", ".pdf", ".pptx", ".md", ".markdown", ".txt", ".html", ".htm")
MAX_TABLE_ROWS = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files are OLE containers
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


class DocumentError(InvalidRequestError):
    """A document that cannot be read (400, naming it)."""

    code = "invalid_document"


@dataclass
class Table:
    """A table: its header row and its body rows, as text."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    """A heading with what follows it up to the next heading."""

    heading: str
    level: int = 2
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def text(self) -> str:
        """The section's prose and bullets, one paragraph a line."""
        return "\n".join(self.paragraphs + self.bullets)


@dataclass
class Document:
    """A document as titled sections."""

    name: str
    title: str
    sections: list[Section]
    pages: int = 1

    def text(self) -> str:
        """The whole text, headings included."""
        parts = [self.title]
        for section in self.sections:
            parts += [section.heading, section.text()]
        return "\n".join(p for p in parts if p)

    def words(self) -> int:
        """How many words the document has."""
        return len(self.text().split())


def read_document(name: str, data: bytes, max_pages: int, param: str = "file") -> Document:
    """The document in `data` (named `name`), or a 400 naming it."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(f"{name}: unsupported type; use {', '.join(SUFFIXES)}", param=param)
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty", param=param)
    if suffix in (".docx", ".pptx") and data.startswith(_OLE_MAGIC):
        raise DocumentError(
            f"{name}: password-protected (or a pre-2007 Office file); save it unprotected as "
            f"{suffix}",
            param=param,
        )
    try:
        if suffix == ".pptx":
            document = _pptx(name, data, max_pages, param)
        elif suffix == ".docx":
            document = _docx(name, data, param)
        else:
            pages = _pdf_pages(name, data, max_pages, param) if suffix == ".pdf" else 1
            document = parse_markdown(name, extract(name, data), pages)
    except TandemError as exc:
        if isinstance(exc, PayloadTooLargeError | DocumentError):
            raise
        raise DocumentError(exc.message, param=param) from exc
    except Exception as exc:  # each parser raises its own types for a broken file
        raise DocumentError(f"{name}: cannot be read ({type(exc).__name__})", param=param) from exc
    if not any(s.paragraphs or s.bullets or s.tables for s in document.sections):
        raise DocumentError(f"{name}: no text found in the document", param=param)
    return document


def _pdf_pages(name: str, data: bytes, max_pages: int, param: str) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise DocumentError(f"{name}: the PDF is password-protected", param=param)
    pages = len(reader.pages)
    if pages > max_pages:
        raise DocumentError(f"{name}: {pages} pages; at most {max_pages} are read", param=param)
    return pages


def parse_markdown(name: str, text: str, pages: int = 1) -> Document:
    """Markdown-ish text (what the extractor returns) as sections; in plain text, short
    unpunctuated lines standing alone are read as headings."""
    blocks = _blocks(xml_safe(text))
    title = ""
    sections: list[Section] = []
    current = Section(heading="", level=2)
    levels = [len(b) - len(b.lstrip("#")) for b in blocks if b.startswith("#")]
    top = min(levels) if levels and levels.count(min(levels)) == 1 else 0
    if not top and blocks and blocks[0].startswith("#"):
        top = len(blocks[0]) - len(blocks[0].lstrip("#"))  # the opening heading is the title
    for block in blocks:
        if block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            heading = block.lstrip("#").strip()
            if level == top and not title:
                title = heading
                continue
            if current.heading or _has_content(current):
                sections.append(current)
            current = Section(heading=heading, level=level)
        elif _is_table(block):
            current.tables.append(_markdown_table(block))
        elif all(line.lstrip().startswith(("- ", "* ", "• ")) for line in block.splitlines()):
            current.bullets += [reflow(line.lstrip()[2:]) for line in block.splitlines()]
        else:
            current.paragraphs.append(reflow(block))
    if current.heading or _has_content(current):
        sections.append(current)
    return _titled(name, title, sections, pages)


def _titled(name: str, title: str, sections: list[Section], pages: int) -> Document:
    """Name the untitled opening section; take the title from it when there is none."""
    if sections and not sections[0].heading:
        first = sections[0]
        if not title and first.paragraphs and len(first.paragraphs[0].split()) <= 12:
            title = first.paragraphs.pop(0)
        first.heading = "Overview"
        if not _has_content(first):
            sections.pop(0)
    return Document(
        name=name, title=title or Path(name).stem.replace("_", " "), sections=sections, pages=pages
    )


def _has_content(section: Section) -> bool:
    return bool(section.paragraphs or section.bullets or section.tables)


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks; in text without Markdown headings, a short line that
    ends no sentence and follows a finished one starts a block of its own (a heading)."""
    out: list[str] = []
    marked = any(line.startswith("#") for line in text.splitlines())
    for raw in re.split(r"\n\s*\n", text):
        lines = [line.rstrip() for line in raw.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if marked or _is_table("\n".join(lines)):
            out.append("\n".join(lines))
            continue
        group: list[str] = []
        for line in lines:
            finished = not group or group[-1].endswith((".", "!", "?", ":"))
            if finished and _looks_like_heading(line):
                if group:
                    out.append("\n".join(group))
                out.append("## " + line.strip())
                group = []
            else:
                group.append(line)
        if group:
            out.append("\n".join(group))
    return out


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 60
        and not line.rstrip().endswith((".", ",", ";", ":", "!", "?"))
        and ":" not in line
        and "@" not in line
        and (line[0].isupper() or line[0].isdigit())
        and not line.lstrip().startswith(("- ", "* ", "• "))
    )


def _is_table(block: str) -> bool:
    lines = block.splitlines()
    return (
        len(lines) >= 2
        and lines[0].lstrip().startswith("|")
        and bool(_TABLE_RULE.match(lines[1].strip()))
    )


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _markdown_table(block: str) -> Table:
    lines = block.splitlines()
    rows = [_cells(line) for line in lines[2 : 2 + MAX_TABLE_ROWS]]
    return Table(header=_cells(lines[0]), rows=rows)


def _docx(name: str, data: bytes, param: str) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    check_archive(data, name, max_bytes=32 * 1024 * 1024, param=param)
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for number, element in enumerate(document.element.body.iterchildren(), start=1):
        if number > 200_000:
            raise DocumentError(f"{name}: more than 200,000 paragraphs", param=param)
        if element.tag == qn("w:tbl"):
            table = DocxTable(element, document.part)
            rows = [
                [cell.text.strip().replace("|", "/") for cell in row.cells]
                for row in list(table.rows)[: MAX_TABLE_ROWS + 1]
            ]
            if rows:
                lines.append(
                    "\n".join(
                        ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
                        + ["| " + " | ".join(r) + " |" for r in rows[1:]]
                    )
                )
            continue
        if element.tag != qn("w:p"):
            continue
        paragraph = Paragraph(element, document.part)
        line = paragraph.text.strip()
        if not line:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style == "Title":
            lines.append("# " + line)
        elif style.startswith("Heading"):
            digits = "".join(ch for ch in style if ch.isdigit())[:1] or "1"
            lines.append("#" * (int(digits) + 1) + " " + line)
        elif style.startswith("List"):
            lines.append("- " + line)
        else:
            lines.append(line)
    return parse_markdown(name, "\n\n".join(_join_lists(lines)))


def _join_lists(lines: list[str]) -> list[str]:
    """Consecutive list items as one block (Markdown's blank lines split them otherwise)."""
    out: list[str] = []
    for line in lines:
        if line.startswith("- ") and out and out[-1].startswith("- "):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _pptx(name: str, data: bytes, max_pages: int, param: str) -> Document:
    from pptx import Presentation

    check_archive(data, name, param=param)
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    if len(slides) > max_pages:
        raise DocumentError(
            f"{name}: {len(slides)} slides; at most {max_pages} are read", param=param
        )
    sections: list[Section] = []
    for number, slide in enumerate(slides, start=1):
        title_shape = slide.shapes.title
        heading = title_shape.text_frame.text.strip() if title_shape is not None else ""
        section = Section(heading=heading or f"Slide {number}")
        for shape in slide.shapes:
            if shape is title_shape:
                continue
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    text = "".join(run.text for run in paragraph.runs).strip()
                    if text:
                        section.bullets.append(text)
            elif shape.has_table:
                cells = [[c.text.strip() for c in row.cells] for row in shape.table.rows]
                if cells:
                    section.tables.append(Table(cells[0], cells[1 : MAX_TABLE_ROWS + 1]))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                section.paragraphs.append(reflow(notes.text))
        sections.append(section)
    title = sections[0].heading if sections else Path(name).stem
    if sections and not (sections[0].paragraphs or sections[0].tables):
        sections.pop(0)  # the title slide: its subtitle is not a section
    return Document(name=name, title=title, sections=sections, pages=len(slides))
