"""Drafting from reference documents: the floor gathers, under the headings of the references,
the sentences that bear on the instructions; the model may word the draft if it invents no
figure the references do not hold."""

from __future__ import annotations

import re
from typing import Any

from tandem.apps.productivity.documents import Document
from tandem.apps.productivity.summarize import pick, scored
from tandem.apps.productivity.text import foreign_figures, sentences, terms
from tandem.apps.productivity.word import Draft, DraftSection

MAX_SECTIONS = 8
PER_SECTION = 3


def title_of(instructions: str) -> str:
    """A title from the instructions: their first clause, without the request verbs."""
    first = re.split(r"[.:;\n]", instructions.strip(), maxsplit=1)[0]
    first = re.sub(
        r"^(?:please\s+)?(?:write|draft|create|prepare|produce|make)\s+(?:me\s+)?"
        r"(?:an?|the)?\s*",
        "",
        first,
        flags=re.IGNORECASE,
    )
    first = first.strip() or "Draft"
    return first[0].upper() + first[1:80]


def draft_floor(instructions: str, documents: list[Document]) -> Draft:
    """The extractive draft: for each reference section the instructions bear on, its most
    relevant sentences; an introduction stating the purpose."""
    wanted = set(terms(instructions))
    scored_sections: list[tuple[float, int, int]] = []
    for d, document in enumerate(documents):
        for s, section in enumerate(document.sections):
            words = set(terms(section.heading + " " + section.text()))
            scored_sections.append((len(words & wanted) + 0.01 * len(words), d, s))
    chosen = sorted(sorted(scored_sections, reverse=True)[:MAX_SECTIONS], key=lambda x: x[1:])
    sections = [DraftSection("Purpose", [_purpose(instructions)])]
    for _, d, s in chosen:
        section = documents[d].sections[s]
        single = Document(documents[d].name, documents[d].title, [section])
        units = scored(single)
        for unit in units:
            unit.score += 0.8 * len(unit.terms & wanted)
        picked = pick(units, PER_SECTION)
        if picked:
            sections.append(DraftSection(section.heading, [" ".join(u.text for u in picked)]))
    if len(sections) == 1 and not documents:
        sections.append(
            DraftSection("Details", ["(No reference documents were given; add the details here.)"])
        )
    sources = [f"{d.name}: {d.title}" for d in documents]
    return Draft(title_of(instructions), sections, sources, "extractive")


def _purpose(instructions: str) -> str:
    text = " ".join(instructions.split())
    return f"This document responds to the request: “{text[:400]}”."


def draft_request(instructions: str, floor: Draft) -> tuple[str, dict[str, Any]]:
    """The prompt and schema asking the model to write the draft from the floor's notes."""
    notes = "\n".join(f"## {s.heading}\n" + "\n".join(s.paragraphs) for s in floor.sections)
    user = f"Instructions: {instructions}\n\nNotes:\n{notes[:5000]}\n\nWrite the document."
    schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "sections": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_SECTIONS + 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "heading": {"type": "string"},
                        "text": {"type": "string"},
                    },
                    "required": ["heading", "text"],
                },
            },
        },
        "required": ["title", "sections"],
    }
    return user, schema


def accept_draft(
    answer: dict[str, Any] | None, floor: Draft, documents: list[Document]
) -> Draft | None:
    """The model's draft if it has content and invents no figure."""
    if answer is None or not isinstance(answer.get("sections"), list):
        return None
    source = "\n".join(d.text() for d in documents) + "\n" + floor.sections[0].paragraphs[0]
    sections = []
    for item in answer["sections"]:
        if not isinstance(item, dict):
            return None
        heading, text = str(item.get("heading", "")).strip(), str(item.get("text", "")).strip()
        if not heading or not sentences(text) or foreign_figures(heading + " " + text, source):
            return None
        sections.append(DraftSection(heading, [text]))
    title = str(answer.get("title", "")).strip() or floor.title
    return Draft(title, sections, floor.sources, "model")
