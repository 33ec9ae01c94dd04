"""The grounded prompt for a model, and the check that its answer sticks to the passages."""

from __future__ import annotations

import re

from tandem.apps.support.evidence import content_terms
from tandem.knowledge.store import Hit

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


def grounded(answer: str, hits: list[Hit]) -> bool:
    """Whether a model's answer is supported: it cites a passage, every number in it occurs
    in the passages, and most of its topic words do too."""
    text = answer.strip()
    if not text or "NOT FOUND" in text or not cited(text, len(hits)):
        return False
    evidence = " ".join(f"{h.title} {h.chunk}" for h in hits)
    numbers = set(_NUMBER.findall(_CITATION.sub("", text)))
    if not numbers <= set(_NUMBER.findall(evidence)):
        return False
    words = content_terms(_CITATION.sub("", text))
    if not words:
        return False
    return len(words & content_terms(evidence)) / len(words) >= 0.75
