"""Chunking that follows structure: sections by heading, paragraphs kept whole where they
fit, neighbouring chunks overlapping by a sentence or two."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_CHARS = 900
OVERLAP_CHARS = 150
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


@dataclass(frozen=True)
class Chunk:
    """A piece of a document, with where it came from."""

    position: int
    section: str
    text: str


def _sections(text: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    trail: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        first, _, rest = block.partition("\n")
        heading = _HEADING.match(first)
        if heading:
            level = len(heading.group(1))
            trail = [*trail[: level - 1], heading.group(2).strip()]
            sections.append((" > ".join(trail), []))
            if rest.strip():
                sections[-1][1].append(rest.strip())
        else:
            sections[-1][1].append(block)
    return [(title, paragraphs) for title, paragraphs in sections if paragraphs]


def _split_long(paragraph: str) -> list[str]:
    if len(paragraph) <= MAX_CHARS:
        return [paragraph]
    sentences = re.split(r"(?<=[.!?])\s+", paragraph)
    pieces, current = [], ""
    for sentence in sentences:
        while len(sentence) > MAX_CHARS:  # a "sentence" with no full stops at all
            pieces.append(sentence[:MAX_CHARS])
            sentence = sentence[MAX_CHARS:]
        if current and len(current) + len(sentence) + 1 > MAX_CHARS:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def _unchecked() -> None:
    return None


def chunk(text: str, check: Callable[[], None] = _unchecked) -> list[Chunk]:
    """Chunks of a document in reading order; `check` runs between sections (it raises to
    stop a cancelled ingestion)."""
    chunks: list[Chunk] = []
    for title, paragraphs in _sections(text):
        check()
        pieces = [p for paragraph in paragraphs for p in _split_long(paragraph)]
        current = ""
        for piece in pieces:
            if current and len(current) + len(piece) + 2 > MAX_CHARS:
                chunks.append(Chunk(len(chunks), title, current))
                tail = current[-OVERLAP_CHARS:]
                cut = tail.find(". ")
                current = (tail[cut + 2 :] if cut >= 0 else tail) + "\n\n" + piece
            else:
                current = f"{current}\n\n{piece}".strip()
        if current:
            chunks.append(Chunk(len(chunks), title, current))
    return chunks
