"""From a document to a deck outline: headings become slide titles, the section's strongest
sentences its bullets, the rest of its text the speaker notes, its first numeric table a chart.

The model may word the bullets (one call for the deck, under a schema that fixes the slide
count); a slide whose bullets invent a figure keeps the extractive ones.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from tandem.apps.productivity.deck import DeckSpec, SlideSpec, chart_data
from tandem.apps.productivity.documents import Document, Section
from tandem.apps.productivity.summarize import MIN_FIGURES_KEPT, pick, scored
from tandem.apps.productivity.text import figure_key, figures, foreign_figures, shorten

BULLETS_PER_SLIDE = 4


def fit(sections: list[Section], budget: int) -> list[Section]:
    """At most `budget` sections: subsections folded into their parents first, then
    neighbours merged, so nothing of the document is dropped."""
    if len(sections) <= budget:
        return sections
    top = min(s.level for s in sections)
    folded: list[Section] = []
    for section in sections:
        if folded and section.level > top:
            _absorb(folded[-1], section)
        else:
            folded.append(_copy(section))
    while len(folded) > budget:
        # Merge the smallest neighbouring pair.
        sizes = [len(a.text()) + len(b.text()) for a, b in itertools.pairwise(folded)]
        at = sizes.index(min(sizes))
        merged = _copy(folded[at])
        merged.heading = f"{folded[at].heading} · {folded[at + 1].heading}"
        _absorb(merged, folded[at + 1])
        folded[at : at + 2] = [merged]
    return folded


def _copy(section: Section) -> Section:
    return Section(
        section.heading,
        section.level,
        list(section.paragraphs),
        list(section.bullets),
        list(section.tables),
    )


def _absorb(into: Section, other: Section) -> None:
    into.paragraphs += [
        f"{other.heading}: {p}" if i == 0 else p for i, p in enumerate(other.paragraphs)
    ]
    into.bullets += other.bullets
    into.tables += other.tables


def outline(document: Document, max_slides: int) -> DeckSpec:
    """The extractive deck: a title slide and up to `max_slides - 1` content slides."""
    sections = fit(document.sections, max(1, max_slides - 1))
    slides = []
    for section in sections:
        single = Document(document.name, document.title, [section])
        units = scored(single)
        picked = pick(units, BULLETS_PER_SLIDE)
        bullets = [shorten(u.text, 18) for u in picked]
        table = next((t for t in section.tables if chart_data(t) is not None), None)
        if not bullets and table is not None:
            bullets = [f"{len(table.rows)} rows: {', '.join(table.header)}"]
        notes = section.text()
        if not notes and table is not None:
            notes = "\n".join(" | ".join(r) for r in [table.header, *table.rows])
        slides.append(SlideSpec(section.heading, bullets or [section.heading], notes, table))
    subtitle = f"From {document.name} · {date.today().isoformat()}"
    return DeckSpec(title=document.title, subtitle=subtitle, slides=slides)


SYSTEM = (
    "You turn notes into slide points: short phrases, one fact each, numbers copied exactly. "
    "Answer with JSON."
)


def model_request(spec: DeckSpec) -> tuple[str, dict[str, Any]]:
    """The prompt and schema for wording every slide's bullets in one call."""
    lines = []
    for n, slide in enumerate(spec.slides, start=1):
        lines.append(f"Slide {n}: {slide.title}")
        lines += [f"  - {b}" for b in slide.bullets]
    user = f"Deck: {spec.title}\n" + "\n".join(lines) + "\nRewrite the points of each slide."
    slide_schema = {
        "type": "object",
        "properties": {
            "bullets": {
                "type": "array",
                "minItems": 1,
                "maxItems": BULLETS_PER_SLIDE + 1,
                "items": {"type": "string"},
            }
        },
        "required": ["bullets"],
    }
    count = len(spec.slides)
    schema = {
        "type": "object",
        "properties": {
            "slides": {"type": "array", "minItems": count, "maxItems": count, "items": slide_schema}
        },
        "required": ["slides"],
    }
    return user, schema


def _acceptable(bullets: list[str], floor: list[str], source: str) -> bool:
    written = " ".join(bullets)
    if not bullets or len(set(bullets)) < len(bullets) or foreign_figures(written, source):
        return False
    wanted = {figure_key(f) for f in figures(" ".join(floor))}
    kept = {figure_key(f) for f in figures(written)}
    return not wanted or len(wanted & kept) / len(wanted) >= MIN_FIGURES_KEPT


def apply(answer: dict[str, Any] | None, spec: DeckSpec, document: Document) -> str:
    """Take the model's bullets where they invent no figure and keep most of the floor's,
    and do not repeat one another; the method that resulted."""
    slides = answer.get("slides") if answer else None
    if not isinstance(slides, list) or len(slides) != len(spec.slides):
        return "extractive"
    source = document.text()
    taken = 0
    for slide, written in zip(spec.slides, slides, strict=True):
        bullets = [str(b).strip() for b in (written or {}).get("bullets", []) if str(b).strip()]
        if _acceptable(bullets, slide.bullets, source):
            slide.bullets = bullets
            taken += 1
    if taken == len(spec.slides):
        return "model"
    return "mixed" if taken else "extractive"
