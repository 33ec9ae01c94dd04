"""Sentences, figures and terms: the pieces every deterministic floor is made of."""

from __future__ import annotations

import re
from collections import Counter

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_SCALE = r"(?:\s?(?:million|billion|thousand|trillion|bn|m|k)\b)?"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# Amounts, percentages, dates, times and counts, longest forms first so "12 March 2025" is
# one figure, not "12" and "2025".
FIGURE = re.compile(
    rf"(?:\b\d{{1,2}}\s(?:{_MONTHS})\s\d{{4}}\b"
    rf"|\b(?:{_MONTHS})\s\d{{1,2}},?\s\d{{4}}\b"
    rf"|\b(?:{_MONTHS})\s\d{{4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}:\d{2}\b"
    rf"|[$€£¥₹]\s?{_NUM}{_SCALE}"
    rf"|[+\-\u2212]?{_NUM}\s?%"
    rf"|(?<![\w.])[+\-]{_NUM}"
    rf"|\b{_NUM}{_SCALE})"
)
_ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "no", "inc", "ltd", "st"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(£$€])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "which",
        "will",
        "with",
        "would",
        "you",
        "your",
        "not",
        "no",
        "can",
        "may",
        "also",
        "than",
        "per",
        "after",
        "before",
        "over",
        "under",
        "all",
        "any",
        "each",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "so",
        "too",
        "very",
        "just",
        "should",
        "could",
        "must",
        "about",
        "up",
        "out",
        "if",
        "what",
        "when",
        "who",
        "whom",
        "how",
        "why",
        "where",
        "while",
        "between",
        "both",
        "during",
        "through",
    ]
)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (Office files are XML)."""
    return _NOT_XML.sub("", text)


def reflow(text: str) -> str:
    """One paragraph's hard-wrapped lines joined into one line (hyphenated breaks mended)."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return " ".join(text.split())


def sentences(paragraph: str) -> list[str]:
    """A re-flowed paragraph split into sentences (abbreviations and decimals kept whole)."""
    flat = reflow(paragraph)
    if not flat:
        return []
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(flat):
        before = flat[start : match.start()].rstrip("\"')]")
        last = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        parts.append(flat[start : match.start()].strip())
        start = match.end()
    parts.append(flat[start:].strip())
    return [p for p in parts if p]


def figures(text: str) -> list[str]:
    """The figures in `text`, as written, in order."""
    found = [m.group(0).strip() for m in FIGURE.finditer(text)]
    return [f for f in found if any(ch.isdigit() for ch in f)]


def figure_key(figure: str) -> str:
    """A figure reduced to what must not change: digits, separators, signs and symbols."""
    return re.sub(r"\s+", "", figure.replace("\u2212", "-")).lower()


def foreign_figures(text: str, source: str) -> list[str]:
    """Figures in `text` that `source` does not hold (made up, or altered)."""
    known = {figure_key(f) for f in figures(source)}
    # A bare number counts as known when it appears inside a source figure ("48.2" of "$48.2").
    digits = {re.sub(r"[^\d.]", "", k) for k in known}
    out = []
    for figure in figures(text):
        key = figure_key(figure)
        if key not in known and re.sub(r"[^\d.]", "", key) not in digits:
            out.append(figure)
    return out


def terms(text: str) -> list[str]:
    """Content words, lower-cased, crudely singular."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or len(word) < 3:
            continue
        out.append(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return out


def term_weights(texts: list[str]) -> Counter[str]:
    """How often each content word occurs across `texts`."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms(text))
    return counts


def shorten(sentence: str, max_words: int = 22) -> str:
    """A sentence cut to a bullet: at a clause boundary before `max_words`, figures kept."""
    words = sentence.split()
    if len(words) <= max_words:
        return sentence.rstrip(".")
    head = " ".join(words[:max_words])
    for mark in ("; ", ", which", ", while", ", and", ", but", ", "):
        cut = head.rfind(mark)
        if cut > len(head) // 2:
            head = head[:cut]
            break
    # A figure cut in half, or left out past the cut, is worse than a long bullet.
    kept = {figure_key(f) for f in figures(head)}
    if any(figure_key(f) not in kept for f in figures(sentence)):
        return sentence.rstrip(".")
    return head.rstrip(",;:") + "…"
