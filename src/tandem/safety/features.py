"""Features of the learned stage: word uni- and bigrams and character n-grams of words,
and the static MiniLM vector of a text (WordPiece tokens, as all-MiniLM-L6-v2 reads them).

Shared by the training script and the runtime so both read a text the same way. Character
n-grams (3 to 5, with word boundaries) carry misspellings, inflections and unseen compounds
("killin", "suicidal"); bigrams carry what a word is about ("kill process" against "kill
him"). Each word's n-grams are cached, so a KB of text costs about one dict lookup per word.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import numpy.typing as npt

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


SENTENCE_WORDS = 4  # a shorter line ("Dear Mr Patel,") is judged in its window only


def sentences(text: str) -> list[str]:
    """The text's sentences (or lines) of SENTENCE_WORDS words or more: each is judged
    alone too, because a window that holds one harmful sentence among ordinary ones reads
    milder; a greeting or a sign-off alone gives the network too little to go on."""
    found = [s.strip() for s in _SENTENCE.findall(text)]
    return [s for s in found if len(s.split()) >= SENTENCE_WORDS] if len(found) > 1 else []


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


# -- WordPiece (BERT uncased), for the static token vectors -------------------------------

_PIECE_WORD = re.compile(r"[^\W_]+|[^\w\s]|_")
MAX_WORD_CHARS = 100
_PIECE_CACHE = 200_000  # words whose WordPiece ids are kept


def _fold(text: str) -> str:
    """BERT uncased's normalisation: lower case, accents stripped."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def piece_words(text: str) -> list[str]:
    """The words WordPiece splits further: runs of word characters and single punctuation."""
    return _PIECE_WORD.findall(_fold(text))


def wordpieces(word: str, pieces: dict[str, int], unknown: int) -> tuple[int, ...]:
    """Greedy longest-match-first WordPiece ids of one word (BERT's algorithm)."""
    if len(word) > MAX_WORD_CHARS:
        return (unknown,)
    out: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end] if start == 0 else f"##{word[start:end]}"
            if (found := pieces.get(piece)) is not None:
                break
            end -= 1
        if found is None:
            return (unknown,)
        out.append(found)
        start = end
    return tuple(out)


class StaticVectors:
    """A text's static vector: the sum of its WordPiece tokens' vectors, unit length
    (zeros for a text with no tokens). Each word's pieces are cached."""

    def __init__(self, pieces: dict[str, int], table: npt.NDArray[np.float32]) -> None:
        self.pieces, self.table = pieces, table
        self.unknown = pieces["[UNK]"]
        self._rows: dict[str, tuple[int, ...]] = {}

    def ids(self, text: str) -> list[int]:
        """The WordPiece ids of a text."""
        cache, out = self._rows, list[int]()
        for word in piece_words(text):
            rows = cache.get(word)
            if rows is None:
                if len(cache) > _PIECE_CACHE:
                    cache.clear()
                rows = cache[word] = wordpieces(word, self.pieces, self.unknown)
            out.extend(rows)
        return out

    def __call__(self, text: str) -> npt.NDArray[np.float32]:
        row: npt.NDArray[np.float32] = self.many([text])[0]
        return row

    def many(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One row per text, with one gather and one segmented sum for them all."""
        found = [self.ids(t) for t in texts]
        flat = [i for ids in found for i in (ids or [self.unknown])]
        starts = np.cumsum([0] + [max(len(ids), 1) for ids in found[:-1]])
        summed = np.add.reduceat(self.table[flat], starts, axis=0)
        summed[[not ids for ids in found]] = 0
        norms = np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-6)
        out: npt.NDArray[np.float32] = (summed / norms).astype(np.float32)
        return out
