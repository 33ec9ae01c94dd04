"""Chunking that follows structure: sections by heading (the heading trail goes with every
chunk of the section), paragraphs re-flowed and kept whole where they fit, a list or a table
kept whole with the sentence that introduces it, and neighbouring chunks of a section
overlapping by their last sentence.

Chunk text is laid out for readers downstream (see `tandem.knowledge.text`): one block per
line, list items as "- " lines and table rows as "header: value; ..." lines, adjacent within
their list or table; other blocks blank-separated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tandem.knowledge.text import Block, blocks, split_sentences

MAX_CHARS = 900
OVERLAP_CHARS = 150


@dataclass(frozen=True)
class Chunk:
    """A piece of a document, with where it came from."""

    position: int
    section: str
    text: str


@dataclass
class _Section:
    title: str
    units: list[list[Block]]


def _sections(text: str) -> list[_Section]:
    """Sections with their units: a paragraph, or a list/table with its lead-in."""
    sections = [_Section("", [])]
    trail: list[str] = []
    for block in blocks(text):
        if block.kind == "heading":
            level = max(1, min(block.level, len(trail) + 1))
            trail = [*trail[: level - 1], block.text.strip()]
            sections.append(_Section(" > ".join(trail), []))
            continue
        units = sections[-1].units
        last = units[-1] if units else None
        grouped = last is not None and block.kind in ("item", "row")
        if grouped and last and last[-1].kind == block.kind and last[-1].group == block.group:
            last.append(block)
        elif grouped and last and len(last) == 1 and last[0].text.rstrip().endswith(":"):
            last.append(block)  # "You can get a refund if:" stays with its list
        else:
            units.append([block])
    return [s for s in sections if s.units]


def _render(unit: list[Block]) -> str:
    lines = []
    for block in unit:
        lines.append(f"- {block.text}" if block.kind == "item" else block.text)
    return "\n".join(lines)


def _split_unit(unit: list[Block]) -> list[str]:
    """A unit as pieces of at most MAX_CHARS: a long list or table by its lines, a long
    paragraph by its sentences (a run-on with no full stops, by characters)."""
    text = _render(unit)
    if len(text) <= MAX_CHARS:
        return [text]
    parts = [_render([b]) for b in unit] if len(unit) > 1 else split_sentences(text)
    pieces, current = [], ""
    for part in parts:
        while len(part) > MAX_CHARS:
            pieces.append(part[:MAX_CHARS])
            part = part[MAX_CHARS:]
        joiner = "\n" if len(unit) > 1 else " "
        if current and len(current) + len(part) + 1 > MAX_CHARS:
            pieces.append(current)
            current = part
        else:
            current = f"{current}{joiner}{part}" if current else part
    if current:
        pieces.append(current)
    return pieces


def _overlap(previous: str) -> str:
    """The last sentence of a chunk, when short enough to repeat at the next one's start."""
    last = previous.rsplit("\n", 1)[-1]
    if last.startswith("- ") or "; " in last:
        return ""
    sentences = split_sentences(last)
    tail = sentences[-1] if sentences else ""
    return tail if 0 < len(tail) <= OVERLAP_CHARS and len(sentences) > 1 else ""


def _unchecked() -> None:
    return None


def chunk(text: str, check: Callable[[], None] = _unchecked) -> list[Chunk]:
    """Chunks of a document in reading order; `check` runs between sections (it raises to
    stop a cancelled ingestion)."""
    chunks: list[Chunk] = []
    for section in _sections(text):
        check()
        pieces = [p for unit in section.units for p in _split_unit(unit)]
        current = ""
        for piece in pieces:
            if current and len(current) + len(piece) + 2 > MAX_CHARS:
                chunks.append(Chunk(len(chunks), section.title, current))
                carried = _overlap(current)
                current = f"{carried}\n\n{piece}" if carried else piece
            else:
                current = f"{current}\n\n{piece}" if current else piece
        if current:
            chunks.append(Chunk(len(chunks), section.title, current))
    return chunks
