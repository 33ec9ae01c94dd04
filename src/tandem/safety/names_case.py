"""Case normalisation for names in text written without case: "my name is john smith",
"HI, THIS IS JOHN SMITH". The NER model reads capitals as its strongest cue for a name, so
such lines are rewritten, letter for letter (offsets do not move), the way a careful writer
would have cased them for the model to read: lower case, with a capital on each word the
first-name dictionary knows and on the word after it (the likely surname).

Only lines that carry no case information are rewritten: all lower case but for sentence
starts, or mostly capitals. A line cased the ordinary way is left as the writer wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass

import regex

_WORD = regex.compile(r"\p{L}+(?:['\u2019-]\p{L}+)*")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;]\s+|\n)\s*[\"'(]?(\p{L})")


@dataclass(frozen=True)
class Recased:
    """The text as the model should read it, and the spans of the lines rewritten."""

    text: str
    rewritten: list[tuple[int, int]]

    def in_rewritten(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.rewritten)


def _shouting(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _caseless(line: str) -> bool:
    if sum(c.isalpha() for c in line) < 2:
        return False
    if _shouting(line):
        return True
    starts = {m.start(1) for m in _SENTENCE_START.finditer(line)}
    return all(not c.isupper() or i in starts for i, c in enumerate(line))


_NOUN_TAGS = frozenset({"NNP", "NN", "NNPS"})


def _base(line: str) -> str:
    low = line.lower()
    return low if _shouting(line) and len(low) == len(line) else line


def _recase_line(line: str, offset: int, known: Callable[[int, str], bool]) -> str:
    base = _base(line)
    out = list(base)
    shouting = base is not line
    previous_is_name = False
    for match in _WORD.finditer(base):
        word = match.group(0).lower()
        # In a line in ordinary case only the words written in lower case are recased:
        # "Jennifer said" keeps its "said".
        written_low = shouting or line[match.start()].islower()
        is_name = written_low and known(offset + match.start(), word)
        surname = previous_is_name and known(offset + match.start(), "")
        if is_name or surname:
            out[match.start()] = out[match.start()].upper()
        previous_is_name = is_name
    return "".join(out)


def recase(
    text: str,
    first_names: Set[str],
    stop_words: Set[str],
    tag: Callable[[str], dict[int, str]],
) -> Recased:
    """`text` with its caseless lines recased for the NER model. `tag` gives the part of
    speech of each word by its offset: a name must read as a noun where it stands ("mark
    the ticket" is a verb, "rose said" a verb, "said" a verb though a name too)."""
    lines = text.splitlines(keepends=True)
    caseless = [_caseless(line) for line in lines]
    if not any(caseless):
        return Recased(text, [])
    base = "".join(_base(line) if c else line for line, c in zip(lines, caseless, strict=True))
    if not any(w.lower() in first_names for w in _WORD.findall(base)):
        return Recased(text, [])
    tags = tag(base)

    def known(start: int, word: str) -> bool:
        if tags.get(start) not in _NOUN_TAGS:
            return False
        # An empty word asks about a surname: any noun that is not a function word.
        surname = base[start : start + 40].split(" ", 1)[0].lower()
        if not word:
            return surname not in stop_words and len(surname) > 1
        return word in first_names and word not in stop_words

    parts: list[str] = []
    rewritten: list[tuple[int, int]] = []
    offset = 0
    for line, is_caseless in zip(lines, caseless, strict=True):
        new = _recase_line(line, offset, known) if is_caseless else line
        if new != line:
            rewritten.append((offset, offset + len(line)))
        parts.append(new)
        offset += len(line)
    return Recased("".join(parts), rewritten)
