"""Whole English words, as the packaged embedding model's word-piece vocabulary holds them:
a question word found there is a word in its own right ("send", "left"), not a misspelling
of a name that differs from it by one letter ("spend", "lift")."""

from __future__ import annotations

import functools
import re


@functools.cache
def english_words() -> frozenset[str]:
    """The vocabulary's whole lower-case words of three letters or more (empty where the
    embedding model's package is not installed)."""
    try:
        from tandem.backends.minilm import packaged_model_dir

        text = (packaged_model_dir() / "vocab.txt").read_text(encoding="utf-8")
    except (OSError, ImportError):
        return frozenset()
    return frozenset(w for w in text.split() if len(w) >= 3 and re.fullmatch(r"[a-z]+", w))


def inflects(word: str, other: str) -> bool:
    """Whether two words differ only at their ends ("spent" and "spend", "taken" and
    "take"), as an inflection does, rather than in their stems ("send" and "spend")."""
    shared = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= min(len(word), len(other)) - 1
