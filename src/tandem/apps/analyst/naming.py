"""Column and table names as people say them: words ("Invoice Date" -> "invoice date"),
without units, with abbreviations spelled out, singular, and whether a short word
abbreviates a longer one ("appt" -> "appointment")."""

from __future__ import annotations

import re


def words(name: str) -> str:
    """A column or table name as words ("Invoice Date" -> "invoice date")."""
    return re.sub(r"[_\s]+", " ", re.sub(r"([a-z])([A-Z])", r"\1 \2", name)).strip().lower()


_UNITS = frozenset(
    {
        "eur",
        "usd",
        "gbp",
        "cad",
        "aud",
        "nzd",
        "chf",
        "jpy",
        "cny",
        "inr",
        "sek",
        "nok",
        "dkk",
        "pln",
        "zar",
        "brl",
        "mxn",
        "sgd",
        "hkd",
        "kwh",
        "mwh",
        "kg",
        "km",
        "mi",
        "lbs",
        "lb",
        "ml",
        "cm",
        "mm",
    }
)
UNITS = _UNITS  # units and currency codes said after a number
_SPELLED = {
    "hrs": "hours",
    "hr": "hours",
    "mins": "minutes",
    "pct": "percent",
    "qty": "quantity",
    "amt": "amount",
    "yrs": "years",
    "num": "number",
    "avg": "average",
    "dept": "department",
    "emp": "employee",
    "cust": "customer",
    "ot": "overtime",
}


def unitless(name: str) -> list[str]:
    """A header the way people say it, where that differs from the header: without its
    unit ("Paid (EUR)" -> "paid", "base_salary_eur" -> "base salary") and with its
    abbreviations spelled out ("overtime_hrs" -> "overtime hours")."""
    plain = words(re.sub(r"\s*[(\[][^)\]]*[)\]]", " ", name)).split()
    while len(plain) > 1 and plain[-1] in _UNITS:
        plain.pop()
    said = [" ".join(plain), " ".join(_SPELLED.get(w, w) for w in plain)]
    return [s for s in dict.fromkeys(said) if s and s != words(name)]


def singular(word: str) -> str:
    """A plural English noun made singular, roughly."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def abbreviates(short: str, word: str) -> bool:
    """ "appt" abbreviates "appointment", "read" "reading": same first letter, in order."""
    if len(short) < 3 or short[0] != word[0]:
        return False
    rest = iter(word)
    return all(ch in rest for ch in short)
