"""What a data dictionary says about words: other names for values ("RES = residential",
`"derm" = Dermatology`), named conditions ("Blank = self-pay", `= blank Insurer`), and
synonym lines naming tables, columns and measures."""

from __future__ import annotations

import re

from sqlglot import exp

from tandem.apps.analyst.semantic import DIALECT, Dimension, Segment, SemanticModel, singular

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
    if blank := _BLANK.search(text):
        said = [w.strip(" .").lower() for w in re.split(r",|\bor\b|/", blank.group(1))]
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
    target = re.sub(r"[`\"*]", "", target_text).strip().strip(".;,").lower()
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
    target_forms = {target, singular(target), target.replace(" ", "_")}
    for entity in model.entities:
        if {entity.table.lower(), singular(entity.table.lower())} & target_forms:
            entity.synonyms += said
    for dimension in model.dimensions:
        if {dimension.column.lower(), dimension.name} & target_forms:
            dimension.synonyms += said
    for measure in model.measures:
        if {measure.name, measure.name.replace(" ", "_")} & target_forms:
            measure.synonyms += said
