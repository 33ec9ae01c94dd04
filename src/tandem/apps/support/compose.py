"""The extractive answer: passage units chosen to cover the question, not only to resemble it.

Each part of the question gets its best unit; a kind of fact the question needs (an
amount, a time limit, a quantity, a condition) that the chosen units do not state yet
brings in the best unit that does; a chosen unit's next sentence joins when it carries a
condition or an exception ("..., unless you paid by card"); and a short section that
answers the question is quoted whole. Units are rendered as complete sentences: a list item
with the sentence that introduces its list, every unit with its passage's citation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.apps.support.evidence import Sentence, content_terms, coverage
from tandem.apps.support.question import Need, carries, needs

MAX_UNITS = 7
MAX_CHARS = 1100
SHORT_SECTION_CHARS = 800
SHORT_SECTION_UNITS = 6
SHORT_LIST_ITEMS = 6
SHORT_LIST_CHARS = 480
# How much the whole passage's share of the question's words adds to each of its units.
PASSAGE_WEIGHT = 0.15
# What a kind of fact the part asks for adds to a unit stating it (the unit that best
# answers the whole question is kept in any case).
NEED_BONUS = 0.05


@dataclass(frozen=True)
class Scored:
    """What selection knows about the candidates."""

    candidates: list[Sentence]
    overall: npt.NDArray[np.float32]  # per unit: combined score for the whole question
    per_part: npt.NDArray[np.float32]  # units x parts: cosine to each part
    facts: list[set[Need]]


def score(
    question: str,
    candidates: list[Sentence],
    to_question: npt.NDArray[np.float32],
    to_parts: npt.NDArray[np.float32],
    passages: int,
) -> Scored:
    """Scores by meaning, the question's words in the unit and its section title, the
    passage's rank, and how many of the question's words its whole passage holds: the
    passage that is about the question's subject ("personal training pack") beats a
    neighbour that only shares its verb ("refund")."""
    asked = content_terms(question)
    whole = passage_coverage(asked, candidates)
    overall = np.array(
        [
            float(to_question[i])
            + 0.3 * coverage(asked, f"{c.lead} {c.text}")
            + 0.1 * coverage(asked, c.title)
            + 0.1 * (passages - c.source) / max(passages, 1)
            + PASSAGE_WEIGHT * whole.get(c.source, 0.0)
            for i, c in enumerate(candidates)
        ],
        dtype=np.float32,
    )
    return Scored(candidates, overall, to_parts, [carries(c.text) for c in candidates])


def passage_coverage(asked: set[str], candidates: list[Sentence]) -> dict[int, float]:
    """Per passage (by `source`): the share of the question's topic words in its title and
    units together."""
    texts: dict[int, list[str]] = {}
    for c in candidates:
        texts.setdefault(c.source, [c.title]).append(f"{c.lead} {c.text}")
    return {source: coverage(asked, " ".join(parts)) for source, parts in texts.items()}


def select(question_parts: list[str], scored: Scored) -> tuple[list[int], list[int]]:
    """Indexes of the units to quote, in reading order, and of the core among them: the
    units chosen for a part of the question or a kind of fact it needs."""
    if not scored.candidates:
        return [], []
    overall, top = scored.overall, float(scored.overall.max())
    chosen: list[int] = []

    def add(i: int) -> None:
        if i not in chosen:
            chosen.append(i)

    add(int(np.argmax(overall)))  # the unit that best answers the whole question
    for p, part in enumerate(question_parts):
        wanted = needs(part)
        bonus = np.array([NEED_BONUS * len(wanted & f) for f in scored.facts], dtype=np.float32)
        fit = 0.55 * scored.per_part[:, p] + 0.45 * overall + bonus
        best = int(np.argmax(fit))
        if overall[best] >= 0.6 * top:
            add(best)
        for need in wanted - _stated(scored, chosen):
            able = [i for i, f in enumerate(scored.facts) if need in f and overall[i] >= 0.65 * top]
            if able:
                add(max(able, key=lambda i: fit[i]))
    core = list(chosen)
    for i in list(chosen):
        follow = _next_unit(scored.candidates, i)
        if (
            follow is not None
            and overall[follow] >= 0.55 * top
            and (Need.CONDITION in scored.facts[follow] or scored.facts[follow] - {Need.CONDITION})
        ):
            add(follow)
    for i in list(chosen):
        lead = scored.candidates[i]
        if lead.kind == "sentence" and lead.text.rstrip().endswith(":"):
            for j, other in enumerate(scored.candidates):
                if other.kind == "item" and other.source == lead.source and other.lead == lead.text:
                    add(j)  # a list's lead-in brings its items
    for i in list(chosen):
        for j in _list_of(scored.candidates, i):
            add(j)  # a short list is quoted whole: a part of it reads as the whole rule
    whole = _short_section(scored, chosen)
    if whole:
        chosen = sorted(set(chosen) | set(whole))
    wanted = set().union(*(needs(p) for p in question_parts))
    kept = _trim(scored, chosen, core, wanted)
    return kept, [i for i in core if i in kept]


def _stated(scored: Scored, chosen: list[int]) -> set[Need]:
    return set().union(*(scored.facts[i] for i in chosen)) if chosen else set()


def _next_unit(candidates: list[Sentence], i: int) -> int | None:
    unit = candidates[i]
    for j in range(i + 1, min(i + 3, len(candidates))):
        other = candidates[j]
        if other.source == unit.source and other.position == unit.position + 1:
            return j
    return None


def _list_of(candidates: list[Sentence], i: int) -> list[int]:
    """The other items of unit i's list (consecutive items of one passage under the same
    lead-in), when the list is short enough to quote whole; otherwise none."""
    unit = candidates[i]
    if unit.kind != "item":
        return []
    members = [i]
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(candidates):
            other = candidates[j]
            if other.kind != "item" or other.source != unit.source or other.lead != unit.lead:
                break
            members.append(j)
            j += step
    size = sum(len(candidates[j].text) for j in members)
    if len(members) <= SHORT_LIST_ITEMS and size <= SHORT_LIST_CHARS:
        return sorted(members)
    return []


def _short_section(scored: Scored, chosen: list[int]) -> list[int]:
    """Every unit of the best unit's passage, when that passage is one short section."""
    best = max(chosen, key=lambda i: scored.overall[i]) if chosen else None
    if best is None:
        return []
    source = scored.candidates[best].source
    members = [i for i, c in enumerate(scored.candidates) if c.source == source]
    size = sum(len(scored.candidates[i].text) for i in members)
    if len(members) <= SHORT_SECTION_UNITS and size <= SHORT_SECTION_CHARS:
        return members
    return []


def _trim(scored: Scored, chosen: list[int], core: list[int], wanted: set[Need]) -> list[int]:
    """At most MAX_UNITS and MAX_CHARS: the core first, then units stating a kind of fact
    asked for, then the rest by score; reading order."""
    keep: list[int] = []
    length = 0

    def rank(i: int) -> tuple[bool, bool, float]:
        asked = bool(scored.facts[i] & wanted - {Need.CONDITION})
        return (i not in core, not asked, -float(scored.overall[i]))

    def sentence_of(i: int) -> tuple[int, str] | int:
        # The items of one list are rendered as one sentence, and count as one unit.
        unit = scored.candidates[i]
        return (unit.source, unit.lead) if unit.kind == "item" else i

    for i in sorted(chosen, key=rank):
        unit = scored.candidates[i]
        size = len(unit.text) + (len(unit.lead) if unit.kind != "item" else 0)
        units = {sentence_of(k) for k in keep}
        fits = len(units) < MAX_UNITS or sentence_of(i) in units
        if fits and (not keep or length + size <= MAX_CHARS):
            keep.append(i)
            length += size
    return sorted(keep, key=lambda i: (scored.candidates[i].source, scored.candidates[i].position))


def render(units: list[Sentence], number: dict[int, int]) -> str:
    """Complete sentences with citations: items of one list go after their lead-in ("To
    join you need: a smart meter; a registered charger."), `number` maps each unit's
    passage to its citation number."""
    parts: list[str] = []
    index = 0
    while index < len(units):
        unit = units[index]
        cite = f" [{number[unit.source]}]"
        if unit.kind == "item":
            items = [unit.text.rstrip(" .;")]
            while (
                index + 1 < len(units)
                and units[index + 1].kind == "item"
                and units[index + 1].source == unit.source
                and units[index + 1].lead == unit.lead
            ):
                index += 1
                items.append(units[index].text.rstrip(" .;"))
            lead = (unit.lead or unit.title.rsplit(" > ", 1)[-1]).rstrip(" :")
            text = f"{lead}: {'; '.join(items)}." if lead else "; ".join(items) + "."
        elif unit.text.rstrip().endswith(":"):
            index += 1
            continue  # a lead-in without its items says nothing
        else:
            text = unit.text if unit.text[-1] in ".!?" else unit.text + "."
        parts.append(text + cite)
        index += 1
    return " ".join(parts)
