"""Whether retrieved passages can answer a question, and the sentences that answer it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.knowledge.store import STOPWORDS, Hit
from tandem.knowledge.text import split_sentences

# Cosine similarity (all-MiniLM-L6-v2) of a question to the passage that answers it is
# usually 0.45-0.75; unrelated passages of the same company's help centre sit at 0.1-0.35.
ANSWERABLE_SIMILARITY = 0.42
# Between the two, the passage must also share most of the question's topic words, or be
# the first or second result of both the keyword and the vector ranking.
WEAK_SIMILARITY = 0.3
TERM_COVERAGE = 0.5
BOTH_RANKINGS_TOP_TWO = 1 / 61 + 1 / 62  # reciprocal-rank fusion with k = 60
_WORD = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")
_MARKUP = re.compile(r"^\s*(?:#+|[-*•]|\d+[.)]|\|)\s*|\s*\|\s*$")
# A plain-text article's upper-case section title ("AMENITIES, PRINTING AND WI-FI.").
_TITLE_LINE = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")
# A page's own bookkeeping ("Last updated 4 November 2026."), never an answer.
_PAGE_NOTE = re.compile(
    r"^(?:page\s+)?(?:last\s+)?(?:updated|reviewed|published|modified|posted|revised)"
    r"(?:\s+on)?[:\s][^.]{0,40}\b\d{4}\.?$",
    re.IGNORECASE,
)


def content_terms(text: str) -> set[str]:
    """Topic words of `text`, lower-cased and crudely stemmed (first 5 letters)."""
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS}


def coverage(question: str | set[str], passage: str) -> float:
    """Share of the question's topic words (or of the given terms) in the passage."""
    asked = content_terms(question) if isinstance(question, str) else question
    return len(asked & content_terms(passage)) / len(asked) if asked else 0.0


def answerable(question: str, hits: list[Hit]) -> bool:
    """Whether the best passages look like they hold the answer."""
    for hit in hits[:3]:
        if hit.similarity >= ANSWERABLE_SIMILARITY:
            return True
        text = f"{hit.title} {hit.chunk}"
        if hit.similarity >= WEAK_SIMILARITY and (
            coverage(question, text) >= TERM_COVERAGE or hit.score >= BOTH_RANKINGS_TOP_TWO - 1e-6
        ):
            return True
    return False


@dataclass(frozen=True)
class Sentence:
    """A unit of a retrieved passage: a sentence, a list item or a table row; `source` is
    the passage's index in the hits, `lead` the sentence introducing an item's list."""

    text: str
    source: int
    position: int
    title: str = ""
    kind: str = "sentence"
    lead: str = ""
    group: int = 0


def sentences(hits: list[Hit]) -> list[Sentence]:
    """The units of each passage in reading order: sentences of its paragraphs, its list
    items (with the sentence that introduces their list) and its table rows."""
    found = []
    for source, hit in enumerate(hits):
        position = group = 0
        lead = ""
        for line in hit.chunk.split("\n"):
            line = line.strip()
            if not line:
                lead = ""
                continue
            if line.startswith("- "):
                kind, pieces = "item", [line[2:].strip()]
            elif "; " in line and re.match(r"^[^;:]{1,60}: ", line):
                kind, pieces = "row", [line]
            else:
                kind, pieces = "sentence", split_sentences(_MARKUP.sub("", line))
                group += 1
            for piece in pieces:
                text = piece.strip()
                if _PAGE_NOTE.match(text) or (kind == "sentence" and _TITLE_LINE.match(text)):
                    continue
                if (len(text) >= 12 and re.search(r"[A-Za-z]{3}", text)) or kind != "sentence":
                    found.append(
                        Sentence(
                            text,
                            source,
                            position,
                            hit.title,
                            kind,
                            lead if kind == "item" else "",
                            group,
                        )
                    )
                    position += 1
            if kind == "sentence":
                lead = pieces[-1] if pieces and pieces[-1].rstrip().endswith(":") else ""
    return found


def pick(
    question: str,
    candidates: list[Sentence],
    similarity: npt.NDArray[np.float32],
    limit: int = 3,
    max_chars: int = 480,
) -> list[Sentence]:
    """The sentences that best answer `question`, in reading order.

    A sentence scores by meaning (cosine to the question), by the question's topic words in
    it and in its section title, and by its passage's retrieval rank (the whole passage is
    better evidence of topic than one sentence). Close runners-up join the best, and so does
    the sentence right after it when it carries on (a short follow-on such as "You can also
    find it on the Orders page").
    """
    if not candidates:
        return []
    passages = max(c.source for c in candidates) + 1
    asked = content_terms(question)
    scores = [
        float(similarity[i])
        + 0.35 * coverage(asked, s.text)
        + 0.15 * coverage(asked, s.title)
        + 0.1 * (passages - s.source) / passages
        for i, s in enumerate(candidates)
    ]
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    top = scores[order[0]]
    best = candidates[order[0]]
    chosen = [order[0]]
    length = len(best.text)
    for i in order[1:]:
        other = candidates[i]
        follows = other.source == best.source and other.position == best.position + 1
        if len(chosen) >= limit or length + len(other.text) > max_chars:
            continue
        if scores[i] >= 0.85 * top or (follows and scores[i] >= 0.6 * top):
            chosen.append(i)
            length += len(other.text)
    picked = [candidates[i] for i in chosen]
    return sorted(picked, key=lambda s: (s.source, s.position))
