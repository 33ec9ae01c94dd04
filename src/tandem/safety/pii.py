"""PII detection and redaction on Microsoft Presidio's recognizers, offline.

Presidio's pattern recognizers (email, IBAN with checksum, US SSN, IP address) run as they
are, with Presidio's context rule for their weak patterns; IP addresses that read as version
numbers are dropped. Phone and card numbers (`pii_numbers.py`: libphonenumber's plans, Luhn
and issuer prefixes) and street addresses (`pii_address.py`: a grammar of address lines in
several countries) are our own. Person names come from two places: cue patterns (titles,
"my name is", greetings and sign-offs), and a statistical NER model with a first-name
dictionary (`names.py`), which finds names nobody listed from their context, in lower case
and capitals too. Titles are cues, not part of the name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property

from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UsSsnRecognizer,
)

from tandem.safety.names import NameFinder
from tandem.safety.pii_address import find_addresses
from tandem.safety.pii_numbers import find_cards, find_phones, is_id, is_version

PII_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "PERSON",
    "STREET_ADDRESS",
)
MIN_SCORE = 0.4
CONTEXT_BOOST = 0.35  # Presidio's context similarity factor
CUE_SCORE = 0.85  # "my name is", a title: cues strong enough to overrule the NER model

_FIRST_NAMES = (
    "James|John|Robert|Michael|William|David|Richard|Joseph|Thomas|Charles|Christopher|Daniel"
    "|Matthew|Anthony|Mark|Donald|Steven|Paul|Andrew|Joshua|Kenneth|Kevin|Brian|George|Timothy"
    "|Ronald|Edward|Jason|Jeffrey|Ryan|Jacob|Gary|Nicholas|Eric|Jonathan|Stephen|Larry|Justin"
    "|Scott|Brandon|Benjamin|Samuel|Gregory|Alexander|Frank|Patrick|Raymond|Jack|Dennis|Jerry"
    "|Tyler|Aaron|Jose|Adam|Nathan|Henry|Peter|Zachary|Kyle|Noah|Ethan|Jeremy|Walter|Christian"
    "|Keith|Roger|Terry|Austin|Sean|Gerald|Carl|Harold|Dylan|Arthur|Lawrence|Jordan|Jesse|Bryan"
    "|Billy|Bruce|Gabriel|Joe|Logan|Alan|Juan|Albert|Willie|Elijah|Wayne|Randy|Vincent|Liam"
    "|Mary|Patricia|Jennifer|Linda|Elizabeth|Barbara|Susan|Jessica|Sarah|Karen|Lisa|Nancy"
    "|Betty|Sandra|Margaret|Ashley|Kimberly|Emily|Donna|Michelle|Carol|Amanda|Melissa|Deborah"
    "|Stephanie|Dorothy|Rebecca|Sharon|Laura|Cynthia|Amy|Kathleen|Angela|Shirley|Brenda|Emma"
    "|Anna|Pamela|Nicole|Samantha|Katherine|Christine|Helen|Debra|Rachel|Carolyn|Janet|Maria"
    "|Catherine|Heather|Diane|Olivia|Julie|Joyce|Victoria|Ruth|Virginia|Lauren|Kelly|Christina"
    "|Joan|Evelyn|Judith|Andrea|Hannah|Megan|Cheryl|Jacqueline|Martha|Madison|Teresa|Gloria"
    "|Sara|Janice|Ann|Kathryn|Abigail|Sophia|Frances|Jean|Alice|Judy|Isabella|Julia|Grace|Amber"
    "|Denise|Danielle|Marilyn|Beverly|Charlotte|Natalie|Theresa|Diana|Brittany|Doris|Kayla"
    "|Alexis|Lori|Marie|Mohammed|Muhammad|Ahmed|Ali|Wei|Li|Yuki|Hiroshi|Priya|Raj|Ananya|Arjun"
    "|Sofia|Lucas|Mateo|Camila|Valentina|Hans|Klaus|Anna|Lena|Pierre|Marie|Jean|Luca|Giulia"
    "|Oliver|Harry|Amelia|Isla|Ava|Mia|Chloe|Ella|Lily|Jane|Tom|Tim|Sam|Alex|Chris|Max|Ben|Dan"
)
# Latin-1 letters too; "O'Neill", "McDonald" and "Smith-Jones" are one word each.
_CAP = r"(?:[A-Z]'|Mc|Mac)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[-'][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
_TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Herr|Frau|Mme|Mlle|M\.|Monsieur|Madame|Sr|Sra"
    r"|Srta|Señor|Señora|Signor|Signora|Sig|Dott|Dhr|Mevr|[Hh]eer|[Mm]evrouw|Pan|Pani)"
)
_NAME = rf"{_CAP}(?: (?:[A-Z]\.|{_CAP})){{0,2}}"


class _OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer without its top-level-domain check, which downloads
    the public suffix list (tldextract) on first use."""

    def validate_result(self, pattern_text: str) -> bool:
        return True


def _recognizer(
    entity: str, patterns: list[tuple[str, str, float]], context: list[str]
) -> PatternRecognizer:
    return PatternRecognizer(
        supported_entity=entity,
        patterns=[Pattern(name=name, regex=regex, score=score) for name, regex, score in patterns],
        context=context,
        # Case matters here: names and street names are capitalised words.
        global_regex_flags=re.DOTALL | re.MULTILINE,
    )


# Addresses spelt out against scrapers: "jane at example dot com", "jane[at]example[dot]com".
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s+AT\s+)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s+DOT\s+|\.)"
_SPELT_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*?(?:{_DOT}[A-Za-z]{{2,6}})(?![\w.-]\w)"
)
_SPELT_MARK = re.compile(r"(?i)[\[({<]\s*at\s*[\])}>]|\bdot\b")
_KEY = re.compile(r"(?i)(?:e-?mail|mail|mailto|user|login|to|from|cc|address)=")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0-9]+")


def _context_near(text: str, start: int, context: list[str] | None) -> bool:
    """Presidio's context rule, on the five words before a match: a weak pattern ("ssn:
    536221234") counts when one of its recognizer's context words precedes it."""
    words = set(_WORD.findall(text[max(0, start - 60) : start].lower())[-5:])
    return any(w.strip() in words for w in context or [])


_UPPER = re.compile(r"[A-Z]")


def _worth_running(entity: str, text: str, has_digit: bool) -> bool:
    # Cheap preconditions: most text has no '@', and names and addresses need capitals.
    if entity == "EMAIL_ADDRESS":
        return "@" in text or _SPELT_MARK.search(text) is not None
    if entity in ("PERSON",):
        return _UPPER.search(text) is not None
    return has_digit


@dataclass(frozen=True)
class PIISpan:
    """One piece of PII found in a text."""

    type: str
    start: int
    end: int
    score: float
    text: str


class PIIDetector:
    """Finds and redacts PII with Presidio recognizers (built once per process) and, for
    person names, the NER model of `names.py` (loaded on the first text that needs it)."""

    def __init__(self) -> None:
        self.names = NameFinder()

    @cached_property
    def _recognizers(self) -> list[PatternRecognizer]:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        person = _recognizer(
            "PERSON",
            [
                ("title", rf"(?<=(?<![\w.]){_TITLE}\.? ){_NAME}", 0.85),
                ("introduced", rf"(?<=\b[Mm]y name is ){_NAME}", 0.85),
                ("introduced2", rf"(?<=\b[Ii] am ){_NAME}(?= (?:and|from|here|,|\.))", 0.5),
                (
                    "greeting",
                    rf"(?<=\b(?:Dear|Hi|Hello|Hey|Hiya|Good (?:morning|afternoon|evening))"
                    rf"[ ,]+)(?!{_TITLE}\b){_NAME}(?=\s*[,!.:;\n]|\s*$)",
                    0.6,
                ),
                (
                    "signoff",
                    rf"(?<=\b(?:Thanks|Thank you|Many thanks|Regards|Best regards|Kind regards"
                    rf"|Warm regards|Sincerely|Yours sincerely|Yours truly|Cheers|Best"
                    rf"|Best wishes|Cordially|Respectfully)[,!.]?[ \t]*(?:\n[ \t]*)?(?:-+ ?)?)"
                    rf"{_NAME}(?=[ \t]*(?:\n|$))",
                    0.6,
                ),
                ("last_line", rf"(?<=\n[ \t]*|[.!?] )(?!{_TITLE}\b){_NAME}(?=\s*$)", 0.4),
                ("dash", rf"(?<=(?:^|\s)(?:-+|\u2013|\u2014) ?){_NAME}(?=\s*$)", 0.5),
                ("known", rf"\b(?:{_FIRST_NAMES}) {_CAP}\b", 0.7),
                (
                    "known_alone",
                    rf"\b(?:{_FIRST_NAMES})\b(?= (?:said|says|called|wrote|asked|is|was|will))",
                    0.5,
                ),
            ],
            ["name", "customer", "contact", "signed", "regards"],
        )
        return [
            _OfflineEmailRecognizer(),
            IbanRecognizer(),
            UsSsnRecognizer(),
            IpRecognizer(),
            person,
        ]

    def detect(self, text: str, types: tuple[str, ...] = PII_TYPES) -> list[PIISpan]:
        """PII spans, overlapping ones resolved in favour of the stronger, then longer."""
        found: list[PIISpan] = []
        has_digit = _DIGIT.search(text) is not None
        for recognizer in self._recognizers:
            entities = [e for e in recognizer.supported_entities if e in types]
            if not entities or not _worth_running(entities[0], text, has_digit):
                continue
            for result in recognizer.analyze(text, entities, None):
                start, end, kind = result.start, result.end, result.entity_type
                if kind == "IP_ADDRESS" and is_version(text, start, end):
                    continue
                if kind == "US_SSN" and is_id(text, start):
                    continue  # "part no. 123-45-6789"
                if kind == "EMAIL_ADDRESS" and (key := _KEY.match(text, start, end)):
                    start = key.end()  # "email=jane@example.com": the key is not the address
                score = result.score
                if score < MIN_SCORE and _context_near(text, start, recognizer.context):
                    score = round(score + CONTEXT_BOOST, 2)
                if score >= MIN_SCORE:
                    words = text[start:end]
                    found.append(PIISpan(kind, start, end, round(score, 2), words))
        if has_digit and "PHONE_NUMBER" in types:
            for phone in find_phones(text):
                words = text[phone.start : phone.end]
                found.append(PIISpan("PHONE_NUMBER", phone.start, phone.end, phone.score, words))
        if "EMAIL_ADDRESS" in types and _SPELT_MARK.search(text) is not None:
            for match in _SPELT_EMAIL.finditer(text):
                found.append(PIISpan("EMAIL_ADDRESS", *match.span(), 0.6, match.group(0)))
        if has_digit and "CREDIT_CARD" in types:
            for card in find_cards(text):
                words = text[card.start : card.end]
                found.append(PIISpan("CREDIT_CARD", card.start, card.end, card.score, words))
        addresses = find_addresses(text) if has_digit and "STREET_ADDRESS" in types else []
        for place in addresses:
            words = text[place.start : place.end]
            found.append(PIISpan("STREET_ADDRESS", place.start, place.end, place.score, words))
        if "PERSON" in types and self.names.might_hold_names(text):
            names = self.names.find(text)
            # A weak cue ("Jordan is ...") loses to the model reading the word as a place.
            found = [
                s
                for s in found
                if s.type != "PERSON"
                or s.score >= CUE_SCORE
                or not any(a <= s.start and s.end <= b for a, b in names.others)
            ]
            for name in names.persons:
                words = text[name.start : name.end]
                found.append(PIISpan("PERSON", name.start, name.end, name.score, words))
        # A street or a city named after a person ("Via Roma", "Martin Luther King Jr Blvd")
        # is part of the address, whatever the name model says.
        found = [
            s
            for s in found
            if s.type != "PERSON" or not any(a.start < s.end and s.start < a.end for a in addresses)
        ]
        found.sort(key=lambda s: (-s.score, -(s.end - s.start)))
        kept: list[PIISpan] = []
        for span in found:
            if all(span.end <= k.start or span.start >= k.end for k in kept):
                kept.append(span)
        return sorted(kept, key=lambda s: s.start)

    def redact(self, text: str, spans: list[PIISpan] | None = None) -> str:
        """The text with each PII span replaced by its type, e.g. [EMAIL_ADDRESS]."""
        spans = self.detect(text) if spans is None else spans
        out: list[str] = []
        cursor = 0
        for span in spans:
            out.append(text[cursor : span.start])
            out.append(f"[{span.type}]")
            cursor = span.end
        out.append(text[cursor:])
        return "".join(out)
