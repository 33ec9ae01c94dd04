"""The plan's measure and family: an aggregate of a measure, a count of entities or of
distinct values, an average per entity, first/last events and days between dates."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlglot import exp

from tandem.apps.analyst.compile import group
from tandem.apps.analyst.durations import Durations
from tandem.apps.analyst.linking import Item, Kind, Link, tokens
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.semantic import (
    Dimension,
    Entity,
    Measure,
    Segment,
    display_columns,
    is_key,
)

_DISTINCT_COUNT = re.compile(
    r"\b(?:how many|number of|count of|count)\s+(?:distinct|different|unique)\b"
)
_AVG_ONLY = re.compile(r"price|rate|pct|percent|score|rating|csat")


class Families(Durations):
    """The builder's measure step (a base of the parser's builder)."""

    previous: Plan | None

    def _measure_plan(
        self, measures: list[Link], entities: list[Link], counting: bool
    ) -> Plan | None:
        q = self.p.q
        if re.search(r"\bhow (?:many|much) (?:days|time)\b|\bhow long\b", q):
            # "how many days after joining is a member's first ride": a duration, though
            # "first" and the things' names would make a date or a count of them.
            days = self._days_between()
            if days is not None:
                return days
        first_last = re.search(
            r"\b(first|earliest|last|latest|most recent(?=ly\b|\b)|newest|oldest)", self.p.rest
        )
        if first_last and measures and re.search(r"\bwhen\b|\b(?:date|day)\b", q):
            # "when did each shop take its first order": the order's date, even where
            # "order" also names a measure.
            plan = self._first_last(entities, first_last.group(1), measures)
            if plan is not None:
                return plan
        if measures and not (counting and self._counted_entity(entities, measures)):
            link = measures[0]
            measure = self._pick_measure(link)
            if counting and measure.agg == "count_distinct" and not measure.filter:
                # "how many visits does a car make, on average": visits per car (the rows
                # of the table whose key the measure counts, where there is one).
                key = measure.expr.strip().strip('"')
                owner = next(
                    (e for e in self.model.entities if e.key == key and e.table != measure.table),
                    None,
                )
                per = (
                    self._count_per(owner.table, link)
                    if owner is not None
                    else self._count_per(measure.table, link, measure.expr)
                )
                if per is not None:
                    return per
            agg = self._agg(measure, q)
            plan = Plan(table=measure.table, measure=measure, agg=agg)
            return self._per_entity(plan, entities)
        first_last = re.search(
            r"\b(first|earliest|last|latest|most recent(?=ly\b|\b)|newest|oldest)", self.p.rest
        )
        if first_last and not measures:
            return self._first_last(entities, first_last.group(1))
        days = self._days_between()
        if days is not None:
            return days
        if counting and (counted := self._counted_dimension()) is not None:
            # "how many different job titles", "distinct perils on home policies".
            return Plan(
                table=counted.table,
                agg="count",
                entity_words=counted.name,
                count_key=(counted.table, counted.column),
            )
        share = re.search(r"\bpercent(?:age)?\b|\bshare\b|\bproportion\b|%", q)
        if counting or entities or share:
            entity = (
                self._counted_entity(entities, measures)
                or self._most_of(entities)
                or (entities[0] if entities else None)
            )
            if entity is None:
                # "how many members do we have": the rows a named condition picks out;
                # "number of check-ins in Q2": the rows whose date that is.
                segments = [s for s in self._linked("segment") if isinstance(s, Segment)]
                dated = [
                    d for d in self._linked("dimension") if isinstance(d, Dimension) and d.temporal
                ]
                if not (counting or share) or not (segments or dated):
                    return None
                table = (segments or dated)[0].table
                return Plan(table=table, agg="count", entity_words=table)
            e = self.kinds(entity, "entity")[0]
            assert isinstance(e, Entity)
            if counting and (per := self._count_per(e.table, entity)) is not None:
                return per
            distinct = re.search(r"\bdistinct\b|\bunique\b|\bdifferent\b", q) is not None
            return Plan(
                table=e.table,
                agg="count",
                entity_words=e.table,
                count_key=((e.table, e.key) if distinct and e.key else None),
            )
        if self.previous is not None:
            return replace(self.previous, groups=[], limit=None, order=None, notes=[])
        return None

    def _count_per(self, table: str, counted: Link, distinct: str | None = None) -> Plan | None:
        """ "On average, how many orders does a customer place?": the rows (or the distinct
        `distinct` values) of `table` counted per entity, of those that have any, then
        averaged. The entity is a table, or a column the dictionary counts ("customer")."""
        if not re.search(r"\baverage\b|\bavg\b|\bmean\b|\btypical\b", self.p.q):
            return None
        for other in self.p.linked.links:
            if other is counted or not set(self.before(other, 2)) & {"a", "an", "each", "per"}:
                continue
            pointer, said = None, ""
            for kind, item in other.items:
                if kind == "entity" and isinstance(item, Entity) and item.table != table:
                    pointer, said = self._pointer(table, item), item.table
                elif (
                    kind == "measure"
                    and isinstance(item, Measure)
                    and item.agg == "count_distinct"
                    and item.table == table
                    and re.fullmatch(r'"[^"]+"', item.expr.strip())
                ):
                    pointer, said = item.expr.strip().strip('"'), item.name
                if pointer:
                    break
            if not pointer:
                continue
            column = self.columns[table].get(pointer.lower(), pointer)
            ref = exp.column(column, quoted=True).sql(dialect="duckdb")
            name = table if distinct is None else counted.text
            measure = Measure(
                f"{name} per {said}",
                table,
                distinct or ref,
                "count_distinct" if distinct else "count",
                filter=f"{ref} IS NOT NULL",
                per=column,
            )
            other.items = []
            plan = Plan(table=table, measure=measure, agg="avg")
            plan.notes.append(f"counted per {said} ({column}), then averaged")
            return plan
        return None

    def _most_of(self, entities: list[Link]) -> Link | None:
        """ "which carrier handled the most shipments": the things after "most" (or
        "fewest") are counted; the other named things are what is ranked."""
        if len(entities) < 2:
            return None
        for link in entities:
            if self.before(link, 1) in (["most"], ["fewest"], ["least"]):
                self.counted = link
                return link
        return None

    def _counted_dimension(self) -> Dimension | None:
        """The column whose different values are counted: "how many distinct X", X a
        column rather than a table (those count their rows' keys)."""
        cue = re.search(_DISTINCT_COUNT, self.p.q)
        if cue is None:
            return None
        position = len(tokens(self.p.q[: cue.end()]))
        for link in self.p.linked.links:
            if link.start < position - 1:
                continue
            if self.kinds(link, "entity") and link.items[0][0] == "entity":
                return None
            dims = [
                d
                for d in self.kinds(link, "dimension")
                if isinstance(d, Dimension) and not d.temporal and not is_key(d.column)
            ]
            return dims[0] if dims else None
        return None

    def _linked(self, kind: Kind) -> list[Item]:
        """Every linked item of one kind, in question order."""
        return [item for link in self.p.linked.links for item in self.kinds(link, kind)]

    def _subject(self, link: Link) -> bool:
        """A measure the question compares with a number ("orders with revenue over 500")
        is a condition, unless it is also what the question asks for."""
        after = " ".join(self.toks[link.end : link.end + 2])
        if not self.p.thresholds:
            return False  # "revenue over the past 12 months" compares with no number
        if not re.match(
            r"(?:over|above|more|greater|exceeding|at (?:least|most)|under|below|less|fewer)\b",
            after,
        ):
            return False
        asked = set(self.toks[max(0, link.start - 3) : link.start])
        return not asked & {"total", "sum", "average", "avg", "mean", "much"}

    def _counted_entity(self, entities: list[Link], measures: list[Link]) -> Link | None:
        cue = re.search(r"\b(?:how many|number of|count of|count)\b", self.p.q)
        if cue is None:
            return None
        position = len(tokens(self.p.q[: cue.end()]))
        after = [lk for lk in entities if lk.start >= position - 1]
        m_after = [lk for lk in measures if lk.start >= position - 1]
        if after and (not m_after or after[0].start <= m_after[0].start):
            return after[0]
        return None

    def _pick_measure(self, link: Link) -> Measure:
        options = [m for m in self.kinds(link, "measure") if isinstance(m, Measure)]
        return options[0]

    def _agg(self, m: Measure, q: str) -> str:
        if m.agg in ("none", "count", "count_distinct") or m.per:
            return m.agg  # an average of a count is a count per something, asked for so
        if re.search(r"\baverage\b|\bavg\b|\bmean\b|\btypical\b", q):
            return "avg"
        if re.search(r"\btotal\b|\bsum\b|\bcombined\b", q) and m.agg in ("sum", "avg"):
            return "sum" if m.agg == "sum" or not _AVG_ONLY.search(m.name) else m.agg
        if re.search(r"\b(?:maximum|max|largest single|biggest single|highest single)\b", q):
            return "max"
        if re.search(r"\b(?:minimum|min|smallest single|lowest single)\b", q):
            return "min"
        return m.agg

    def _per_entity(self, plan: Plan, entities: list[Link]) -> Plan:
        """ "average revenue per customer": sum per customer, then average."""
        m = plan.measure
        if m is None or plan.agg != "avg" or m.per:
            return plan
        for link in entities:
            if "per" not in self.before(link, 2) and "each" not in self.before(link, 2):
                continue
            entity = self.kinds(link, "entity")[0]
            assert isinstance(entity, Entity)
            pointer = self._pointer(m.table, entity)
            if pointer is not None and entity.table != m.table:
                plan.measure = replace(m, per=pointer, agg="sum")
                plan.agg = "avg"
                plan.notes.append(f"{m.name} summed per {entity.table} ({pointer}), then averaged")
                link.items = []
        return plan

    def _pointer(self, fact: str, entity: Entity) -> str | None:
        pair = self.model.join(fact, entity.table)
        return pair[0] if pair else None

    def _first_last(
        self, entities: list[Link], cue: str, measures: list[Link] | None = None
    ) -> Plan | None:
        dates = [
            d
            for lk in self.p.linked.links
            for d in self.kinds(lk, "dimension")
            if isinstance(d, Dimension) and d.temporal
        ]
        table = dates[0].table if dates else None
        if table is None:
            for lk in entities:
                e = self.kinds(lk, "entity")[0]
                if isinstance(e, Entity) and e.time:
                    table = e.table
            for lk in measures or []:
                m = self._pick_measure(lk)
                if table is None:
                    table = self._dated_table(m.table)
            if table is None:
                return None
            entity = self.model.entity(table)
            assert entity is not None
            assert entity.time
            column = entity.time
        else:
            column = dates[0].column
        agg = "min" if cue in ("first", "earliest", "oldest") else "max"
        name = f"{'first' if agg == 'min' else 'last'} {column}"
        quoted = exp.to_identifier(column, quoted=True).sql()
        plan = Plan(table=table, measure=Measure(name, table, quoted, agg), agg=agg)
        entity = self.model.entity(table)
        if re.match(r"\s*(?:who|which|what)\b", self.p.q) and entity and entity.key:
            # "Who registered most recently?": the row itself, with its date.
            plan.groups = [group(table, c) for c in display_columns(self.model, entity)]
            plan.order, plan.limit = ("asc" if agg == "min" else "desc"), 1
        return plan

    def _dated_table(self, table: str) -> str | None:
        """The table whose own date says when a row of `table` happened: itself, or the
        header it belongs to (a job line is dated by its job)."""
        entity = self.model.entity(table)
        if entity is not None and entity.time:
            return table
        for r in self.model.relationships:
            header = self.model.entity(r.to_table) if r.table == table else None
            if header is not None and header.time:
                return header.table
        return None
