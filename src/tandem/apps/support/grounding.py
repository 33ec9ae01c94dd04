"""The grounded prompt for a model, and the check that its answer sticks to the passages."""

from __future__ import annotations

import re

from tandem.apps.support.evidence import content_terms, sentences
from tandem.knowledge.store import Hit
from tandem.knowledge.text import split_sentences

SYSTEM = (
    "You are a customer support assistant for {name}. Answer the customer's question using "
    "only the numbered passages. Be brief and friendly. After each fact, cite its passage "
    "like [1]. If the passages do not answer the question, reply exactly: NOT FOUND"
)
MAX_PASSAGE_CHARS = 1200
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_CITATION = re.compile(r"\[(\d{1,2})\]")


def prompt(question: str, hits: list[Hit]) -> str:
    """The user turn: numbered passages, then the question."""
    passages = "\n\n".join(
        f"[{n}] {hit.title or hit.document}\n{hit.chunk[:MAX_PASSAGE_CHARS]}"
        for n, hit in enumerate(hits, start=1)
    )
    return f"Passages:\n{passages}\n\nQuestion: {question}"


def cited(answer: str, passages: int) -> list[int]:
    """Passage numbers cited in `answer` (valid ones, first mention order)."""
    seen: list[int] = []
    for match in _CITATION.finditer(answer):
        n = int(match.group(1))
        if 1 <= n <= passages and n not in seen:
            seen.append(n)
    return seen


_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|won't|don't|doesn't|isn't|aren't|wasn't|without|none|"
    r"nothing|neither|nor|non-refundable|unable)\b|n't\b",
    re.IGNORECASE,
)
_MODAL = re.compile(
    r"\b(must|can|cannot|may|will|should|need to|needs to|have to|has to|required to|only)"
    r"\s+((?:not\s+|be\s+|also\s+)*[a-z]+)",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"[$£€]?\d+(?:[.,:]\d+)*%?(?:\s?(?:p|kg|days?|hours?|weeks?|months?|years?|minutes?))?\b"
)
# Share of a sentence's topic words that must come from the one unit that supports it.
FROM_ONE_UNIT = 0.7
FROM_PASSAGES = 0.9


def claims(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences, each with the passages it cites (a citation that follows
    a sentence's full stop belongs to it)."""
    text = re.sub(r"([.!?])\s*((?:\[\d{1,2}\]\s*)+)", r" \2\1 ", answer.strip())
    found = []
    for sentence in split_sentences(text):
        numbers = [int(n) for n in _CITATION.findall(sentence)]
        bare = " ".join(_CITATION.sub("", sentence).split())
        if re.search(r"[A-Za-z]{3}", bare):
            found.append((bare, numbers))
    return found


def _stems(text: str) -> list[str]:
    return [w[:5] for w in re.findall(r"[a-z0-9]+", text.lower())]


def _modals_hold(sentence: str, unit: str) -> bool:
    """Each "must be deleted" / "can not" of the sentence reads the same in the unit."""
    said = " ".join(_stems(unit))
    for modal, rest in _MODAL.findall(sentence):
        if " ".join(_stems(f"{modal} {rest}")) not in said:
            return False
    return True


def supported(sentence: str, units: list[str]) -> bool:
    """Whether one of `units` (the cited passages' sentences) states `sentence`: its
    numbers with their units, its negation, its modal claims and most of its topic words
    come from that one unit, and nearly all of them from the units together."""
    words = content_terms(sentence)
    if not words or not units:
        return False
    everything = " ".join(units)
    if len(words & content_terms(everything)) / len(words) < FROM_PASSAGES:
        return False
    quantities = {q.lower() for q in _QUANTITY.findall(sentence)}
    for unit in sorted(units, key=lambda u: -len(words & content_terms(u))):
        if len(words & content_terms(unit)) / len(words) < FROM_ONE_UNIT:
            break
        if not quantities <= {q.lower() for q in _QUANTITY.findall(unit)}:
            continue
        if bool(_NEGATION.search(sentence)) != bool(_NEGATION.search(unit)):
            continue
        if _modals_hold(sentence, unit):
            return True
    return False


def grounded(answer: str, hits: list[Hit]) -> bool:
    """Whether a model's answer is supported sentence by sentence: each sentence cites a
    passage, and a sentence of the passages it cites states it (numbers, negations,
    entities and modal claims included; topic words in common are not enough)."""
    text = answer.strip()
    if not text or "NOT FOUND" in text or not cited(text, len(hits)):
        return False
    sentences = claims(text)
    if not sentences:
        return False
    for sentence, numbers in sentences:
        sources = [hits[n - 1] for n in numbers if 1 <= n <= len(hits)]
        if not sources:
            return False
        units = [u for h in sources for u in passage_units(h)]
        if not supported(sentence, units):
            return False
    return True


def passage_units(hit: Hit) -> list[str]:
    """A passage's sentences, items (with their lead-in) and rows, as plain text."""
    return [f"{u.lead} {u.text}".strip() for u in sentences([hit])]
