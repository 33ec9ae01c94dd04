"""A dataset's semantic model: the business words (measures, dimensions, entities, named
conditions) connected to its columns, the way Cortex Analyst and dbt MetricFlow describe data.

A model is proposed from the profile when the user gives none (measures from numeric
columns, an obvious amount such as quantity x price, keys joining tables), and replaced by a
Markdown data dictionary or a YAML model (see `dictionary.py`). Every expression is parsed
by sqlglot and checked against the tables, so a bad model is a 400 at upload, not a wrong
answer later.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

from tandem.apps.analyst.datasets import Dataset, TableProfile
from tandem.apps.analyst.naming import abbreviates, singular, unitless, words
from tandem.errors import InvalidRequestError

DIALECT = "duckdb"
AGGREGATIONS = ("sum", "avg", "min", "max", "count", "count_distinct", "none")
NUMERIC = (
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "DOUBLE",
    "FLOAT",
    "REAL",
    "DECIMAL",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
)
TEMPORAL = ("DATE", "TIMESTAMP")
_AVERAGED = re.compile(
    r"\b(?:price|rate|pct|percent|percentage|score|rating|age|ratio|avg|average|rank|tier"
    r"|level|csat|nps|days|duration|time|margin|stars?|yrs|years|temperature|temp|speed"
    r"|latitude|longitude|lat|lon|lng)\b|%"
)  # a word of the name, not a part of one: "overtime pay" and "mileage" add up
_QUANTITY = re.compile(
    r"^(?:quantity|qty|units?|seats?|hours|volume|count|items|pieces|kwh|num_\w+)"
)
_PRICE = re.compile(r"(?:^|_)(?:unit_)?(?:price|rate|cost)(?:_|$)|price_per|rate_per|per_unit")
_DISCOUNT = re.compile(r"^(?:disc|discount|rebate|markdown)s?(?:_pct|_rate|_percent|_amount)?$")


class SemanticModelError(InvalidRequestError):
    """A semantic model that does not fit the dataset (400, naming the expression)."""

    code = "invalid_semantic_model"


@dataclass
class Dimension:
    """A column users filter or group by, under its business names."""

    name: str
    table: str
    column: str
    type: str
    synonyms: list[str] = field(default_factory=list)
    description: str = ""
    values: list[str] = field(default_factory=list)
    # Other words for a value: {"SME": ["small business"], "E": ["estimated"]}.
    value_synonyms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def temporal(self) -> bool:
        return self.type.upper().startswith(TEMPORAL)

    @property
    def numeric(self) -> bool:
        return self.type.upper().startswith(NUMERIC)


@dataclass
class Measure:
    """A number users ask for: a row expression with its default aggregation, or an
    expression that aggregates itself (`agg="none"`), optionally over a condition or
    averaged per entity (`per`: aggregate per that column first, then average)."""

    name: str
    table: str
    expr: str
    agg: str = "sum"
    synonyms: list[str] = field(default_factory=list)
    description: str = ""
    filter: str | None = None
    per: str | None = None
    percent: bool = False
    time: str | None = None  # the date its figures count on ("bookings by signed date")
    time_table: str | None = None  # that date's table, where it is not the measure's own


@dataclass
class Entity:
    """A table as a business thing: its key, the column that names a row, its words."""

    table: str
    synonyms: list[str] = field(default_factory=list)
    description: str = ""
    key: str | None = None
    label: str | None = None
    time: str | None = None


@dataclass
class Segment:
    """A named condition ("churned account", "satisfied ticket") on one table."""

    name: str
    table: str
    condition: str
    synonyms: list[str] = field(default_factory=list)
    time: str | None = None


@dataclass
class Relationship:
    """Many rows of `table` point at one row of `to_table` through these columns."""

    table: str
    column: str
    to_table: str
    to_column: str


@dataclass
class VerifiedQuery:
    """A question with the SQL known to answer it."""

    question: str
    sql: str


@dataclass
class Skipped:
    """A definition of a data dictionary that could not be used, and why: questions that
    name it are answered with a clarification quoting the reason, never a guess."""

    name: str
    reason: str
    synonyms: list[str] = field(default_factory=list)


@dataclass
class SemanticModel:
    """Everything the planner knows about a dataset's business words."""

    source: str = "proposed"
    entities: list[Entity] = field(default_factory=list)
    dimensions: list[Dimension] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    verified_queries: list[VerifiedQuery] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The model as JSON (the shape GET/PUT semantic-model use)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SemanticModel:
        """A model from its JSON."""
        return cls(
            source=str(data.get("source", "user")),
            entities=[Entity(**e) for e in data.get("entities", [])],
            dimensions=[Dimension(**d) for d in data.get("dimensions", [])],
            measures=[Measure(**m) for m in data.get("measures", [])],
            segments=[Segment(**s) for s in data.get("segments", [])],
            relationships=[Relationship(**r) for r in data.get("relationships", [])],
            verified_queries=[VerifiedQuery(**v) for v in data.get("verified_queries", [])],
            skipped=[Skipped(**k) for k in data.get("skipped", [])],
        )

    def entity(self, table: str) -> Entity | None:
        """The entity of a table."""
        return next((e for e in self.entities if e.table == table), None)

    def dimension(self, table: str, column: str) -> Dimension | None:
        """The dimension over one column."""
        return next((d for d in self.dimensions if d.table == table and d.column == column), None)

    def join(self, a: str, b: str) -> tuple[str, str] | None:
        """The (a column, b column) joining two tables, either direction."""
        for r in self.relationships:
            if (r.table, r.to_table) == (a, b):
                return r.column, r.to_column
            if (r.table, r.to_table) == (b, a):
                return r.to_column, r.column
        return None

    def lookups(self, table: str) -> dict[str, int]:
        """Tables one row of `table` reaches by following many-to-one relationships (a row's
        customer, that customer's region ...), each with its distance. Joining these never
        repeats a row of `table`, so its measures may use their columns."""
        reached = {table: 0}
        frontier = [table]
        while frontier:
            nxt: list[str] = []
            for current in frontier:
                for r in self.relationships:
                    if r.table == current and r.to_table not in reached:
                        reached[r.to_table] = reached[current] + 1
                        nxt.append(r.to_table)
            frontier = nxt
        return reached

    def measure_tables(self, m: Measure) -> set[str]:
        """Every table a measure's expression and filter name (its own and its lookups)."""
        return {m.table, *_tables_named(m.expr), *_tables_named(m.filter or "")}

    def path(self, start: str, goal: str) -> list[str] | None:
        """The tables from `start` to `goal` along relationships (shortest), if any."""
        queue: deque[list[str]] = deque([[start]])
        seen = {start}
        while queue:
            path = queue.popleft()
            if path[-1] == goal:
                return path
            for r in self.relationships:
                for a, b in ((r.table, r.to_table), (r.to_table, r.table)):
                    if a == path[-1] and b not in seen:
                        seen.add(b)
                        queue.append([*path, b])
        return None

    def references(self, table: str) -> list[Relationship]:
        """Relationships whose many side points at `table` (its facts)."""
        return [r for r in self.relationships if r.to_table == table]


_NAME_PART = re.compile(
    r"(?:^|_|\s)(?:first|last|given|family|middle|sur|full)[_\s]?name$|^surname$", re.I
)


@lru_cache(maxsize=4096)
def _tables_named(expression: str) -> frozenset[str]:
    """The tables an expression's qualified columns name (parsed once per expression: every
    compiled question asks)."""
    if not expression:
        return frozenset()
    tree = sqlglot.parse_one(expression, dialect=DIALECT)
    return frozenset(c.table for c in tree.find_all(exp.Column) if c.table)


def display_columns(model: SemanticModel, entity: Entity) -> list[str]:
    """The columns that show which row an entity is: its key, its label, and the other
    parts of a person's name when the name is split (first_name, last_name)."""
    columns = [entity.key, entity.label] if entity.label else [entity.key]
    if entity.label and _NAME_PART.search(entity.label):
        columns += [
            d.column
            for d in model.dimensions
            if d.table == entity.table and _NAME_PART.search(d.column)
        ]
    return list(dict.fromkeys(c for c in columns if c))


def is_key(column: str) -> bool:
    """A column name that reads as an identifier ("cust_id", "Cust No", "SKU", "MPRN")."""
    if re.fullmatch(r"[A-Z]{3,6}", column.strip()):
        return True
    # "PatientID" -> "patient_id", "Job #" -> "job_no"
    name = re.sub(r"[\s\-]+", "_", words(re.sub(r"\s*#$", " no", column.strip())))
    return bool(
        re.search(
            r"(?:^id$|_id$|^id_|_no$|_code$|_key$|_number$|^code$|_ref$|^sku$|_sku$|^ref$)", name
        )
    )


def propose(dataset: Dataset) -> SemanticModel:
    """A model read from the profile: what a careful analyst would assume on first sight."""
    model = SemanticModel(source="proposed")
    for table in dataset.tables:
        model.entities.append(_entity(table))
        for column in table.columns:
            bare = unitless(column.name)
            model.dimensions.append(
                Dimension(
                    name=words(column.name),
                    table=table.name,
                    column=column.name,
                    type=column.type,
                    values=list(column.values or []),
                    synonyms=bare,
                )
            )
            if column.type.upper().startswith(NUMERIC) and not is_key(column.name):
                agg = "avg" if _AVERAGED.search(words(column.name)) else "sum"
                said = ["units", "items", "volume"] if _QUANTITY.match(column.name.lower()) else []
                said = said + bare
                model.measures.append(
                    Measure(
                        name=words(column.name),
                        table=table.name,
                        expr=_quoted(column.name),
                        agg=agg,
                        synonyms=said,
                    )
                )
        model.measures.extend(_derived(table))
        model.segments.extend(_flags(table))
    model.relationships = infer_relationships(dataset)
    choose_keys(model)
    choose_times(model)
    return model


def choose_keys(model: SemanticModel) -> None:
    """An entity without a key of its own name takes the column other tables point at
    ("Rego" on vehicles, which jobs reference)."""
    for entity in model.entities:
        if entity.key is None:
            entity.key = next(
                (r.to_column for r in model.relationships if r.to_table == entity.table), None
            )


def choose_times(model: SemanticModel) -> None:
    """Each entity's time column: the date that says when the row itself happened ("Appt
    Date" on appointments, a date the dictionary says rows are "counted on"), not when it
    was booked, paid or born."""
    for entity in model.entities:
        dates = [d for d in model.dimensions if d.table == entity.table and d.temporal]
        if len(dates) < 2:
            continue
        noun = singular(words(entity.table).split()[-1])
        best = max(dates, key=lambda d: (_time_score(d, noun), -dates.index(d)))
        entity.time = best.column


# "counted on this date", "count in the period of this date", "dated by", "belongs to".
_COUNTED_ON = re.compile(
    r"\bcounted\b|\bbelongs? to\b|\bcounts? (?:in|on|by|towards?)\b|\bperiod of this date\b"
    r"|\bdated (?:by|on)\b|\breported (?:in|on|by)\b"
)


def dated_by_dictionary(model: SemanticModel, entity: Entity) -> bool:
    """Whether the dictionary says the entity's rows count on its time column ("Events
    count in the period of this date")."""
    d = model.dimension(entity.table, entity.time) if entity.time else None
    return d is not None and bool(_COUNTED_ON.search(d.description.lower()))


def _time_score(d: Dimension, noun: str) -> int:
    """How surely a date column says when a row of the `noun` table happened."""
    said = d.description.lower()
    value = 0
    if re.search(_COUNTED_ON, said):
        value += 3
    parts = [w for w in words(d.column).split() if w not in ("date", "on", "at", "dt")]
    if any(abbreviates(w, noun) for w in parts):
        value += 2
    lead = re.match(r"(?:the )?date (?:of|on which) (?:the |this |a )?(\w+)", said)
    if lead and (abbreviates(lead.group(1)[:4], noun) or singular(lead.group(1)) == noun):
        value += 2
    if re.search(r"birth|\bdob\b", f"{said} {d.column.lower()}"):
        value -= 3
    if re.search(r"\b(?:booked|made|paid|installed|created|updated|modified)\b", said):
        value -= 1
    return value


_YES = ("y", "yes", "true", "t", "1")
_NO = ("n", "no", "false", "f", "0")


def _flags(table: TableProfile) -> list[Segment]:
    """A yes/no column ("Paperless" Y/N, "Green?") as a named condition: "paperless
    customers" are the rows where it says yes."""
    out = []
    for column in table.columns:
        values = [str(v) for v in (column.values or [])]
        lowered = {v.lower() for v in values}
        if len(values) != 2 or not (lowered & set(_YES) and lowered & set(_NO)):
            continue
        yes = next(v for v in values if v.lower() in _YES)
        name = re.sub(r"[^\w\s]", " ", words(column.name))
        name = re.sub(r"^(?:is|has)\s+", "", " ".join(name.split()))
        if not name or is_key(column.name):
            continue
        literal = exp.Literal.string(yes)
        condition = exp.EQ(this=exp.column(column.name, quoted=True), expression=literal)
        out.append(Segment(name, table.name, condition.sql(dialect=DIALECT)))
    return out


def _quoted(column: str) -> str:
    return exp.to_identifier(column, quoted=True).sql(dialect=DIALECT)


def _entity(table: TableProfile) -> Entity:
    names = [c.name for c in table.columns]
    stem = singular(table.name.lower())
    key = next(
        (c.name for c in table.columns if c.name.lower() in ("id", f"{stem}_id")), None
    ) or next((c.name for c in table.columns if is_key(c.name) and c.distinct == table.rows), None)
    text = [c for c in table.columns if c.type.upper().startswith("VARCHAR") and not is_key(c.name)]
    label = next((c.name for c in text if re.search(r"name|title", c.name, re.I)), None)
    if label is None and text and text[0].distinct == table.rows:
        label = text[0].name
    temporal = [c for c in table.columns if c.type.upper().startswith(TEMPORAL)]
    return Entity(
        table=table.name,
        synonyms=[words(table.name), singular(words(table.name))],
        key=key if key in names else None,
        label=label,
        time=temporal[0].name if temporal else None,
    )


def _derived(table: TableProfile) -> list[Measure]:
    """An amount the columns make obvious: quantity x price, less a discount."""
    numeric = [
        c for c in table.columns if c.type.upper().startswith(NUMERIC) and not is_key(c.name)
    ]
    quantity = next((c for c in numeric if _QUANTITY.match(c.name.lower())), None)
    price = next((c for c in numeric if _PRICE.search(c.name.lower())), None)
    if quantity is None or price is None or quantity is price:
        return []
    expr = f"{_quoted(quantity.name)} * {_quoted(price.name)}"
    discount = next((c for c in numeric if _DISCOUNT.match(c.name.lower())), None)
    note = f"{quantity.name} x {price.name}"
    if discount is not None:
        fraction = discount.max is not None and float(discount.max) <= 1
        if fraction:
            expr = f"{expr} * (1 - COALESCE({_quoted(discount.name)}, 0))"
            note += f" x (1 - {discount.name})"
        else:
            expr = f"{expr} - COALESCE({_quoted(discount.name)}, 0)"
            note += f" - {discount.name}"
    is_cost = "cost" in price.name.lower()
    name = "total cost" if is_cost else "revenue"
    synonyms = (
        ["cost", "spend", "expense"] if is_cost else ["sales", "amount", "turnover", "income"]
    )
    return [
        Measure(
            name=name,
            table=table.name,
            expr=expr,
            agg="sum",
            synonyms=synonyms,
            description=f"proposed: {note}",
        )
    ]


def infer_relationships(dataset: Dataset) -> list[Relationship]:
    """Joins the names make obvious: a column named like another table's unique key."""
    found: list[Relationship] = []
    for one in dataset.tables:
        for key in one.columns:
            unique = key.distinct == one.rows and key.nulls == 0
            stem = singular(one.name.lower())
            if not unique:
                continue
            for many in dataset.tables:
                if many is one:
                    continue
                for column in many.columns:
                    same = column.name.lower() == key.name.lower() and is_key(column.name)
                    pointer = key.name.lower() == "id" and column.name.lower() == f"{stem}_id"
                    if same or pointer:
                        found.append(Relationship(many.name, column.name, one.name, key.name))
    return found
