"""What a data dictionary says about words: other names for values ("RES = residential",
`"derm" = Dermatology`), named conditions ("Blank = self-pay", `= blank Insurer`), and
synonym lines naming tables, columns and measures."""

from __future__ import annotations

import re

from sqlglot import exp

from tandem.apps.analyst.naming import singular
from tandem.apps.analyst.semantic import (
    DIALECT,
    Dimension,
    Segment,
    SemanticModel,
)

CODE = re.compile(r"`([^`]+)`")
QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]")


_CODE_MEANING = re.compile(
    r"(?:^|(?<=[\s,;(]))([\w&+\-]{1,24})\s*(?:=|:)\s*([^,;.()=]+?)\s*(?:\(([^()]+)\))?"
    r"\s*(?=[,;.]|$)"
)
_BLANK = re.compile(r"\b(?:blank|empty|null|missing)\s*(?:=|means)\s*([^.;()*]+)", re.I)


def value_meanings(model: SemanticModel, table: str, dimension: Dimension, meaning: str) -> None:
    """Codes explained in a column's meaning ("RES = residential (household), SME = small
    business", "E = estimated by us") become words for those values; "Blank = self-pay"
    becomes a named condition."""
    values = {v.lower(): v for v in dimension.values}
    text = meaning.replace("*", "")
    for code, said, aside in _CODE_MEANING.findall(text):
        value = values.get(code.lower())
        if value is None:
            continue
        names = [said, *(aside.split(",") if aside else [])]
        for name in names:
            name = re.sub(r"\b(?:by us|by the \w+|only)\b", "", name).strip(" .").lower()
            if name and len(name.split()) <= 4 and name != value.lower():
                dimension.value_synonyms.setdefault(value, []).append(name)
    # "Blank = labour or sundry line" names two kinds of rows, neither of them alone.
    if (blank := _BLANK.search(text)) and not re.search(r"\bor\b|/", blank.group(1)):
        said = [w.strip(" .").lower() for w in blank.group(1).split(",")]
        said = [w for w in said if w and len(w.split()) <= 4]
        if said:
            condition = f"{exp.column(dimension.column, quoted=True).sql(dialect=DIALECT)} IS NULL"
            model.segments.append(Segment(said[0], table, condition, said[1:]))


_CLAUSE = re.compile(r"((?:\s*[\"“][^\"”]+[\"”]\s*(?:,|\bor\b|\band\b)?)+)\s*=\s*([^\"“;]+)")


def synonym_line(model: SemanticModel, line: str) -> None:
    """`- "clients", "customers" = accounts`: the words name whatever `accounts` names; a
    line may hold several (`"derm" = Dermatology, "cardio" = Cardiology`), and the target
    may be a value, a condition (`Segment = 'SME'`) or a blank column (`blank Insurer`)."""
    body = line.strip().lstrip("-*+ ")
    clauses = _CLAUSE.findall(body)
    if len(clauses) > 1 or (clauses and "`" in clauses[0][1]):
        for said_text, target in clauses:
            said = [q.lower() for q in QUOTED.findall(said_text)]
            _name(model, said, target.strip().rstrip(",").strip())
        return
    parts = re.split(
        r"\s*(?:=|→|->|:|\b(?:all |both |each )?(?:means?|stands? for|refers? to)\b)\s*",
        body,
        maxsplit=1,
    )
    if len(parts) != 2:
        return
    said = [q.lower() for q in QUOTED.findall(parts[0])] or [
        w.strip().lower() for w in re.split(r",|\band\b|\bor\b|/", parts[0]) if w.strip()
    ]
    _name(model, said, parts[1])


def _name(model: SemanticModel, said: list[str], target_text: str) -> None:
    """Words for whatever `target_text` names: a table, column, measure, value, condition."""
    code = CODE.search(target_text)
    if code and (cond := re.match(r"^\s*\"?([^\"=]+?)\"?\s*=\s*'([^']+)'\s*$", code.group(1))):
        column, literal = cond.group(1).strip().lower(), cond.group(2).lower()
        for dimension in model.dimensions:
            value = next((v for v in dimension.values if v.lower() == literal), None)
            if dimension.column.lower() == column and value is not None:
                dimension.value_synonyms.setdefault(value, []).extend(said)
                return
    if code and _column_value(model, said, target_text[: code.start()], code.group(1)):
        return
    target = re.sub(r"[`\"*]", "", target_text).strip().strip(".;,").lower()
    # "a row of bookings", "the bookings table", "properties (by Hotel Name or City)".
    target = re.sub(r"\s*\([^)]*\)", "", target).strip()
    target = re.sub(r"^(?:an?|one|each|every)?\s*rows?\s+(?:of|in)\s+", "", target)
    target = re.sub(r"^the\s+|\s+(?:table|rows?)$", "", target).strip()
    owner = re.match(r"^(\w+)\s+(with|without)\s+(?:an?\s+|any\s+)?(.+)$", target)
    if owner and _with_column(model, said, owner.group(1), owner.group(3), owner.group(2)):
        return
    if blank := re.match(r"^(?:blank|empty|missing|no)\s+(.+)$", target):
        for dimension in model.dimensions:
            if blank.group(1) in (dimension.column.lower(), dimension.name):
                quoted = exp.column(dimension.column, quoted=True).sql(dialect=DIALECT)
                model.segments.append(
                    Segment(said[0], dimension.table, f"{quoted} IS NULL", said[1:])
                )
                return
    for dimension in model.dimensions:
        value = next((v for v in dimension.values if v.lower() == target), None)
        if value is not None:
            dimension.value_synonyms.setdefault(value, []).extend(said)
            return
    for segment in model.segments:
        if target in (segment.name, *segment.synonyms):
            segment.synonyms += said
            return
    spaced = _spaced(target)
    target_forms = {target, singular(target), target.replace(" ", "_"), spaced, singular(spaced)}
    for entity in model.entities:
        if {entity.table.lower(), singular(entity.table.lower())} & target_forms:
            entity.synonyms += said
    for dimension in model.dimensions:
        if {dimension.column.lower(), dimension.name, _spaced(dimension.column)} & target_forms:
            dimension.synonyms += said
    for measure in model.measures:
        if {measure.name, measure.name.replace(" ", "_")} & target_forms:
            measure.synonyms += said


def _with_column(model: SemanticModel, said: list[str], owner: str, column: str, how: str) -> bool:
    """`"members" = guests with a Loyalty Tier`: the words name the rows of `owner`
    whose column is filled in (or, with "without", blank), a condition of its own."""
    owners = {singular(owner)}

    def names(table: str) -> set[str]:
        words = [
            table.lower(),
            *(w for e in model.entities if e.table == table for w in e.synonyms),
        ]
        return {singular(w) for w in words}

    dimension = next(
        (
            d
            for d in model.dimensions
            if column in (d.column.lower(), d.name) and owners & names(d.table)
        ),
        None,
    )
    if dimension is None or not said:
        return False
    quoted = exp.column(dimension.column, quoted=True).sql(dialect=DIALECT)
    condition = f"{quoted} IS {'NOT ' if how == 'with' else ''}NULL"
    same = next(
        (s for s in model.segments if s.table == dimension.table and s.condition == condition),
        None,
    )
    if same is not None:
        same.synonyms += said
    else:
        model.segments.append(Segment(said[0], dimension.table, condition, said[1:]))
    return True


def _spaced(name: str) -> str:
    """A name with hyphens, underscores and runs of spaces as single spaces ("check-in")."""
    return re.sub(r"[-_\s]+", " ", name.lower())


def _column_value(model: SemanticModel, said: list[str], head: str, code: str) -> bool:
    """`"Quebec" = Province `QC``, `"sparky" = Grade `Auto Electrician``: the words name
    one value of the column written before it (or the only column holding that value)."""
    literal = code.strip().strip("'\"").lower()
    head = _spaced(re.sub(r"[`\"*]", "", head)).strip()
    found = [
        (d, v) for d in model.dimensions for v in d.values if v.lower() == literal and not d.numeric
    ]
    named = [(d, v) for d, v in found if head and (_spaced(d.column) in head or d.name in head)]
    chosen = named or (found if len({d.column for d, _ in found}) == 1 else [])
    for dimension, value in chosen:
        dimension.value_synonyms.setdefault(value, []).extend(said)
    return bool(chosen)
