"""`text_similarity`: fuzzy_match, bleu, gleu, rouge_1..5 and rouge_l computed here, and
cosine through the platform's embedding deployment. Every score is in [0, 1] (cosine in
[-1, 1]); the grader passes at its `pass_threshold`."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from tandem.apps.evals.graders.base import GradeEnv, Grader, GraderError, GradeResult, off_loop
from tandem.apps.evals.templates import Template
from tandem.errors import TandemError
from tandem.wire import EmbeddingRequest

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_LCS_TOKENS = 3000


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.lower())


def ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    """The n-grams of a token list, counted."""
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def fuzzy_match(candidate: str, reference: str) -> float:
    """Character-level similarity: 2·matches / total length (difflib, no junk heuristic)."""
    if not candidate and not reference:
        return 1.0
    return SequenceMatcher(None, candidate, reference, autojunk=False).ratio()


def bleu(candidate: str, reference: str, max_n: int = 4) -> float:
    """Sentence BLEU-4 with the brevity penalty; n-gram orders above 1 are add-one smoothed
    (Lin and Och), so a short answer is not zero for missing one 4-gram."""
    cand, ref = tokens(candidate), tokens(reference)
    if not cand or not ref:
        return float(cand == ref)
    logs = 0.0
    for n in range(1, max_n + 1):
        have, want = ngrams(cand, n), ngrams(ref, n)
        matched = sum(min(c, want[g]) for g, c in have.items())
        total = max(0, len(cand) - n + 1)
        if n == 1:
            if matched == 0:
                return 0.0
            logs += math.log(matched / total)
        else:
            logs += math.log((matched + 1) / (total + 1))
    penalty = 1.0 if len(cand) >= len(ref) else math.exp(1 - len(ref) / len(cand))
    return penalty * math.exp(logs / max_n)


def gleu(candidate: str, reference: str, max_n: int = 4) -> float:
    """Google-BLEU: matched n-grams (1..4) over the larger of candidate and reference totals."""
    cand, ref = tokens(candidate), tokens(reference)
    if not cand or not ref:
        return float(cand == ref)
    matched = have_total = want_total = 0
    for n in range(1, max_n + 1):
        have, want = ngrams(cand, n), ngrams(ref, n)
        matched += sum(min(c, want[g]) for g, c in have.items())
        have_total += sum(have.values())
        want_total += sum(want.values())
    return matched / max(have_total, want_total, 1)


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if overlap == 0 or candidate == 0 or reference == 0:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1: clipped n-gram overlap."""
    have, want = ngrams(tokens(candidate), n), ngrams(tokens(reference), n)
    overlap = sum(min(c, want[g]) for g, c in have.items())
    return _f1(overlap, sum(have.values()), sum(want.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Longest common subsequence of two token lists (one row of the table at a time)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 over the longest common subsequence of words."""
    cand, ref = tokens(candidate), tokens(reference)
    if max(len(cand), len(ref)) > MAX_LCS_TOKENS:
        raise GraderError(f"rouge_l compares texts of at most {MAX_LCS_TOKENS} words")
    return _f1(lcs_length(cand, ref), len(cand), len(ref))


def _rouge(n: int) -> Callable[[str, str], float]:
    return lambda candidate, reference: rouge_n(candidate, reference, n)


METRICS: dict[str, Callable[[str, str], float]] = {
    "fuzzy_match": fuzzy_match,
    "bleu": bleu,
    "gleu": gleu,
    "rouge_l": rouge_l,
    **{f"rouge_{n}": _rouge(n) for n in range(1, 6)},
}
UNSUPPORTED = {"meteor": "meteor needs WordNet, which Tandem does not ship; use rouge_l or bleu"}


def cosine(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """Cosine similarity of two vectors (0 when either is zero)."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm else 0.0


class TextSimilarityGrader(Grader):
    """A similarity metric between the rendered input and reference."""

    type = "text_similarity"

    def __init__(
        self, name: str, metric: str, input: Template, reference: Template, threshold: float
    ) -> None:
        super().__init__(name)
        self.metric = metric
        self.input = input
        self.reference = reference
        self.threshold = threshold

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        text = self.render(self.input, scope, env)
        reference = self.render(self.reference, scope, env)
        if self.metric == "cosine":
            score = await self._cosine(text, reference, env)
            return GradeResult(score, score >= self.threshold)
        measure = METRICS[self.metric]

        def work() -> GradeResult:
            score = measure(text, reference)
            return GradeResult(score, score >= self.threshold)

        return await off_loop(len(text) + len(reference), work)

    async def _cosine(self, text: str, reference: str, env: GradeEnv) -> float:
        if not text.strip() or not reference.strip():
            return float(text.strip() == reference.strip())
        request = EmbeddingRequest(input=[text, reference])
        try:
            result = await env.models.embed(env.ctx(), request, env.embedding_deployment)
        except TandemError as exc:
            raise GraderError(f"embedding on '{env.embedding_deployment}' failed: {exc}") from exc
        env.count(env.embedding_deployment, result.get("usage"))
        rows = [np.asarray(row["embedding"], dtype=np.float64) for row in result["data"]]
        return cosine(rows[0], rows[1])
