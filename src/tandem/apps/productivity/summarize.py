"""Summaries: an extractive floor that keeps the document's figures, and the model's wording
where it keeps them too.

The floor scores sentences by the figures they hold, how central their words are and where
they stand, then picks without repeating itself. The model, when asked, rewrites the floor's
notes under a JSON schema; its answer is kept only if it invents no figure and keeps most of
the floor's, otherwise the floor's summary is returned and `method` says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from tandem.apps.productivity.documents import Document, Section
from tandem.apps.productivity.text import (
    figure_key,
    figures,
    foreign_figures,
    sentences,
    shorten,
    term_weights,
    terms,
)

Length = Literal["short", "medium", "long"]
# (summary sentences, key points, sentences per section)
BUDGETS: dict[str, tuple[int, int, int]] = {
    "short": (3, 3, 1),
    "medium": (5, 5, 2),
    "long": (9, 8, 3),
}
MIN_FIGURES_KEPT = 0.6


@dataclass
class Sentence:
    """A sentence of the document, where it stands, and its score."""

    text: str
    section: int
    position: int
    score: float = 0.0
    figures: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)


@dataclass
class Summary:
    """What POST /v1/productivity/summarize returns."""

    title: str
    summary: str
    key_points: list[str]
    sections: list[dict[str, str]]
    method: str
    figures: list[str]

    def body(self) -> dict[str, Any]:
        """The JSON response body."""
        return {
            "object": "productivity.summary",
            "title": self.title,
            "summary": self.summary,
            "key_points": self.key_points,
            "sections": self.sections,
            "method": self.method,
            "figures": self.figures,
        }


def scored(document: Document) -> list[Sentence]:
    """Every sentence of the document, scored."""
    units: list[Sentence] = []
    for index, section in enumerate(document.sections):
        for paragraph in section.paragraphs + section.bullets:
            for text in sentences(paragraph):
                units.append(Sentence(text, index, len(units)))
    weights = term_weights([u.text for u in units] + [s.heading for s in document.sections])
    title_terms = set(terms(document.title))
    first_in_section: set[int] = set()
    seen: set[int] = set()
    for unit in units:
        if unit.section not in seen:
            seen.add(unit.section)
            first_in_section.add(unit.position)
    for unit in units:
        words = terms(unit.text)
        unit.terms = set(words)
        unit.figures = {figure_key(f) for f in figures(unit.text) if not _is_year(f)}
        central = sum(math.log1p(weights[w]) for w in unit.terms) / math.sqrt(len(words) + 1)
        unit.score = (
            min(len(unit.figures), 4) * 0.8
            + central * 0.6
            + (0.6 if unit.position in first_in_section else 0.0)
            + 0.3 * len(unit.terms & title_terms)
            - (1.5 if len(unit.text.split()) < 5 else 0.0)
            - (0.5 if len(unit.text.split()) > 45 else 0.0)
        )
    return units


def _is_year(figure: str) -> bool:
    return figure.isdigit() and len(figure) == 4 and figure.startswith(("19", "20"))


def pick(units: list[Sentence], count: int, exclude: set[int] | None = None) -> list[Sentence]:
    """Up to `count` high-scoring sentences that do not repeat each other, spread over the
    sections, in document order."""
    chosen: list[Sentence] = []
    per_section: dict[int, int] = {}
    pool = [u for u in units if not exclude or u.position not in exclude]
    while pool and len(chosen) < count:
        covered = set().union(*(c.figures for c in chosen)) if chosen else set()

        def gain(unit: Sentence, covered: set[str] = covered) -> float:
            repeat = max((_overlap(unit, c) for c in chosen), default=0.0)
            return (
                unit.score
                + 0.5 * len(unit.figures - covered)
                - 0.9 * per_section.get(unit.section, 0)
                - (4.0 if repeat > 0.6 else 2.0 * repeat)
            )

        best = max(pool, key=gain)
        pool.remove(best)
        chosen.append(best)
        per_section[best.section] = per_section.get(best.section, 0) + 1
    return sorted(chosen, key=lambda u: u.position)


def _overlap(a: Sentence, b: Sentence) -> float:
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms))


def extractive(document: Document, length: Length) -> Summary:
    """The floor: the document's own sentences, figures untouched."""
    n_summary, n_points, n_section = BUDGETS[length]
    units = scored(document)
    summary = pick(units, n_summary)
    points = pick(units, n_points, exclude={u.position for u in summary})
    if len(points) < min(n_points, 2):
        points = pick(units, n_points)
    sections = []
    for index, section in enumerate(document.sections):
        mine = [u for u in units if u.section == index]
        sections.append(
            {
                "heading": section.heading,
                "summary": _section_summary(section, pick(mine, n_section)),
            }
        )
    return Summary(
        title=document.title,
        summary=" ".join(u.text for u in summary),
        key_points=[shorten(u.text, 30) for u in sorted(points, key=lambda u: -u.score)],
        sections=sections,
        method="extractive",
        figures=_all_figures(document),
    )


def _section_summary(section: Section, picked: list[Sentence]) -> str:
    if picked:
        return " ".join(u.text for u in picked)
    if section.tables:
        table = section.tables[0]
        return f"A table of {len(table.rows)} rows: {', '.join(table.header)}."
    return ""


def _all_figures(document: Document) -> list[str]:
    seen: dict[str, str] = {}
    for figure in figures(document.text()):
        seen.setdefault(figure_key(figure), figure)
    return list(seen.values())


SYSTEM = (
    "You summarise business documents. Use only facts from the notes. Copy every number, "
    "amount, percentage and date exactly as written. Answer with JSON."
)


def model_request(document: Document, floor: Summary, length: Length) -> tuple[str, dict[str, Any]]:
    """The prompt and schema asking the model to word the floor's notes."""
    n_summary, n_points, _ = BUDGETS[length]
    notes = "\n".join(f"- {s}" for s in [floor.summary, *floor.key_points])
    user = (
        f"Document: {document.title}\nSections: {', '.join(s.heading for s in document.sections)}"
        f"\nNotes:\n{notes}\n\nWrite a summary of about {n_summary} sentences and "
        f"{n_points} key points."
    )
    schema = {
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "key_points": {
                "type": "array",
                "minItems": 1,
                "maxItems": n_points,
                "items": {"type": "string"},
            },
        },
        "required": ["summary", "key_points"],
    }
    return user, schema


def accept(answer: dict[str, Any] | None, document: Document, floor: Summary) -> Summary | None:
    """The model's summary if it invents no figure and keeps most of the floor's."""
    if answer is None:
        return None
    text = str(answer.get("summary", "")).strip()
    points = [str(p).strip() for p in answer.get("key_points", []) if str(p).strip()]
    if len(text) < 20 or not points:
        return None
    source = document.text()
    written = " ".join([text, *points])
    if foreign_figures(written, source):
        return None
    wanted = {figure_key(f) for f in figures(" ".join([floor.summary, *floor.key_points]))}
    kept = {figure_key(f) for f in figures(written)}
    if wanted and len(wanted & kept) / len(wanted) < MIN_FIGURES_KEPT:
        return None
    return Summary(
        title=floor.title,
        summary=text,
        key_points=points,
        sections=floor.sections,
        method="model",
        figures=floor.figures,
    )
