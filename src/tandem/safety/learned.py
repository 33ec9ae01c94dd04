"""The learned stage: a small network over word and character n-grams that judges meaning.

One hidden layer (ReLU) over the features of `features.py` and, beside them, the text's
static MiniLM vector (its WordPiece tokens' vectors summed; the vectors are distilled from
all-MiniLM-L6-v2 model2vec-style, so words the corpus never had still land near the words
they mean, at the cost of a table lookup per token), then one sigmoid per head: three
ordinal heads per harm category (severity >= 2, >= 4, >= 6 on Azure's scale), jailbreak,
indirect attack, and minors (sexual content involving minors, severity 7). The shipped
network is a seed ensemble stored as one network (hidden layers side by side, logits
averaged). Weights ship in the package (`weights/learned.npz`) with their SHA-256 beside
them and are rebuilt by `training/safety/train.py`; thresholds per head were chosen on the
training corpus's own dev split.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tandem.safety.categories import Category
from tandem.safety.features import StaticVectors, sentences, tokens, windows, word_grams

WEIGHTS = Path(__file__).parent / "weights" / "learned.npz"
MIN_WORDS = 3
_WORDS = re.compile(r"\w+")
Array = npt.NDArray[np.float32]
_WORD_CACHE = 200_000  # words whose feature rows are kept (a few tens of MB at most)


class WeightsChecksumError(RuntimeError):
    """The shipped weights do not match their checksum (a broken or altered install)."""


@dataclass(frozen=True)
class Judgement:
    """What the learned stage made of one text: probabilities per head, worst window."""

    probabilities: dict[str, float]
    thresholds: dict[str, float]
    evidence: dict[str, str]

    def severity(self, category: Category) -> int:
        """0, 2, 4 or 6 from the ordinal heads (7: sexual content involving minors); a level
        counts only when every level below it fires too."""
        severity = 0
        for level in (2, 4, 6):
            head = f"{category.value}_{level}"
            if self.probabilities[head] < self.thresholds[head]:
                break
            severity = level
        if category is Category.SEXUAL and severity >= 4 and self.flag("minors"):
            return 7
        return severity

    def flag(self, head: str) -> bool:
        """Whether a binary head (jailbreak, indirect, minors) fires."""
        return self.probabilities[head] >= self.thresholds[head]

    def unsure(self, category: Category, margin: float = 0.5) -> bool:
        """Whether the low head is within `margin` of its threshold (in probability ratio)."""
        head = f"{category.value}_2"
        return self.probabilities[head] >= self.thresholds[head] * margin


def checksum(path: Path) -> str:
    """SHA-256 of a file, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class LearnedModel:
    """The shipped network, loaded once (checksum verified) and read-only afterwards."""

    def __init__(self, path: Path = WEIGHTS) -> None:
        self.path = path

    @cached_property
    def _weights(self) -> dict[str, npt.NDArray[np.generic]]:
        expected = self.path.with_suffix(".sha256").read_text().split()[0]
        if checksum(self.path) != expected:
            raise WeightsChecksumError(f"{self.path} does not match its SHA-256 ({expected})")
        with np.load(self.path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}

    @cached_property
    def vocabulary(self) -> dict[str, int]:
        """Feature name → row of the first layer."""
        return {str(g): i for i, g in enumerate(self._weights["vocabulary"])}

    @cached_property
    def heads(self) -> tuple[str, ...]:
        """Output names, in order."""
        return tuple(str(h) for h in self._weights["heads"])

    @cached_property
    def thresholds(self) -> dict[str, float]:
        """Decision threshold per head."""
        values = self._weights["thresholds"].astype(float)
        return dict(zip(self.heads, values.tolist(), strict=True))

    @cached_property
    def _layers(self) -> tuple[Array, Array, Array, Array]:
        w = self._weights
        return (
            w["w1"].astype(np.float32),
            w["b1"].astype(np.float32),
            w["w2"].astype(np.float32),
            w["b2"].astype(np.float32),
        )

    @cached_property
    def _static(self) -> tuple[StaticVectors, Array] | None:
        """The static vectors and their first-layer weights (None: n-grams alone)."""
        w = self._weights
        if "static" not in w:
            return None
        pieces = {str(p): i for i, p in enumerate(w["pieces"])}
        return StaticVectors(pieces, w["static"].astype(np.float32)), w["wd"].astype(np.float32)

    def static_vectors(self) -> tuple[StaticVectors, Array]:
        """The static vectors and their first-layer weights (weights that have them)."""
        if self._static is None:
            raise ValueError(f"{self.path} has no static vectors")
        return self._static

    def _indices(self, text: str) -> list[int]:
        """Feature rows of a text: the same set as features.indices, from per-word caches."""
        vocabulary, cache = self.vocabulary, self._word_rows
        words = tokens(text)
        found: set[int] = set()
        for word in words:
            rows = cache.get(word)
            if rows is None:
                if len(cache) > _WORD_CACHE:
                    cache.clear()
                rows = cache[word] = tuple(
                    i for g in word_grams(word) if (i := vocabulary.get(g)) is not None
                )
            found.update(rows)
        for a, b in itertools.pairwise(words):
            if (i := vocabulary.get(f"b:{a}_{b}")) is not None:
                found.add(i)
        return sorted(found)

    @cached_property
    def _word_rows(self) -> dict[str, tuple[int, ...]]:
        return {}

    def probabilities(self, texts: list[str]) -> Array:
        """Sigmoid outputs, one row per text."""
        w1, b1, w2, b2 = self._layers
        static = self._static
        # Every text's feature rows in one gather and one segmented sum (a text with none
        # sums to zero: its slot holds row 0, zeroed after).
        found = [self._indices(text) for text in texts]
        counts = np.array([len(rows) for rows in found], dtype=np.float32)
        flat = [i for rows in found for i in (rows or [0])]
        starts = np.cumsum([0] + [max(len(rows), 1) for rows in found[:-1]])
        hidden = np.add.reduceat(w1[flat], starts, axis=0)
        hidden *= (np.where(counts > 0, 1 / np.sqrt(np.maximum(counts, 1)), 0))[:, None]
        if static is not None:
            vectors, wd = static
            hidden += vectors.many(texts) @ wd
        hidden = np.maximum(hidden + b1, 0)
        logits = hidden @ w2 + b2
        out: Array = 1 / (1 + np.exp(-np.clip(logits, -60.0, 60.0)))
        return out

    def judge(self, forms: list[str]) -> Judgement:
        """The worst window over every form of a text (as written, de-obfuscated ...)."""
        pieces = [w for form in forms for w in windows(form) if w.strip()]
        pieces += [s for form in forms for s in sentences(form) if s not in pieces]
        # A piece of one or two words gives the network too little to go on: a single word
        # seen mostly in harmful texts scores as if it were one ("world", "cut"). Short
        # harm ("kys", "kill yourself") is the pattern stage's.
        pieces = [p for p in pieces if len(_WORDS.findall(p)) >= MIN_WORDS] or [""]
        scores = self.probabilities(pieces)
        worst = scores.max(axis=0).tolist()
        where = scores.argmax(axis=0).tolist()
        return Judgement(
            dict(zip(self.heads, worst, strict=True)),
            self.thresholds,
            {head: pieces[i].strip()[:200] for head, i in zip(self.heads, where, strict=True)},
        )

    def warm(self) -> None:
        """Load and verify the weights now rather than on the first request."""
        self.judge(["warm up"])
