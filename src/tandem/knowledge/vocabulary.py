"""A knowledge base's own vocabulary, for reading queries the way customers type them.

Learned from the documents themselves: which words occur (for spelling tolerance: a query
word the documents never use is matched to the closest word they do use), and which
phrases they name, with the short forms customers use for them: initials ("PSR" for
"Priority Services Register"), clipped compounds ("amex" for "American Express") and
abbreviations the documents define ("Service Level Agreement (SLA)"). Chat shorthand that
is the same in every domain ("u", "b4", "hrs") is a small fixed table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

SHORTHAND = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "b4": "before",
    "hrs": "hours",
    "hr": "hour",
    "mins": "minutes",
    "min": "minutes",
    "wk": "week",
    "wks": "weeks",
    "mo": "month",
    "mos": "months",
    "yr": "year",
    "yrs": "years",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "acct": "account",
    "acc": "account",
    "info": "information",
    "w/": "with",
    "w/o": "without",
    "bc": "because",
    "cuz": "because",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "asap": "soon",
    "approx": "approximately",
    "amt": "amount",
    "qty": "quantity",
    "msg": "message",
    "txt": "text",
    "pw": "password",
    "pwd": "password",
    "addr": "address",
    "intl": "international",
    "int'l": "international",
    "dept": "department",
    "til": "until",
    "till": "until",
    "whats": "what is",
    "hows": "how is",
    "cant": "cannot",
    "wont": "will not",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "havent": "have not",
    "isnt": "is not",
    "im": "i am",
    "ive": "i have",
    "id": "identification",
    "kg": "kg",
    "lbs": "pounds",
    "lb": "pound",
    "cc": "credit card",
    "dd": "direct debit",
}
_WORD = re.compile(r"[a-z][a-z0-9'\u2019]*[a-z0-9]|[a-z0-9]+")
_PHRASE = re.compile(
    r"\b(?:[A-Z][a-z]+|[A-Z]{2,}|\d+)(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,}|\d+|of|and|&)){1,4}"
)
_DEFINED = re.compile(r"\b([A-Z][A-Za-z]+(?: [A-Za-z&]+){1,5}) \(([A-Z][A-Za-z0-9]{1,9})\)")
_DEFINED_REVERSE = re.compile(r"\b([A-Z][A-Z0-9]{1,9}) \(([A-Z][A-Za-z]+(?: [A-Za-z&]+){1,5})\)")
MAX_PHRASES = 20_000


@dataclass
class Vocabulary:
    """Word counts and short forms of one knowledge base."""

    words: Counter[str] = field(default_factory=Counter)
    short: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: Iterable[str]) -> Vocabulary:
        """From the knowledge base's chunk texts and section titles."""
        vocabulary = cls()
        phrases: Counter[str] = Counter()
        for text in texts:
            vocabulary.words.update(_WORD.findall(text.lower()))
            if len(phrases) < MAX_PHRASES:
                phrases.update(m.group(0) for m in _PHRASE.finditer(text))
            for long, abbreviation in _DEFINED.findall(text):
                vocabulary.short[abbreviation.lower()] = long.lower()
            for abbreviation, long in _DEFINED_REVERSE.findall(text):
                vocabulary.short[abbreviation.lower()] = long.lower()
        for phrase in phrases:
            for form, meaning in short_forms(phrase).items():
                if form not in vocabulary.words and form not in vocabulary.short:
                    vocabulary.short[form] = meaning
        return vocabulary

    def correct(self, word: str) -> str | None:
        """The documents' word closest to `word` (one edit for short words, two for long
        ones), the most frequent on ties; None when nothing is close."""
        if len(word) < 4 or not word.isalpha():
            return None
        allowed = 1 if len(word) < 8 else 2
        best: tuple[int, int, str] | None = None
        for known, count in self.words.items():
            if abs(len(known) - len(word)) > allowed or known[0] != word[0]:
                continue
            distance = _edits(word, known, allowed)
            if distance <= allowed and (best is None or (distance, -count) < best[:2]):
                best = (distance, -count, known)
        return best[2] if best else None

    def expand(self, query: str) -> str:
        """The query with what its unknown words stand for added, so keyword and vector
        search both see the documents' wording ("amex fee" -> "amex fee american express")."""
        if not self.words:
            return query
        added: list[str] = []
        for token in re.findall(r"[A-Za-z0-9'\u2019/]+", query):
            word = token.lower().replace("\u2019", "'")
            # A short form the documents define ("SLA") is spelt out even though they use it.
            meaning = self.short.get(word)
            if meaning is None and word in self.words and word not in SHORTHAND:
                continue
            meaning = meaning or SHORTHAND.get(word) or self.correct(word)
            if meaning and meaning != word and meaning not in added:
                added.append(meaning)
        return f"{query} ({'; '.join(added)})" if added else query


def short_forms(phrase: str) -> dict[str, str]:
    """How customers shorten a multi-word name, and what each short form stands for:
    initials ("psr", "e7" for "Economy 7") and the words' first letters run together
    ("amex")."""
    words = [w for w in re.split(r"[ -]", phrase) if w and w.lower() not in ("of", "and", "&")]
    if len(words) < 2:
        return {}
    forms = {"".join(w[0] if not w.isdigit() else w for w in words).lower(): phrase.lower()}
    # "Mastercard and American Express" is read as one phrase: every run of two or three
    # of its words is a name too.
    for width in (2, 3):
        for start in range(len(words) - width + 1):
            run = words[start : start + width]
            meaning = " ".join(run).lower()
            forms.setdefault("".join(w[0] if not w.isdigit() else w for w in run).lower(), meaning)
            if all(w.isalpha() for w in run):
                for size in (2, 3, 4):
                    forms.setdefault("".join(w[:size] for w in run).lower(), meaning)
    return {f: m for f, m in forms.items() if len(f) >= 2}


def _edits(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance, giving up (limit + 1) once past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


__all__ = ["SHORTHAND", "Vocabulary", "short_forms"]
