"""The intermediate plan a question becomes: measures, dimensions, filters, time grain and
window, ordering, limits and comparisons over the semantic model. The planner and the model
both produce one; `compile.py` turns it into SQL; `interpretation` says it in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlglot import exp

from tandem.apps.analyst.periods import Window
from tandem.apps.analyst.semantic import Measure

Mode = Literal["aggregate", "growth", "change", "anti", "both", "pct"]


@dataclass
class Condition:
    """A row condition on one table, with how it reads."""

    table: str
    sql: exp.Expr
    words: str
    at: int = -1  # where the question says it (the token), when known


@dataclass
class Group:
    """A grouping column (a time grain makes it a period)."""

    table: str
    column: str
    grain: str | None = None
    alias: str = ""


@dataclass
class Clarification:
    """What the planner could not tie to the data, and what it could have meant."""

    message: str
    term: str
    candidates: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # the unlinked noun phrases, for linking

    def to_json(self) -> dict[str, object]:
        """The clarification as JSON."""
        return {"message": self.message, "term": self.term, "candidates": self.candidates}


@dataclass
class Plan:
    """What to compute."""

    table: str
    measure: Measure | None = None
    agg: str = "count"
    count_key: tuple[str, str] | None = None
    entity_words: str = "rows"
    groups: list[Group] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    window: Window | None = None
    time_column: tuple[str, str] | None = None
    order: Literal["desc", "asc", "time"] | None = None
    limit: int | None = None
    per_group: Group | None = None
    share: bool = False
    mode: Mode = "aggregate"
    windows: list[Window] = field(default_factory=list)
    pct: Condition | None = None
    anti: tuple[str, str, str] | None = None  # entity table, its key, the fact's pointer
    anti_via: str | None = None  # the table holding that pointer, when not the fact itself
    count_rows: bool = False  # count the entities found instead of listing them
    notes: list[str] = field(default_factory=list)
    # Conditions on each group's value ("events that sold more than 200 tickets").
    having: list[tuple[str, float]] = field(default_factory=list)  # ("gt", 200.0)

    def measure_words(self) -> str:
        """The measure in words, with its definition."""
        if self.measure is None:
            if self.count_key is not None:
                return (
                    f"number of distinct {self.entity_words} ({self.count_key[1]} in {self.table})"
                )
            return f"number of {self.entity_words}"
        m = self.measure
        how = {
            "sum": "total",
            "avg": "average",
            "min": "minimum",
            "max": "maximum",
            "count": "count",
            "count_distinct": "distinct count",
        }.get(self.agg, "")
        text = (
            f"{how} {m.name}".strip() + f" = {self.agg}({m.expr})"
            if self.agg != "none"
            else (f"{m.name} = {m.expr}")
        )
        if m.per:
            text += f" per {m.per}, then averaged"
        if m.filter:
            text += f" where {m.filter}"
        return text

    def interpretation(self) -> str:
        """The plan in words: measure definitions, filters, grain and period actually used."""
        parts = [self.measure_words() + f" over {self.table}"]
        if self.groups:
            parts.append(
                "by "
                + ", ".join(f"{g.column} ({g.grain})" if g.grain else g.column for g in self.groups)
            )
        if self.conditions:
            parts.append("where " + " and ".join(c.words for c in self.conditions))
        for op, number in self.having:
            parts.append(f"keeping groups whose value is {op} {number:g}")
        if self.window is not None and self.time_column is not None:
            end = self.window.end
            parts.append(
                f"in {self.window.label} ({self.time_column[1]} from {self.window.start} "
                f"to before {end})"
            )
        if self.mode == "growth":
            parts.append("with the percent change against the previous period")
        if self.mode == "change":
            parts.append("comparing " + " with ".join(w.label for w in self.windows))
        if self.mode == "pct" and self.pct is not None:
            parts.append(f"as the percentage of rows where {self.pct.words}")
        if self.mode in ("anti", "both") and self.anti is not None:
            how = "no" if self.mode == "anti" else "some"
            head = f"{self.anti[0]} with {how} {self.table} rows in each period asked"
            parts = [head + (" (counted)" if self.count_rows else ""), *parts[1:]]
        if self.mode == "both" and self.anti is None:
            parts.append("counting the distinct values seen in every one of those periods")
        if self.share:
            parts.append("as a percentage of the total")
        if self.per_group is not None and self.limit:
            parts.append(f"top {self.limit} in each {self.per_group.column}")
        elif self.limit:
            parts.append(f"{'top' if self.order != 'asc' else 'bottom'} {self.limit}")
        return "; ".join(parts + self.notes) + "."
