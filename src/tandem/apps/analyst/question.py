"""A question read before it is planned: spelling put right, periods, thresholds and
top-N limits taken out, and what remains linked to the semantic model (with phrases the
embedding model matched, when the service found some)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlglot import exp

from tandem.apps.analyst.linking import Item, Kind, Lexicon, Link, Linked
from tandem.apps.analyst.periods import Window, grain_of, windows
from tandem.apps.analyst.semantic import SemanticModel
from tandem.apps.analyst.slots import runs

_COMPARE = re.compile(
    r"\b(over|above|more than|greater than|exceeding|at least|under|below|less than|at most"
    r"|fewer than|>=|<=|>|<)\s*(?:of\s*)?[$€£]?\s*(-?[\d,]*\.?\d+)\s*(k\b|%)?"
)
_OPS = {
    "over": exp.GT,
    "above": exp.GT,
    "more than": exp.GT,
    "greater than": exp.GT,
    "exceeding": exp.GT,
    "at least": exp.GTE,
    ">=": exp.GTE,
    ">": exp.GT,
    "under": exp.LT,
    "below": exp.LT,
    "less than": exp.LT,
    "fewer than": exp.LT,
    "at most": exp.LTE,
    "<=": exp.LTE,
    "<": exp.LT,
}
_TOP = re.compile(
    r"\b(top|bottom|best|worst|highest|lowest|largest|smallest|biggest|first|last)\s+(\d+)\b"
    r"|\b(\d+)\s+(?:biggest|largest|highest|top|best|most)\b"
    r"|\b(?:which|what|the|name the|list the)\s+(\d{1,2})\s+(?!%|percent|per\b)[a-z]"
)
_OR_MORE = re.compile(
    r"(-?[\d,]*\.?\d+)\s*(k\b|%)?\s*(or more|or above|or higher|or greater|and up|and above"
    r"|\+|or less|or fewer|or below|or lower|and below|and under)"
)


# Rankings said in words: "the 2 least common treatments", "busiest clinician".
_IDIOMS = (
    (
        re.compile(r"\b(\d+)\s+(least|most)\s+(?:common|popular|frequent|frequently \w+)\b"),
        lambda m: f"{'bottom' if m.group(2) == 'least' else 'top'} {m.group(1)} ",
    ),
    (
        re.compile(r"\b(least|most)\s+(?:common|popular|frequent|frequently \w+)\b"),
        lambda m: f"{'bottom' if m.group(1) == 'least' else 'top'} 1 ",
    ),
    (re.compile(r"\bbusiest\b"), lambda m: "top 1 "),
    (re.compile(r"\bquietest\b"), lambda m: "bottom 1 "),
)


@dataclass
class Parsed:
    """The question's parts before they become a plan."""

    q: str
    linked: Linked
    windows: list[Window]
    grain: str | None
    limit: int | None
    thresholds: list[tuple[type[exp.Binary], float, int]]
    rest: str = ""  # the question less its periods ("last month" is not "the last order")


def read(
    question: str,
    model: SemanticModel,
    today: date,
    hints: dict[str, tuple[Kind, Item]] | None = None,
) -> Parsed:
    """The question corrected for spelling, its periods, thresholds and limit taken out,
    and the rest linked to the semantic model."""
    lexicon = Lexicon(model)
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", question.lower())
    text = text.replace("\u2013", " - ").replace("\u2014", " , ")  # en and em dashes
    for pattern, replacement in _IDIOMS:
        text = pattern.sub(replacement, text)
    q = lexicon.correct(" " + re.sub(r"[?!,;()]", " ", text).replace("'s ", " ") + " ")
    found, spans = windows(q, today)
    rest = q
    for span in spans:
        rest = rest.replace(span, " ")
    thresholds: list[tuple[type[exp.Binary], float, int]] = []
    for m in _COMPARE.finditer(rest):
        number = float(m.group(2).replace(",", "")) * (1000 if m.group(3) == "k" else 1)
        thresholds.append(
            (_OPS[m.group(1)], number / 100 if m.group(3) == "%" else number, m.start())
        )
    for m in _OR_MORE.finditer(rest):
        number = float(m.group(1).replace(",", "")) * (1000 if m.group(2) == "k" else 1)
        op = (
            exp.GTE
            if re.match(r"(?:or|and) (?:more|above|higher|greater|up)|\+", m.group(3))
            else exp.LTE
        )
        thresholds.append((op, number / 100 if m.group(2) == "%" else number, m.start()))
    rest = _OR_MORE.sub(" ", rest)
    limit = None
    if top := _TOP.search(rest):
        limit = int(top.group(2) or top.group(3) or top.group(4))
    rest = _COMPARE.sub(lambda m: f" {m.group(1)} ", rest)
    rest = re.sub(r"\b\d+\b", " ", rest)
    linked = lexicon.link(rest)
    if hints:
        _apply_hints(linked, hints)
    return Parsed(q, linked, found, grain_of(q), limit, thresholds, rest)


def _apply_hints(linked: Linked, hints: dict[str, tuple[Kind, Item]]) -> None:
    """Phrases the embedding model matched to a name: the longest first within each run."""
    for run in runs(linked):
        i = 0
        while i < len(run):
            for j in range(len(run), i, -1):
                phrase = " ".join(w for _, w in run[i:j])
                if phrase in hints:
                    start, end = run[i][0], run[j - 1][0] + 1
                    linked.links.append(Link(start, end, phrase, [hints[phrase]], fuzzy=True))
                    for item in run[i:j]:
                        linked.unknown.remove(item)
                    i = j
                    break
            else:
                i += 1
    linked.links.sort(key=lambda link: link.start)
