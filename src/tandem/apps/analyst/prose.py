"""What a definition's prose says beside its formula: the other names it gives, which
code span is the formula, which table's rows it is ("one row of `loans`"), the date its
figures are counted on ("dated by `Signed Date`"), the rows a formula is taken over ("on
loans with `Lost = 'Y'`"), and the table whose rows a measure runs over ("over installs")."""

from __future__ import annotations

import re

from tandem.apps.analyst.naming import singular
from tandem.apps.analyst.semantic import SemanticModel
from tandem.apps.analyst.wording import QUOTED

_ALSO = re.compile(
    r"\b(?:also called|also known as|a\.?k\.?a\.?|(?:people |users |we )?also say|also)\s+"
    r"([^.;:()`]+)",
    re.I,
)


def formula_span(spans: list[str], known: set[str]) -> str:
    """The code span that is the definition's formula: a `name = ...` line (the last one),
    else the first formula-like span that names a column ("count orders with
    `COUNT(DISTINCT "Order #")`, never `COUNT(*)`"), else the last formula-like one."""
    formulas = [s for s in spans if re.search(r"[=(<>]", s)]
    named = [
        s
        for s in formulas
        if (m := re.match(r"^\s*(\w+)\s*=(?!=)", s)) and m.group(1).lower() not in known
    ]
    if named:
        return named[-1]
    for span in formulas:
        quoted, bare = re.findall(r'"([^"]+)"', span), re.findall(r"\w+", span)
        if {w.lower() for w in quoted + bare} & known:
            return span
    return formulas[-1] if formulas else (spans[0] if spans else "")


def said_names(body: str) -> list[str]:
    """Other names a definition gives: quoted words, "also called x, y or z", an acronym
    in capitals, and the expansion an acronym's definition opens with."""
    text = re.sub(r"`[^`]*`", " ", body)
    before = text.split("means", 1)[0] if "means" in text else text
    said = [q.lower() for q in QUOTED.findall(before)]
    said += [b.lower() for b in re.findall(r"\*\*(.+?)\*\*", text)]
    said += [a.lower() for a in re.findall(r"\(([A-Z]{2,6})\)", text)]
    for also in _ALSO.finditer(text):
        for word in re.split(r",|\bor\b|\band\b", also.group(1)):
            word = word.strip(" \"'“”").lower()
            if word and len(word.split()) <= 3 and word not in ("the", "a"):
                said.append(word)
    if lead := re.match(r"^\s*([A-Za-z][A-Za-z ]{3,40}):", text):
        said.append(lead.group(1).strip().lower())
    return list(dict.fromkeys(said))


_ROW_OF = re.compile(r"\b(?:one|a|each|every)\s+row\s+(?:of|in|from)\s+`([^`]+)`", re.I)
_DATED = re.compile(
    r"\b(?:dated (?:by|on)|in the period of|counted (?:on|by)|by)\s+`([^`]+)`", re.I
)
# "on loans with `Lost = 'Y'`", "over quotes where `Status = 'Open'`": no sentence between.
_TAKEN_OVER = re.compile(r"^[^`.;]*?\b(?:with|where|whose)\s+`([^`]+)`", re.I)


def rows_of(body: str, tables: list[str]) -> str | None:
    """The table a definition says it is one row of ("**Loan** means one row of `loans`")."""
    m = _ROW_OF.search(body)
    if m is None:
        return None
    named = m.group(1).strip().strip('"').lower()
    return next((t for t in tables if t.lower() == named), None)


def dated_by(body: str, temporal: dict[str, str], table: str | None = None) -> str | None:
    """The date column the definition counts its figures on, of those in `temporal`
    (lowercase name -> name): "dated by `"Signed Date"`", "in the period of `X`"; with
    `table`, only a column the definition qualifies with that table (`classes."Class
    Date"`)."""
    for m in _DATED.finditer(body):
        qualifier, _, column = m.group(1).strip().rpartition(".")
        name = column.strip('"').lower()
        if table is not None and qualifier.strip('"').lower() != table.lower():
            continue
        if name in temporal:
            return temporal[name]
    return None


def taken_over(body: str, formula: str) -> str | None:
    """The condition of the rows an amount is taken over, said right after its formula
    ("`SUM(contract_value)` over quotes with `Status = 'Open'`")."""
    after = body.split(f"`{formula}`", 1)
    if len(after) < 2:
        return None
    m = _TAKEN_OVER.match(after[1])
    return m.group(1) if m and re.search(r"=|<|>|\bIS\b|\bIN\b", m.group(1), re.I) else None


def over_table(model: SemanticModel, body: str, table: str) -> str | None:
    """Another table whose rows the definition says it runs over ("over installs"), when
    `table` is one of its lookups (each install has its quote)."""
    prose = re.sub(r"`[^`]*`", " ", body).lower()
    for m in re.finditer(r"\bover\s+(?:the\s+|all\s+)?([a-z][a-z ]{2,40})", prose):
        said = m.group(1).split()
        for entity in model.entities:
            names = {singular(s) for s in entity.synonyms}
            heads = {singular(" ".join(said[:n])) for n in (1, 2) if len(said) >= n}
            if entity.table != table and names & heads and table in model.lookups(entity.table):
                return entity.table
    return None
