"""Case normalisation for names in text written without case: "my name is john smith",
"HI, THIS IS JOHN SMITH". The NER model reads capitals as its strongest cue for a name, so
such lines are rewritten, letter for letter (offsets do not move), the way a careful writer
would have cased them for the model to read: lower case, with a capital on each word the
first-name dictionary knows and on the word after it (the likely surname).

Only lines that carry no case information are rewritten: all lower case but for sentence
starts, or mostly capitals. A line cased the ordinary way is left as the writer wrote it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Set
from dataclasses import dataclass

import regex

_WORD = regex.compile(r"\p{L}+(?:['\u2019-]\p{L}+)*")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;]\s+|\n)\s*[\"'(]?(\p{L})")


@dataclass(frozen=True)
class Recased:
    """The text as the model should read it, and the spans of the words recased."""

    text: str
    rewritten: list[tuple[int, int]]
    # The same text without the surnames guessed from a common noun's tag, where any were.
    without_guessed_surnames: str | None = None

    def in_rewritten(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.rewritten)


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


# The tags a recased word must have where it stands: any noun in a line without case, a
# proper noun in a line cased the ordinary way ("tell sarah I said hi", but "the bill").
_NOUN_TAGS = frozenset({"NNP", "NN", "NNPS", "NNS"})
# Words after which a first name is a person whatever its tag.
_INTRODUCED = regex.compile(
    r"(?i)\b(?:i'm|i am|im|my name is|name's|this is|it's|its|call me|thanks|thank you|thx"
    r"|cheers|regards|hi|hello|hey|dear|ask for|asked for|speak to|speak with|talk to"
    r"|spoke to|spoke with|talked to|named|called|signed|from|cc)[\s,!.:;-]*$"
)
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
# Tags of a word before a common noun, seldom before a name: "the", "my", "big", "two".
_MODIFIER_TAGS = frozenset({"DT", "PRP$", "JJ", "JJR", "JJS", "CD", "POS", "PDT", "WP$"})


def _base(line: str) -> str:
    low = line.lower()
    return low if _shouting(line) and len(low) == len(line) else line


def _recase_line(
    line: str,
    offset: int,
    known: Callable[[int, str, bool], bool],
    caseless: bool,
    tags: dict[int, str],
) -> list[tuple[int, bool]]:
    """Offsets in `line` of the words to capitalise, each with whether it is a surname
    guessed from a common noun's tag only."""
    base = _base(line) if caseless else line
    shouting = base is not line
    starts: list[tuple[int, bool]] = []
    previous_is_name = False
    for match in _WORD.finditer(base):
        word = match.group(0).lower()
        # Only the words written in lower case are recased: "Jennifer said" keeps "said".
        written_low = shouting or line[match.start()].islower()
        at = offset + match.start()
        is_name = written_low and known(at, word, caseless)
        surname = written_low and previous_is_name and known(at, "", caseless)
        if is_name or surname:
            guessed = not is_name and tags.get(at) == "NN"
            starts.append((match.start(), guessed))
        previous_is_name = is_name
    return starts


def recase(
    text: str,
    first_names: Set[str],
    stop_words: Set[str],
    tag: Callable[[str], dict[int, str]],
) -> Recased:
    """`text` with its names recased for the NER model. `tag` gives the part of speech of
    each word by its offset: a name must read as a noun where it stands ("mark the ticket"
    is a verb, "rose said" a verb, "said" a verb though a name too)."""
    words = (w.lower() for w in _WORD.findall(text) if w.islower() or w.isupper())
    if not any(w in first_names for w in words):
        return Recased(text, [])
    lines = text.splitlines(keepends=True)
    caseless = [_caseless(line) for line in lines]
    base = "".join(_base(line) if c else line for line, c in zip(lines, caseless, strict=True))
    tags = tag(base)
    offsets = sorted(tags)

    def known(start: int, word: str, caseless: bool) -> bool:
        tagged = tags.get(start)
        if not word:
            # An empty word asks about a surname: a noun that is not a function word; a
            # proper noun where the line has case ("priya yesterday" is not a surname).
            surname = base[start : start + 40].split(" ", 1)[0].lower()
            wanted = _NOUN_TAGS if caseless and tagged == "NN" else _PROPER_TAGS
            return tagged in wanted and surname not in stop_words and len(surname) > 1
        if word not in first_names or word in stop_words:
            return False
        if _INTRODUCED.search(base, max(0, start - 30), start):
            return True  # "I'm emma", "thanks, ahmed", "ask for frank"
        index = bisect_left(offsets, start)
        if index and tags[offsets[index - 1]] in _MODIFIER_TAGS:
            return False  # "the bill", "a rose", "my grant": a common noun
        return tagged in _NOUN_TAGS

    out = list(base)
    plain = list(base)  # the same without surnames guessed from a common noun's tag
    rewritten: list[tuple[int, int]] = []
    offset = 0
    for line, is_caseless in zip(lines, caseless, strict=True):
        for start, guessed in _recase_line(line, offset, known, is_caseless, tags):
            at = offset + start
            out[at] = out[at].upper()
            if not guessed:
                plain[at] = plain[at].upper()
            end = _WORD.match(base, at)
            rewritten.append((at, end.end() if end else at + 1))
        offset += len(line)
    alternative = "".join(plain)
    recased = "".join(out)
    return Recased(recased, rewritten, alternative if alternative != recased else None)
