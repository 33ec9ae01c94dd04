"""Text that respects documents: hard-wrapped lines re-flowed into paragraphs, lists and
tables kept as units, and sentences split where sentences end (not where lines end).

Help centres arrive hard-wrapped (Markdown and plain text at ~72 columns, PDF lines at the
page width); taking each line as a sentence produces fragments such as "receive a service
credit:." A document is read into blocks first: headings, paragraphs (wrapped lines joined),
list items (continuation lines joined to their item) and tables (rows rendered as
"header: value" pairs so a row still reads on its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "row", "code"]
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+•▪◦]|\d{1,3}[.)]|[a-z][.)])\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SETEXT = re.compile(r"^\s*(?:={3,}|-{3,})\s*$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "approx",
        "incl",
        "excl",
        "no",
        "nos",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "fig",
        "min",
        "max",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.u",
        "p.o",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.!?])([\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9$£€])")


@dataclass(frozen=True)
class Block:
    """One unit of a document: a heading (with its level), a paragraph, a list item, a table
    row (already rendered as text) or a code block."""

    kind: BlockKind
    text: str
    level: int = 0
    group: int = 0  # items of one list, rows of one table share a group number


def _is_caps_title(line: str, before: str) -> bool:
    """An upper-case section title of a plain-text article ("REFUNDS AND CREDITS")."""
    letters = re.sub(r"[^A-Za-z]", "", line)
    return (
        len(line) <= 80
        and len(letters) >= 3
        and letters.isupper()
        and not line.endswith((".", ",", ";"))
        and not before.strip()
    )


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def render_row(header: list[str], cells: list[str]) -> str:
    """A table row as a line that reads alone: "Plan: Team; Price: $12 per seat"."""
    pairs = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        name = header[index] if index < len(header) else ""
        pairs.append(f"{name}: {cell}" if name and name != cell else cell)
    return "; ".join(pairs)


def join_wrapped(lines: list[str]) -> str:
    """Wrapped lines as one line; a word broken at a hyphen is joined without a space."""
    text = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if text.endswith("-") and not text.endswith(" -") and line[:1].islower():
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


class _Reader:
    """Collects the lines of the block being read and emits finished blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.kind: BlockKind = "paragraph"
        self.group = 0
        self.header: list[str] | None = None

    def flush(self) -> None:
        if self.lines:
            text = join_wrapped(self.lines) if self.kind != "code" else "\n".join(self.lines)
            if text.strip():
                self.blocks.append(Block(self.kind, text, group=self.group))
        self.lines, self.kind = [], "paragraph"

    def start(self, kind: BlockKind, first: str) -> None:
        """A new item joins the list just read (loose lists have blank lines between
        items); anything else, and an item after other text, starts a new group."""
        self.flush()
        last = self.blocks[-1] if self.blocks else None
        if kind != "item" or last is None or last.kind != "item":
            self.group += 1
        self.kind, self.lines = kind, [first]

    def table_line(self, line: str) -> None:
        self.flush()
        if _TABLE_RULE.match(line):
            return
        cells = _cells(line)
        if self.header is None:
            self.group += 1
            self.header = cells
            return
        row = render_row(self.header, cells)
        if row:
            self.blocks.append(Block("row", row, group=self.group))

    def heading(self, text: str, level: int) -> None:
        self.flush()
        self.blocks.append(Block("heading", text, level=level))


def blocks(text: str) -> list[Block]:
    """The document's blocks in reading order."""
    reader = _Reader()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fenced = False
    for number, raw in enumerate(lines):
        stripped = raw.strip()
        before = lines[number - 1] if number else ""
        if _FENCE.match(raw):
            reader.flush()
            fenced = not fenced
            if fenced:
                reader.kind, reader.group = "code", reader.group + 1
            continue
        if fenced:
            reader.kind = "code"
            reader.lines.append(raw.rstrip())
            continue
        if not stripped:
            reader.flush()
            reader.header = None
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            reader.table_line(stripped)
            continue
        reader.header = None
        heading = _HEADING.match(stripped)
        item = _ITEM.match(raw)
        if heading:
            reader.heading(heading.group(2), len(heading.group(1)))
        elif _SETEXT.match(stripped) and reader.lines and reader.kind == "paragraph":
            title = join_wrapped(reader.lines)
            reader.lines = []
            reader.heading(title, 1 if "=" in stripped else 2)
        elif item and not re.match(r"^\d{1,3}[.)]\d", stripped):
            reader.start("item", item.group(2))
        elif not reader.lines and _is_caps_title(stripped, before):
            reader.heading(stripped.capitalize(), 2)
        elif reader.lines:
            reader.lines.append(stripped)  # a wrapped line of the paragraph or item
        else:
            reader.start("paragraph", stripped)
    reader.flush()
    return reader.blocks


def reflow(text: str) -> str:
    """The document with each paragraph, item and row on one line, blocks blank-separated,
    headings as '#' lines, items as '- ' lines (rows of a table stay adjacent)."""
    out: list[str] = []
    last: Block | None = None
    for block in blocks(text):
        if block.kind == "heading":
            line = "#" * block.level + " " + block.text
        elif block.kind == "item":
            line = "- " + block.text
        else:
            line = block.text
        adjacent = last is not None and block.kind in ("item", "row") and last.kind == block.kind
        out.append(("\n" if adjacent else "\n\n") + line if out else line)
        last = block
    return "".join(out)


def _ends_sentence(head: str) -> bool:
    """Whether the full stop ending `head` ends a sentence (not "e.g." or "9 a.m.")."""
    if not head.endswith("."):
        return True
    word = re.search(r"([A-Za-z][A-Za-z.]*)\.$", head)
    if word is None:
        return True
    if word.group(1).lower() in _ABBREVIATIONS:
        return False
    # A single capital ("J. Smith") is an initial.
    return not (len(word.group(1)) == 1 and word.group(1).isupper())


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one re-flowed paragraph."""
    text = " ".join(paragraph.split())
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _ends_sentence(text[: match.start()]):
            end = match.start() + len(match.group(1))
            piece = text[start:end].strip()
            if piece:
                pieces.append(piece)
            start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


__all__ = ["Block", "blocks", "join_wrapped", "reflow", "render_row", "split_sentences"]
