"""Reading a semantic model from what users write: a Markdown data dictionary (tables of
column meanings, definitions with formulas, synonyms) or a YAML model in the style of
Cortex Analyst / dbt MetricFlow (read in semantic_yaml.py). Both are merged over the
proposed model, so every column stays addressable, and checked against the tables
(`validation.check`)."""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from tandem.apps.analyst.datasets import Dataset
from tandem.apps.analyst.formulas import (
    expand,
    is_condition,
    measure_of,
    parse_formula,
    scope_measures,
    scope_rule,
    shaped,
)
from tandem.apps.analyst.measure_place import place, temporal
from tandem.apps.analyst.naming import singular, words
from tandem.apps.analyst.prose import (
    dated_by,
    formula_span,
    rows_of,
    said_names,
    taken_over,
)
from tandem.apps.analyst.semantic import (
    DIALECT,
    Dimension,
    Measure,
    Relationship,
    Segment,
    SemanticModel,
    SemanticModelError,
    Skipped,
    choose_keys,
    choose_times,
    propose,
)
from tandem.apps.analyst.semantic_yaml import from_yaml
from tandem.apps.analyst.validation import check, columns_of, real_column
from tandem.apps.analyst.wording import CODE, QUOTED, synonym_line, value_meanings

_ARROW = re.compile(
    r"(?:→|->|references|refers to|foreign key to|joins? (?:to|with|on)|links? to)\s*"
    r"`?(\w+)\.(?:\"([^\"]+)\"|(\w+))`?",
    re.I,
)


def parse(text: str, filename: str, dataset: Dataset) -> SemanticModel:
    """The model a dictionary file describes, merged over the proposed one and checked."""
    name = filename.lower()
    formal = name.endswith((".yaml", ".yml")) or bool(
        re.match(r"\s*(?:name|tables|semantic_models)\s*:", text)
    )
    model = from_yaml(text, dataset) if formal else from_markdown(text, dataset)
    # A YAML model is code and is refused whole; a Markdown dictionary is prose, and a
    # formula in it that does not fit is left out and reported (`skipped`).
    check(model, dataset, lenient=not formal)
    return model


def from_markdown(text: str, dataset: Dataset) -> SemanticModel:
    """Column meanings, relationships, definitions and synonyms from a Markdown dictionary,
    in the shapes analysts write them: tables of columns or bullet lists of them, metrics as
    bold bullets or as table rows with a formula, synonyms as "x", "y" mean z."""
    model = propose(dataset)
    model.source = "dictionary"
    tables = {t.name.lower(): t.name for t in dataset.tables}
    current: str | None = None
    definitions: list[tuple[str, str]] = []
    synonym_lines: list[str] = []
    for line in reflow(text):
        stripped = line.strip()
        if heading := re.match(r"^#{1,6}\s+(.+)$", stripped):
            current = _heading_table(heading.group(1), tables)
            continue
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            described = current and _describe_columns(model, current, cells[0], cells[1:])
            if not described and (row := _formula_row(cells)):
                definitions.append(row)
            continue
        item = _COLUMN_ITEM.match(stripped) if current else None
        if current and item and _describe_columns(model, current, item.group(1), [item.group(2)]):
            continue
        if re.search(r"\*\*(.+?)\*\*", stripped) and CODE.search(stripped):
            definitions += _definitions_in(stripped)
        elif stripped.startswith(("-", "*", "+")):
            synonym_lines.append(stripped)
        elif current and stripped and model.entity(current) is not None:
            entity = model.entity(current)
            if entity is not None and not entity.description:
                entity.description = stripped
    defined = [_defined(model, dataset, name, body) for name, body in definitions]
    if any(d == "measure" for d in defined):
        model.measures = [m for m in model.measures if not m.description.startswith("proposed")]
    for line in synonym_lines:
        synonym_line(model, line)
    scope_measures(model)
    choose_keys(model)
    names = [t.name for t in dataset.tables]
    for (name, body), kind in zip(definitions, defined, strict=True):
        if kind == "none":
            scope_rule(model, name, body, names)
    choose_times(model)
    return model


def _definitions_in(line: str) -> list[tuple[str, str]]:
    """The definitions of one bullet: a sentence that opens with another bold name starts
    another ("**Completed job** means `x`; an **open job** means `y`")."""
    out: list[tuple[str, str]] = []
    for part in re.split(r"(?<=[.;])\s+(?:an?\s+|the\s+)?(?=\*\*)", line):
        bold = re.search(r"\*\*(.+?)\*\*", part)
        if bold is not None and CODE.search(part):
            out.append((bold.group(1), part[bold.end() :]))
        elif out:
            out[-1] = (out[-1][0], f"{out[-1][1]} {part}")
    return out


_COLUMN_ITEM = re.compile(r"^[-*+]\s+(.+?)\s*(?::|\u2014|\u2013|\s-\s)\s*(.+)$")


_NOT_A_NAME = ("date", "number", "the ", "a ", "who", "what", "when", "where")


def _heading_table(title: str, tables: dict[str, str]) -> str | None:
    """The table a heading introduces ("orders", "Table: `orders`", "The orders table")."""
    for word in re.findall(r"[\w.]+", title.lower()):
        word = re.sub(r"\.(?:csv|tsv|parquet|xlsx|json)$", "", word)
        if word in tables:
            return tables[word]
    return None


def reflow(text: str) -> list[str]:
    """Lines with hard-wrapped list items and paragraphs joined: an indented line, or a
    plain line right under a list item, continues the item above it."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        structural = not stripped or stripped.startswith(("-", "*", "|", "#", "+"))
        if out and not structural and re.match(r"^\s*[-*+]\s", out[-1]):
            out[-1] = f"{out[-1].rstrip()} {stripped}"
        else:
            out.append(line)
    return out


def _formula_row(cells: list[str]) -> tuple[str, str] | None:
    """A metrics-table row: a name, words about it, and a formula in a code span."""
    if len(cells) < 2 or not any(re.search(r"`[^`]*[=(*/+<>][^`]*`", c) for c in cells[1:]):
        return None
    name = re.sub(r"[`*]", "", cells[0]).strip()
    return (name, " ".join(cells[1:])) if name else None


def _describe_columns(model: SemanticModel, table: str, names: str, rest: list[str]) -> bool:
    """Meanings for the columns a row or bullet names ("`first_name`, `last_name`")."""
    said = [re.sub(r"[`*\"]", "", n).strip() for n in re.split(r",|\band\b|/", names)]
    found = [
        d
        for d in model.dimensions
        if d.table == table and d.column.lower() in {n.lower() for n in said if n}
    ]
    if not found or not rest:
        return False
    for dimension in found:
        _column_meaning(model, table, dimension, rest[0], single=len(found) == 1)
    return True


def _column_meaning(
    model: SemanticModel, table: str, dimension: Dimension, meaning: str, single: bool
) -> None:
    dimension.description = meaning
    if arrow := _ARROW.search(meaning):
        tables = {e.table.lower(): e.table for e in model.entities}
        target = tables.get(arrow.group(1).lower())
        said = (arrow.group(2) or arrow.group(3)).lower()
        target_dim = next(
            (d for d in model.dimensions if d.table == target and d.column.lower() == said), None
        )
        known = {(r.table, r.column) for r in model.relationships}
        if (
            target is not None
            and target_dim is not None
            and target != table
            and (table, dimension.column) not in known
        ):
            model.relationships.append(
                Relationship(table, dimension.column, target, target_dim.column)
            )
    value_meanings(model, table, dimension, meaning)
    head = re.split(r"[.,:;(]", meaning, maxsplit=1)[0].strip().lower()
    values = {v.lower() for v in dimension.values}
    if (
        single
        and head
        and len(head.split()) <= 4
        and not head[0].isdigit()
        and head not in values
        and not head.startswith(_NOT_A_NAME)
    ):
        dimension.synonyms.append(head)
    dimension.synonyms += [a.lower() for a in re.findall(r"\(([A-Z]{2,6})\)", meaning)]


def _defined(model: SemanticModel, dataset: Dataset, title: str, body: str) -> str:
    """One definition read, or left out and listed as skipped with the reason."""
    try:
        return _definition(model, dataset, title, body)
    except SemanticModelError as exc:
        synonyms = [title.strip().lower(), *said_names(body)]
        model.skipped.append(Skipped(title.strip(), exc.message, synonyms))
        return "skipped"


def _definition(model: SemanticModel, dataset: Dataset, title: str, body: str) -> str:
    """One "**Name** means ...: `formula`" line: a measure, a named condition, or nothing."""
    spans = CODE.findall(body)
    synonyms = [title.strip().lower(), *said_names(body)]
    columns = columns_of(dataset)
    known = {c for cols in columns.values() for c in cols}
    formula = formula_span(spans, known)
    rows = rows_of(body, list(columns))
    if rows is not None and (not formula or _table_of(formula, columns, model) is None):
        return _rows_named(model, rows, synonyms)
    if not formula:
        return "none"
    # "`SUM(contract_value)` over quotes with `Status = 'Open'`": the amount, over the rows.
    formula = next((s for s in spans if s != formula and taken_over(body, s) == formula), formula)
    lhs, rhs = None, formula
    # `net = a - b` names a measure; `status = 'x'` (a column on the left) is a condition.
    if (m := re.match(r"^\s*(\w+)\s*=(?!=)\s*(.+)$", formula)) and m.group(1).lower() not in known:
        lhs, rhs = m.group(1), m.group(2)
    # A code span that is a column's name as written ("`Loyalty Tier`") is that column.
    bare = next(
        (c for cols in columns.values() for k, c in cols.items() if k == rhs.strip().lower()),
        None,
    )
    if bare is not None:
        rhs = exp.column(bare, quoted=True).sql(dialect=DIALECT)
    if not shaped(rhs) and not _reads_as_condition(rhs) and (over := taken_over(body, formula)):
        rhs = f"{rhs} WHERE {over}"  # "a charge on loans with `Lost = 'Y'`"
    table = _table_of(rhs, columns, model)
    if table is None and not re.search(r"[=(<>*/+]", rhs):
        return "none"  # words in code type ("`E`", "`kWh`"), not a formula
    if table is None:
        raise SemanticModelError(
            f"definition '{title}': `{formula}` names no column of any table", param="dictionary"
        )
    tree = parse_formula(title, expand(model, rhs)) if not shaped(rhs) else exp.Null()
    if lhs is None and isinstance(tree, exp.Column) and _DISTINCT.search(body.split("`")[0]):
        # "**Customer** means one distinct `"Cust #"`": customers are counted, not a filter.
        column = exp.column(
            real_column(columns, table, tree.name), table=tree.table or None, quoted=True
        )
        name = title.strip().lower()
        model.measures = [m for m in model.measures if m.name != name]
        model.measures.append(
            Measure(name, table, column.sql(dialect=DIALECT), "count_distinct", synonyms[1:])
        )
        return "measure"
    if lhs is None and is_condition(tree) and _measure_on(model, title, body, spans, formula):
        return "measure"
    if lhs is None and is_condition(tree):
        return _segment(model, columns, title, body, formula, tree, table, synonyms[1:])
    name = words(lhs) if lhs else title.lower()
    model.measures = [m for m in model.measures if m.name != name]
    measure = measure_of(model, name, table, rhs, synonyms, body)
    place(model, body, measure)
    model.measures.append(measure)
    return "measure"


def _segment(
    model: SemanticModel,
    columns: dict[str, dict[str, str]],
    title: str,
    body: str,
    formula: str,
    tree: exp.Expr,
    table: str,
    synonyms: list[str],
) -> str:
    """A named condition ("**Active member** means ..."), on the table its noun names."""
    noun = title.lower().split()[-1]
    owner = next(
        (e.table for e in model.entities if singular(noun) in map(singular, e.synonyms)), table
    )
    condition = tree.sql(dialect=DIALECT)
    time = None
    if isinstance(tree, exp.Column):
        after = body.split(f"`{formula}`", 1)[-1][:40].lower()
        if re.match(_COMPARED, after):
            # "`Event Date` after today" says more than "filled in": not a guess.
            raise SemanticModelError(
                f"definition '{title}': `{formula}` {after.split('.')[0].strip()} is not "
                "a condition that can be read; write it as SQL, e.g. `column > value`",
                param="dictionary",
            )
        before = body.split(f"`{formula}`", 1)[0][-30:].lower()
        empty = re.search(r"\b(?:no|without|blank|empty|missing)\s*$", before) or re.match(
            r"\s*(?:is\s+)?(?:blank|empty|null|missing)\b", after
        )
        # "an employee with no `termination_date`": the rows where it is blank.
        condition = f"{tree.sql(dialect=DIALECT)} IS {'' if empty else 'NOT '}NULL"
        dim = model.dimension(table, real_column(columns, table, tree.name))
        time = dim.column if dim is not None and dim.temporal else None
    time = time or dated_by(body, temporal(model, owner))
    model.segments.append(Segment(title.lower(), owner, condition, synonyms, time))
    return "segment"


def _rows_named(model: SemanticModel, table: str, synonyms: list[str]) -> str:
    """ "**Loan** (also "checkout") means one row of `loans`": more names of that table's
    rows, so "how many checkouts" counts loans."""
    entity = model.entity(table)
    if entity is None:
        return "none"
    entity.synonyms += [s for s in synonyms if s not in entity.synonyms]
    return "entity"


def _reads_as_condition(text: str) -> bool:
    try:
        return is_condition(sqlglot.parse_one(text, dialect=DIALECT))
    except sqlglot.errors.SqlglotError:
        return False


_COMPARED = re.compile(
    r"\s*(?:is\s+)?(?:(?:after|before|since|until|later|earlier|older|newer|over|under|above"
    r"|below|more|less|greater|within|in the (?:future|past)|than)\b|[<>=])"
)
_DISTINCT = re.compile(r"\b(?:one|each|a|every)\s+(?:distinct|unique|different)\s*$", re.I)
_ON_ROWS = r"\s+(?:on|for|of|from|over|in|where|with)\b"


def _measure_on(
    model: SemanticModel, title: str, body: str, spans: list[str], formula: str
) -> bool:
    """ "**Labour revenue**, **parts revenue** and **sundry revenue** mean revenue on lines
    with `Type = 'Labour'`, `'Part'` and `'Sundry'`": each name is a measure the definition
    names, counting only the rows its condition picks (the later literals stand in for the
    first one's)."""
    prose = re.sub(r"`[^`]*`", " ", body).lower()
    head = re.search(r"\bmeans?\s+(?:the\s+|our\s+|total\s+)?(.+)$", prose)
    if head is None:
        return False
    base = next(
        (
            m
            for m in sorted(model.measures, key=lambda m: -len(m.name))
            if m.agg != "none" and re.match(rf"{re.escape(m.name)}(?:s)?{_ON_ROWS}", head.group(1))
        ),
        None,
    )
    if base is None:
        return False
    names = [(title, body[: body.find("**")] if "**" in body else body)]
    for bold in re.finditer(r"\*\*(.+?)\*\*([^*]*)", body):
        if bold.start() < (body.lower().find(" mean") if " mean" in body.lower() else len(body)):
            names.append((bold.group(1), bold.group(2)))
    first = sqlglot.parse_one(formula, dialect=DIALECT)
    conditions = [first]
    later = spans[spans.index(formula) + 1 :] if formula in spans else []
    literal = first.find(exp.Literal)
    for span in later:
        if literal is not None and re.fullmatch(r"\s*'[^']*'\s*", span):
            value = exp.Literal.string(span.strip().strip("'"))
            conditions.append(
                first.transform(lambda n: value.copy() if n == literal else n)  # noqa: B023
            )
    if len(conditions) != len(names):
        conditions = conditions[:1]
        names = names[:1]
    for (name, aside), condition in zip(names, conditions, strict=True):
        said = [q.lower() for q in QUOTED.findall(aside.split("**")[0])]
        cond = condition.sql(dialect=DIALECT)
        model.measures = [m for m in model.measures if m.name != name.strip().lower()]
        model.measures.append(
            Measure(
                name.strip().lower(),
                base.table,
                base.expr,
                base.agg,
                said,
                description=f"{base.name} where {cond}",
                filter=f"({base.filter}) AND ({cond})" if base.filter else cond,
            )
        )
    return True


def _table_of(text: str, columns: dict[str, dict[str, str]], model: SemanticModel) -> str | None:
    """The table a formula belongs to: the one from which most of the columns it names
    can be reached (its own and its many-to-one lookups), then the one naming most itself;
    measures named inside count too."""
    named = set(re.findall(r'"([^"]+)"', text)) | set(re.findall(r"\b([A-Za-z_]\w*)\b", text))
    named = {n.lower() for n in named}
    own = {t: len(named & set(cols)) for t, cols in columns.items()}
    for measure in model.measures:
        if measure.name.replace(" ", "_") in named:
            own[measure.table] = own.get(measure.table, 0) + 2
    reach: dict[str, int] = {}
    for table in columns:
        seen = set().union(*(columns[t] for t in model.lookups(table) if t in columns))
        reach[table] = len(named & seen)
    best = max(columns, key=lambda t: (reach[t] if own.get(t) else 0, own.get(t, 0)), default=None)
    return best if best is not None and own.get(best, 0) > 0 else None
