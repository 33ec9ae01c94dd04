"""Number-shaped PII read in context: phone numbers checked against libphonenumber's
numbering plans, and IP addresses told apart from version numbers.

Phone numbers: a loose candidate grammar (an optional "+"/"00" country code, an optional
"(0)" trunk digit, an area code in parentheses, then digit groups split by spaces, dots,
dashes or slashes) finds anything shaped like a number; libphonenumber (the `phonenumbers`
package, which Presidio already depends on) then decides whether the digits can be a phone
number, in E.164 form or in the national format of one of the countries we serve. Order,
invoice and ticket numbers, dates and prices are turned away by their shape and by the
words before them.

IP addresses: a dotted quad after "version", "v", "release", "build" ... is a version, and so
is one inside a longer dotted string ("1.2.3.4.5") or with a pre-release suffix ("-rc1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

INTL_SCORE = 0.7
NATIONAL_SCORE = 0.6

_CANDIDATE = re.compile(
    r"(?<![\w+.,/-])"
    r"(?:(?:\+|00)\d{1,3}(?:[ .-]?\(0\))?[ .-]?)?"  # country code, "(0)" trunk digit
    r"(?:\(\d{1,5}\)[ .-]?)?"  # area code in parentheses
    r"\d{1,12}(?:(?:[ .-]|/ ?)\d{1,12}){0,6}"
    r"(?![\w-]|[.,/:]\d)"
)
_SEPARATOR = re.compile(r"[ .()/-]+")
_LOCAL = re.compile(r"[2-9]\d{2}[-.]\d{4}")  # a North American number without its area code
_DATE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{1,2}[/.]\d{1,2}"
)
# National formats with a trunk "0" (most of Europe, Australia, India ...), and the North
# American plan, whose numbers have no trunk prefix.
_TRUNK_REGIONS = ("GB", "DE", "FR", "NL", "BE", "AT", "CH", "IT", "IE", "AU", "NZ", "IN", "ZA")
_CODES = {r: phonenumbers.country_code_for_region(r) for r in (*_TRUNK_REGIONS, "US")}
_PHONE_CUE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|call|ring|text|sms|whatsapp|mobile|cell|fax|landline"
    r"|number|reach|contact|dial|hotline|line|free)\b[^\n\d]{0,24}$"
)
_ID_CUE = re.compile(
    r"(?i)\b(?:order|invoice|ref|reference|ticket|tracking|account|acct|case|sku|serial"
    r"|confirmation|booking|id|po|receipt|item|product|part|batch|lot|code|pin|imei|iccid|meid"
    r"|isbn|ean|upc|gtin|asin|barcode|model|version|build)\b"
    r"\s*(?:no\.?|number|num|id)?\s*[#:.]?\s*$|#\s*$"
)


@dataclass(frozen=True)
class NumberSpan:
    start: int
    end: int
    score: float


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _plausible(candidate: str) -> float:
    """The score of a candidate read as a phone number, 0.0 when it cannot be one."""
    digits = _digits(candidate)
    if not 7 <= len(digits) <= 15 or _DATE.fullmatch(candidate):
        return 0.0
    groups = [g for g in _SEPARATOR.split(candidate) if g]
    if [len(g) for g in groups] == [3, 2, 4] and not candidate.startswith("+"):
        return 0.0  # the layout of a US social security number
    if candidate.startswith(("+", "00")):
        number = "+" + candidate[1:] if candidate.startswith("+") else "+" + candidate[2:]
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            return 0.0
        if phonenumbers.is_valid_number(parsed):
            return INTL_SCORE
        # Fictional ranges (UK 07700 900xxx, US 555-01xx) are possible but not "valid".
        possible = phonenumbers.is_possible_number(parsed) and len(groups) >= 2
        return INTL_SCORE if possible else 0.0
    regions = _TRUNK_REGIONS if digits.startswith("0") else ("US",)
    if not digits.startswith("0") and len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]  # 1-800-555-0199: the North American trunk "1"
    elif not digits.startswith("0") and len(digits) != 10:
        return 0.0
    if len(groups) < 2 and "(" not in candidate:
        return 0.0  # an unbroken run of digits is an id unless the context says phone
    lenient = 2 <= len(groups) <= 4
    # Possible but not valid: the fictional ranges UK drama uses (07700 900xxx).
    return NATIONAL_SCORE if _national(digits, regions, lenient) else 0.0


@lru_cache(maxsize=4096)
def _national(digits: str, regions: tuple[str, ...], lenient: bool) -> bool:
    """Whether `digits`, dialled nationally, are a number in one of `regions`' plans.
    Numbers are built directly from the country code (parsing costs three times more)."""
    for region in regions:
        number = phonenumbers.PhoneNumber(country_code=_CODES[region])
        if region == "IT":
            number.italian_leading_zero = digits.startswith("0")
            number.national_number = int(digits)
        else:
            number.national_number = int(digits[1:] if digits.startswith("0") else digits)
        if phonenumbers.is_valid_number(number):
            return True
        if lenient and region == "GB" and phonenumbers.is_possible_number(number):
            return True
    return False


def find_phones(text: str) -> list[NumberSpan]:
    """Phone numbers in `text`; a candidate that fails whole is retried without its
    trailing digit groups ("020 7946 0018 24 hours")."""
    found: list[NumberSpan] = []
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        before = text[max(0, start - 40) : start]
        cued = _PHONE_CUE.search(before) is not None
        if not cued and _ID_CUE.search(before):
            continue
        candidate = match.group(0)
        while candidate:
            score = _plausible(candidate)
            if not score and cued and len(_SEPARATOR.split(candidate)) == 1:
                score = _plausible_unbroken(candidate)
            if not score and cued and _LOCAL.fullmatch(candidate):
                score = NATIONAL_SCORE  # "my number is 555-0132": a local number
            if score:
                found.append(NumberSpan(start, start + len(candidate), score))
                break
            cut = max(candidate.rfind(" "), candidate.rfind("-"), candidate.rfind("."))
            candidate = candidate[:cut].rstrip(" .-/") if cut > 0 else ""
    return found


def _plausible_unbroken(candidate: str) -> float:
    """An unbroken digit run after a phone cue ("call 02079460018")."""
    digits = _digits(candidate)
    regions = _TRUNK_REGIONS if digits.startswith("0") else ("US",)
    return NATIONAL_SCORE if _national(digits, regions, False) else 0.0


_VERSION_CUE = re.compile(
    r"(?i)(?:\b(?:version|versions|ver|v|release|releases|rel|build|builds|firmware|fw"
    r"|patch|revision|rev|sdk|kernel|bios|driver))\.?\s*$"
)
_BETWEEN = re.compile(r"(?i)^(?:\d[\d.]*|and|or|to|from|of|is|was|the|number|no\.?|#|,|-)$")
_SUFFIX = re.compile(
    r"(?i)^(?:\.\d|[-+~_]?(?:alpha|beta|rc|dev|pre|snapshot|final|ga|lts)(?:\d|\b))"
)


def is_id(text: str, start: int) -> bool:
    """Whether the number at `start` follows an order, invoice, serial ... cue."""
    return _ID_CUE.search(text[max(0, start - 40) : start]) is not None


def is_version(text: str, start: int, end: int) -> bool:
    """Whether the dotted number at text[start:end] reads as a version, not an address."""
    before = text[max(0, start - 2) : start]
    if before[-1:].isalnum() or (before[-1:] == "." and before[:1].isdigit()):
        return True  # "v1.2.3.4", and "1.2.3.4" inside "0.1.2.3.4"
    if _SUFFIX.match(text[end:]):
        return True
    words = text[max(0, start - 60) : start].split()
    while words and _BETWEEN.match(words[-1].rstrip(",")):
        words.pop()  # "versions 1.2.3.4 and 1.2.3.5", "build number 4.0.1.22"
    return bool(words) and _VERSION_CUE.search(" " + words[-1].rstrip(":")) is not None


CARD_SCORE = 1.0
_CARD_CANDIDATE = re.compile(
    r"(?<![\w.-])\d{2,6}(?:([ .-]?)\d{2,6})(?:\1\d{2,6}){0,4}(?![\w]|[.-]\d)"
)
# Issuer prefixes (IIN ranges) of the card networks: Visa, Mastercard (51-55, 2221-2720),
# American Express, Discover, JCB, Diners Club, UnionPay and Maestro.
_ISSUER = re.compile(
    r"4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6011|64[4-9]|65|35(?:2[89]|[3-8]\d)"
    r"|30[0-5]|36|38|62|50|5[6-8]|6[0-9]"
)
_CARD_CUE = re.compile(
    r"(?i)\b(?:card|credit|debit|visa|mastercard|amex|discover|jcb|diners|maestro|cc|pan)\b"
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def find_cards(text: str) -> list[NumberSpan]:
    """Card numbers of 13 to 19 digits with an issuer's prefix and a valid Luhn check digit,
    whatever their grouping ("4111.1111.1111.1111", "2223 0031 2200 3222"). After an order
    or invoice number cue, only where a card word is near too."""
    found: list[NumberSpan] = []
    for match in _CARD_CANDIDATE.finditer(text):
        digits = _digits(match.group(0))
        if not 13 <= len(digits) <= 19 or not _ISSUER.match(digits) or not _luhn(digits):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        if _ID_CUE.search(before) and not _CARD_CUE.search(before):
            continue
        found.append(NumberSpan(match.start(), match.end(), CARD_SCORE))
    return found
