"""What a question asks for: its parts ("how much and how long" is two questions) and the kind
of fact each part needs (an amount, a time limit, a quantity, a condition), and which kinds
of fact a passage's sentence carries.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Need(StrEnum):
    """A kind of fact an answer must carry."""

    AMOUNT = "amount"
    TIME = "time"
    QUANTITY = "quantity"
    CONDITION = "condition"


_I = re.IGNORECASE
_ASKS = {
    Need.AMOUNT: re.compile(
        r"\b(?:how much|cost\w*|price\w*|fees?|charge[sd]?|pay|paid|rate|rates|expensive|"
        r"cheap\w*|compensat\w*|credit|refund(?:ed)? amount|discount|spend)\b",
        _I,
    ),
    Need.TIME: re.compile(
        r"\b(?:how long|when|how soon|how quickly|how fast|how early|how late|how many "
        r"(?:days|hours|weeks|months|years)|deadline|time limit|until|till|til|by when|within|"
        r"expire\w*|valid|good for|lasts?\s+for|hours|days|what time|opening)\b",
        _I,
    ),
    Need.QUANTITY: re.compile(
        r"\b(?:how many|how heavy|how big|weigh\w*|limits?|maximum|max|minimum|min|allowance|"
        r"allowed|size)\b",
        _I,
    ),
    Need.CONDITION: re.compile(
        r"(?:^|[.!?]\s+)(?:can|could|do|does|is|are|will|would|am|should|may|if)\b|\b(?:if|eligible|"
        r"allowed|qualify|still|only|exception|unless|require\w*|need to)\b",
        _I,
    ),
}
_CARRIES = {
    Need.AMOUNT: re.compile(
        r"[$£€¥]\s?\d|\b(?:usd|gbp|eur|aud|cad|nzd|chf|a\$|au\$|nz\$|c\$)\s?\d"
        r"|\d(?:[\d,.]*)\s?(?:%|p\b|pence|cents?|dollars?|pounds?|euros?|usd|gbp|eur|aud)"
        r"|\b(?:free|no charge|no fee|waived|at no cost|nothing)\b",
        _I,
    ),
    Need.TIME: re.compile(
        r"\b\d+(?:[.,]\d+)?\s*(?:-\s*\d+\s*)?(?:to \d+ )?(?:business |working |calendar |full )?"
        r"(?:days?|hours?|hrs?|weeks?|months?|years?|minutes?|mins?|nights?)\b"
        r"|\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d\d:\d\d\b|\b(?:monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday|same day|next day|immediately|overnight|"
        r"annual\w*|monthly|weekly|daily|quarter\w*)\b",
        _I,
    ),
    Need.QUANTITY: re.compile(
        r"\b\d+(?:[.,]\d+)?\s?(?:kg|g|lbs?|cm|mm|m|km|miles?|items?|bags?|pieces?|seats?|"
        r"times?|users?|per|x)\b|\b(?:up to|at most|at least|maximum|minimum|limit)\b",
        _I,
    ),
    Need.CONDITION: re.compile(
        r"\b(?:if|unless|except|only|must|not|cannot|can't|never|as long as|provided|eligible|"
        r"but|however|excluding|including|requires?|need|needs|without)\b",
        _I,
    ),
}
# Where one question becomes two: "and" or "also" before a second question word, or a
# question mark followed by more.
_SPLIT = re.compile(
    r"\?\s+|\s*[,;]?\s+(?:and|also|plus|&)\s+(?=(?:also\s+)?(?:how|what|when|where|which|who|"
    r"why|whats|what's|can|could|do|does|is|are|will|would|should|if|the|my|any)\b)",
    _I,
)


def parts(question: str) -> list[str]:
    """The question's parts (at most four; the question itself when it has one part)."""
    pieces = [p.strip(" ,.;?!") for p in _SPLIT.split(question)]
    pieces = [p for p in pieces if len(re.findall(r"[A-Za-z]{2,}", p)) >= 2]
    return pieces[:4] if len(pieces) > 1 else [question.strip()]


def needs(text: str) -> set[Need]:
    """The kinds of fact a question (or part) asks for."""
    return {need for need, pattern in _ASKS.items() if pattern.search(text)}


def carries(text: str) -> set[Need]:
    """The kinds of fact a sentence states."""
    return {need for need, pattern in _CARRIES.items() if pattern.search(text)}
