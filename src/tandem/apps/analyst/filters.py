"""The question's filters: category values (negated where the question says "not"),
named segments, and numeric thresholds on a measure or a number column."""

from __future__ import annotations

import re

from sqlglot import exp

from tandem.apps.analyst.compile import col, negate, qualify
from tandem.apps.analyst.grouping import Grouping
from tandem.apps.analyst.linking import Link, tokens
from tandem.apps.analyst.plan import Clarification, Condition, Plan
from tandem.apps.analyst.semantic import Dimension, Entity, Measure, Segment

_NEGATE = {
    "not",
    "excluding",
    "except",
    "exclude",
    "non",
    "without",
    "aren't",
    "isn't",
    "weren't",
    "wasn't",
    "don't",
    "doesn't",
    "didn't",
    "haven't",
    "hasn't",
}
_GRAIN_WORDS = {"monthly", "weekly", "daily", "yearly", "quarterly", "annual", "annually"}


class Filtering(Grouping):
    """The builder's filtering step (a base of the parser's builder)."""

    def _filters(self, plan: Plan, links: list[Link]) -> Clarification | None:
        by_dimension: dict[tuple[str, str], list[str]] = {}
        said_at: dict[tuple[str, str], int] = {}
        negated: set[tuple[str, str]] = set()
        for link in links:
            values = [v for v in self.kinds(link, "value") if isinstance(v, tuple)]
            if values and self._grain_word(link, values[0][0]):
                continue
            if values and not self.kinds(link, "measure"):
                d, value = self._choose_value(plan, values)
                key = (d.table, d.column)
                by_dimension.setdefault(key, []).append(value)
                said_at.setdefault(key, link.start)
                if set(self.before(link, 2)) & _NEGATE:
                    negated.add(key)
            for s in self.kinds(link, "segment"):
                if isinstance(s, Segment) and s.name:
                    cond = qualify(s.condition, s.table, self.columns[s.table])
                    words_ = f"{s.name} ({s.condition})"
                    # "guests who aren't in the loyalty programme": the condition's opposite.
                    if set(self.before(link, 3)) & _NEGATE:
                        cond, words_ = negate(cond), f"not {words_}"
                    plan.conditions.append(Condition(s.table, cond, words_, link.start))
                    if s.time:
                        plan.time_column = (s.table, s.time)
        for (table, column), texts in by_dimension.items():
            ref = col(table, column)
            literals = [exp.Literal.string(v) for v in texts]
            test: exp.Expr = (
                exp.EQ(this=ref, expression=literals[0])
                if len(texts) == 1
                else exp.In(this=ref, expressions=literals)
            )
            said = f"{column} {'is' if len(texts) == 1 else 'in'} {', '.join(texts)}"
            if (table, column) in negated:
                test, said = negate(test), f"not ({said})"
            plan.conditions.append(Condition(table, test, said, said_at[(table, column)]))
        return self._thresholds(plan, links)

    def _grain_word(self, link: Link, d: Dimension) -> bool:
        """ "monthly trip counts": the time grain, not the plan called "Monthly" (which
        "monthly members" would be: the next word names the value's own table)."""
        if link.text not in _GRAIN_WORDS or self.p.grain is None:
            return False
        nxt = next((lk for lk in self.p.linked.links if lk.start == link.end), None)
        if nxt is None:
            return True
        tables = {
            item.table
            for kind, item in nxt.items
            if kind in ("entity", "dimension", "measure")
            and isinstance(item, Entity | Dimension | Measure)
        }
        return bool(tables) and d.table not in tables

    def _choose_value(
        self, plan: Plan, values: list[tuple[Dimension, str]]
    ) -> tuple[Dimension, str]:
        named = self._named_tables()
        for d, v in values:
            if d.table in named and (d.table == plan.table or self._reaches(plan.table, d.table)):
                return d, v
        for d, v in values:
            if d.table == plan.table:
                return d, v
        for d, v in values:
            if self.model.join(plan.table, d.table):
                return d, v
        return values[0]

    def _unit_column(self, position: int) -> Dimension | None:
        """The number column whose header's unit the question puts after a threshold's
        number ("200,000 km" and "Odometer (km)"), when exactly one has it."""
        for m in re.finditer(r"\d[\d,.]*\s*(?:k\b)?\s*([a-z]+)", self.p.q[position:]):
            found = [
                d
                for d in self.model.dimensions
                if d.numeric and not d.temporal and m.group(1) in _unit_of(d.column)
            ]
            return found[0] if len(found) == 1 else None
        return None

    def _thresholds(self, plan: Plan, links: list[Link]) -> Clarification | None:
        for op, number, position in self.p.thresholds:
            at = len(tokens(self.p.q[:position]))
            candidates: list[tuple[int, exp.Expr, str, str]] = []
            for link in links:
                for kind, item in link.items:
                    if (
                        kind == "measure"
                        and isinstance(item, Measure)
                        and item.agg not in ("none", "count", "count_distinct")
                        and not item.per
                    ):
                        ref = qualify(item.expr, item.table, self.columns[item.table])
                        candidates.append((abs(link.start - at), ref, item.table, item.name))
                    elif kind == "dimension" and isinstance(item, Dimension) and item.numeric:
                        candidates.append(
                            (
                                abs(link.start - at),
                                col(item.table, item.column),
                                item.table,
                                item.column,
                            )
                        )
            unit = self._unit_column(position)
            if not candidates and unit is not None:
                # "more than 200,000 km": the one number column measured in km.
                candidates.append((0, col(unit.table, unit.column), unit.table, unit.column))
            if not candidates and plan.measure is not None and plan.measure.agg != "none":
                m = plan.measure
                candidates.append(
                    (0, qualify(m.expr, m.table, self.columns[m.table]), m.table, m.name)
                )
            if not candidates:
                return Clarification(
                    f"I could not tell which number the threshold {number:g} applies to.",
                    term=f"{number:g}",
                    candidates=[m.name for m in self.model.measures],
                )
            _, ref, table, name = min(candidates, key=lambda c: c[0])
            named = next(
                (
                    item
                    for link in links
                    for kind, item in link.items
                    if kind == "measure" and isinstance(item, Measure) and item.name == name
                ),
                None,
            )
            if (
                plan.measure is None
                and plan.groups
                and not plan.conditions
                and named is not None
                and named.agg not in ("none", "count", "count_distinct")
                and all(
                    self._reaches(named.table, g.table) or g.table == named.table
                    for g in plan.groups
                )
            ):
                # "which customers were billed more than 20k": each one's total of the
                # measure, kept where it passes; not a count of rows over 20k.
                plan.table, plan.measure, plan.agg = named.table, named, named.agg
                plan.count_key = None
            asked = plan.measure
            if (
                plan.groups
                and asked is not None
                and name == asked.name
                and not asked.per
                and plan.mode == "aggregate"
                and not any(g.grain for g in plan.groups)
            ):
                # "events that sold more than 200 tickets": each event's total, not a line's.
                plan.having.append((op.key, number))
                continue
            cond = op(this=ref, expression=exp.Literal.number(number))
            plan.conditions.append(Condition(table, cond, f"{name} {cond.key} {number:g}", at))
        return None


# Units of measure a number may be said in; a currency is not one (many columns hold money).
_UNITS_SAID = """
    km kms mi miles kg kgs g lb lbs t tonnes kwh mwh wh l litres liters ml cm mm m
    min mins minutes hrs hours sec secs seconds
"""
_MEASURED = frozenset(_UNITS_SAID.split())


def _unit_of(column: str) -> set[str]:
    found = {t for inside in re.findall(r"\(([^)]*)\)", column) for t in tokens(inside)}
    return found & _MEASURED
