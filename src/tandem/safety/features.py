"""Features of the learned stage: word uni- and bigrams and character n-grams of words.

Shared by the training script and the runtime so both read a text the same way. Character
n-grams (3 to 5, with word boundaries) carry misspellings, inflections and unseen compounds
("killin", "suicidal"); bigrams carry what a word is about ("kill process" against "kill
him"). Each word's n-grams are cached, so a KB of text costs about one dict lookup per word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?!`$<>\[\]{}#|/*]")
# Sentences, or lines (documents and code); windows join them up to WINDOW_CHARS.
# A full stop between digits ("$48.2 million") does not end a sentence.
SENTENCE_BODY = r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+"
_SENTENCE = re.compile(rf"{SENTENCE_BODY}[.!?\n]*|[.!?\n]+")
WINDOW_CHARS = 120  # about one sentence: a harmful one is not diluted by its neighbours


def tokens(text: str) -> list[str]:
    """Lower-case words and the punctuation that carries meaning here (?, !, code marks)."""
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=65_536)
def word_grams(word: str) -> tuple[str, ...]:
    """'w:word' and its character 3-5-grams with boundary marks."""
    if not word[0].isalnum():
        return (f"w:{word}",)
    marked = f"<{word}>"
    grams = [f"w:{word}"]
    for n in (3, 4, 5):
        grams.extend(f"c:{marked[i : i + n]}" for i in range(len(marked) - n + 1))
    return tuple(grams)


def grams(text: str) -> set[str]:
    """Every feature name of one text (a set: presence, not counts)."""
    words = tokens(text)
    out: set[str] = set()
    for word in words:
        out.update(word_grams(word))
    out.update(f"b:{a}_{b}" for a, b in itertools.pairwise(words))
    return out


def windows(text: str, size: int = WINDOW_CHARS) -> list[str]:
    """The text cut at sentence ends into pieces of about `size` characters: a harmful
    sentence inside a long benign text is judged on its own, not averaged away."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    current = ""
    for sentence in _SENTENCE.findall(text):
        if current and len(current) + len(sentence) > size:
            out.append(current)
            current = ""
        current += sentence
        while len(current) > size * 2:  # one very long sentence (code, a list, no stops)
            cut = current.rfind(" ", 0, size) + 1 or size
            out.append(current[:cut])
            current = current[cut:]
    if current.strip():
        out.append(current)
    return out


def sentences(text: str) -> list[str]:
    """The text's sentences (or lines) of three words or more: each is judged alone too,
    because a window that holds one harmful sentence among ordinary ones reads milder."""
    found = [s.strip() for s in _SENTENCE.findall(text)]
    return [s for s in found if len(s.split()) >= 3] if len(found) > 1 else []


def indices(text: str, vocabulary: dict[str, int]) -> list[int]:
    """The vocabulary indices of a text's features (unknown ones dropped), sorted."""
    return sorted({i for g in grams(text) if (i := vocabulary.get(g)) is not None})


def vocabulary_of(texts: Iterable[str], min_count: int = 2) -> dict[str, int]:
    """Features seen in at least `min_count` texts, indexed in sorted order (reproducible)."""
    counts: dict[str, int] = {}
    for text in texts:
        for gram in grams(text):
            counts[gram] = counts.get(gram, 0) + 1
    kept = sorted(g for g, c in counts.items() if c >= min_count)
    return {g: i for i, g in enumerate(kept)}
