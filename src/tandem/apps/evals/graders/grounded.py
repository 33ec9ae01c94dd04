"""Groundedness without a judge: each sentence of the answer must be supported by one of the
given passages (most of its content words there, and every number it states). The score is
the share of supported sentences."""

from __future__ import annotations

import re
from typing import Any

from tandem.apps.evals.graders.base import GradeEnv, Grader, GraderError, GradeResult, off_loop
from tandem.apps.evals.templates import Template, as_text

SUPPORT = 0.6
MAX_PASSAGES = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z][a-z'\-]+|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_STOP_WORDS = (
    "a an and are as at be been but by can could did do does for from had has have he her his "
    "i if in into is it its me my no not of on or our she so than that the their them then "
    "there these they this those to was we were what when where which who will with would "
    "you your yes also just about over very more most some any all each"
)
_STOP = frozenset(_STOP_WORDS.split())
_SUFFIXES = ("ing", "ies", "ied", "es", "ed", "ly", "s")


def stem(word: str) -> str:
    """A crude suffix strip so 'costs' meets 'cost' and 'shipped' meets 'ship'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The stemmed words that carry meaning (no stop words, no numbers)."""
    words = _WORD.findall(text.lower())
    return {stem(w) for w in words if w not in _STOP and not w[0].isdigit()}


def numbers(text: str) -> set[str]:
    """Numbers as written, without thousands separators."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def passage_texts(value: Any) -> list[str]:
    """Passages from a string, a list of strings, or a list of {text|content} objects."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise GraderError("passages must be a string or a list of passages")
    texts = []
    for entry in value[:MAX_PASSAGES]:
        if isinstance(entry, dict):
            entry = entry.get("text", entry.get("content", ""))
        texts.append(as_text(entry))
    return texts


def groundedness(answer: str, passages: list[str]) -> tuple[float, list[str]]:
    """The share of the answer's sentences some passage supports, and those it does not."""
    indexed = [(content_words(p), numbers(p)) for p in passages]
    supported = total = 0
    unsupported: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(answer)):
        words, nums = content_words(sentence), numbers(sentence)
        if not words and not nums:
            continue
        total += 1
        if any(_supports(words, nums, pw, pn) for pw, pn in indexed):
            supported += 1
        else:
            unsupported.append(sentence[:200])
    if total == 0:
        return 0.0, ["the answer states nothing"]
    return supported / total, unsupported


def _supports(words: set[str], nums: set[str], passage: set[str], passage_nums: set[str]) -> bool:
    if not nums <= passage_nums:
        return False
    return not words or len(words & passage) / len(words) >= SUPPORT


class GroundednessGrader(Grader):
    """Passes when at least `pass_threshold` of the sentences are supported."""

    type = "groundedness"

    def __init__(self, name: str, input: Template, passages: Template, threshold: float) -> None:
        super().__init__(name)
        self.input = input
        self.passages = passages
        self.threshold = threshold

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        answer = self.render(self.input, scope, env)
        passages = passage_texts(self.value(self.passages, scope))

        def work() -> GradeResult:
            score, unsupported = groundedness(answer, passages)
            details = {"unsupported": unsupported[:5]} if unsupported else {}
            return GradeResult(score, score >= self.threshold, details)

        return await off_loop(len(answer) + sum(map(len, passages)), work)
