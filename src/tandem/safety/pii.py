"""PII detection and redaction on Microsoft Presidio's recognizers, offline, without spaCy.

Presidio's pattern recognizers (email, credit card with Luhn check, IBAN with checksum,
US SSN, IP address) run as they are; phone numbers and street addresses use Presidio
PatternRecognizers with patterns of our own (its phone recognizer costs ~7 ms per KB).
Person names come from two places: cue patterns (titles, "my name is", greetings and
sign-offs), and a statistical NER model with a first-name dictionary (`names.py`), which
finds names nobody listed from their context. Titles are cues, not part of the name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property

from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UsSsnRecognizer,
)

from tandem.safety.names import NameFinder

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
_CAP = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[-'][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"  # Latin-1 letters too
_NAME = rf"{_CAP}(?: (?:[A-Z]\.|{_CAP})){{0,2}}"


# Street addresses run from the house (or flat) number through the city and postcode when
# they are written together: "Flat 2, 14 Elm Grove, Leeds LS6 2AB", "1600 Pennsylvania
# Ave NW, Washington, DC 20500", "Hauptstraße 12, 10115 Berlin", "12 rue de la Paix, 75002 Paris".
_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Close|Crescent|Cres|Grove"
    r"|Gardens|Gdns|Row|Mews|Hill|Walk|Rise|Parade|Trail|Trl|Pike|Alley|Plaza|Loop|Green"
)
_UNIT = r"(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.? ?[\w-]+)"
_US_ZIP = r"(?:,? (?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?) \d{5}(?:-\d{4})?)"
_UK_POSTCODE = r"(?:,? [A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"
_CA_POSTCODE = r"(?:,? [A-Z]{2} [A-Z]\d[A-Z] ?\d[A-Z]\d)"
_CITY = r"(?:, [A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})"
_STREET_ADDRESS = (
    r"\b(?:(?:Flat|Apt|Apartment|Unit|Suite) [\w-]+,? )?\d{1,5}[A-Za-z]?(?:-\d{1,5})? "
    rf"(?:[A-Z][A-Za-z'-]+\.? ){{1,4}}(?:{_STREET_TYPES})\b\.?(?: (?:N|S|E|W|NE|NW|SE|SW)\b)?"
    rf"{_UNIT}?(?:{_CITY}(?:{_US_ZIP}|{_UK_POSTCODE}|{_CA_POSTCODE})?|{_US_ZIP}|{_UK_POSTCODE})?"
)
_EU_ADDRESS = (
    r"\b[A-Z][a-zäöüßåæø]+(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|laan|straat"
    r"|gracht|vej|gade|gatan|gata|veien)(?: \d{1,4}[a-z]?)(?:, \d{4,5} [A-Z][a-zäöüß]+)?"
)
_ROMANCE_ADDRESS = (
    r"\b\d{1,4}(?: ?bis)?,? (?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Pp]lace|[Cc]hemin|[Qq]uai|[Vv]ia"
    r"|[Vv]iale|[Pp]iazza|[Cc]alle|[Aa]venida|[Rr]ua|[Cc]arrer) (?:(?:de|del|della|du|des|la|le"
    r"|da|do|dos|das|l')\s?){0,2}[A-Z][\w'-]+(?: [A-Z][\w'-]+)*(?:, \d{5} [A-Z][a-zé-]+)?"
    r"|\b(?:Calle|Avenida|Via|Rua|Carrer) [A-Z][\w'-]+(?: [A-Z][\w'-]+)*,? \d{1,4}[a-z]?"
    r"(?:, \d{5} [A-Z][a-zé-]+)?"
)


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


_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-Z]")


def _worth_running(entity: str, text: str, has_digit: bool) -> bool:
    # Cheap preconditions: most text has no '@', and names and addresses need capitals.
    if entity == "EMAIL_ADDRESS":
        return "@" in text
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
        phone = _recognizer(
            "PHONE_NUMBER",
            [
                (
                    "intl",
                    r"(?<![\w+])\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}(?!\w)",
                    0.7,
                ),
                ("nanp", r"(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])", 0.6),
                ("eu", r"(?<![\w+])0\d{2,4}[ /.-]?\d{3,4}[ .-]?\d{3,4}(?!\w)", 0.4),
            ],
            ["phone", "call", "tel", "mobile", "cell", "number", "reach me", "contact"],
        )
        person = _recognizer(
            "PERSON",
            [
                ("title", rf"(?<=\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)\.? ){_NAME}", 0.85),
                ("introduced", rf"(?<=\b[Mm]y name is ){_NAME}", 0.85),
                ("introduced2", rf"(?<=\b[Ii] am ){_NAME}(?= (?:and|from|here|,|\.))", 0.5),
                (
                    "greeting",
                    rf"(?<=\b(?:Dear|Hi|Hello|Hey|Thanks|Regards|Sincerely|Cheers|Best), ?){_NAME}",
                    0.6,
                ),
                ("signoff", rf"(?<=\n)(?:-- ?)?{_NAME}(?=\s*$)", 0.4),
                ("known", rf"\b(?:{_FIRST_NAMES}) {_CAP}\b", 0.7),
                (
                    "known_alone",
                    rf"\b(?:{_FIRST_NAMES})\b(?= (?:said|says|called|wrote|asked|is|was|will))",
                    0.5,
                ),
            ],
            ["name", "customer", "contact", "signed", "regards"],
        )
        address = _recognizer(
            "STREET_ADDRESS",
            [
                ("street", _STREET_ADDRESS, 0.75),
                ("european", _EU_ADDRESS, 0.7),
                ("romance", _ROMANCE_ADDRESS, 0.7),
            ],
            ["address", "live", "located", "ship", "deliver", "street"],
        )
        return [
            _OfflineEmailRecognizer(),
            phone,
            CreditCardRecognizer(),
            IbanRecognizer(),
            UsSsnRecognizer(),
            IpRecognizer(),
            person,
            address,
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
                if result.score >= MIN_SCORE:
                    words = text[result.start : result.end]
                    score = round(result.score, 2)
                    found.append(
                        PIISpan(result.entity_type, result.start, result.end, score, words)
                    )
        if "PERSON" in types and _UPPER.search(text) is not None:
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
