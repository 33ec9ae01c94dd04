"""Durations between two dates: of one row ("days from booking to arrival"), of a row and
the row it points at ("days from the quote's signature to the install's start"), and of a
thing and its first (or last) event ("days after joining until a member's first ride")."""

from __future__ import annotations

import re

from sqlglot import exp

from tandem.apps.analyst.grouping import Grouping
from tandem.apps.analyst.linking import Link
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.semantic import Dimension, Entity, Measure

_DURATION = re.compile(r"\bdays?\b|\bhow long\b|\btime (?:to|between|from)\b")
# A duration asked for, not one compared with a number ("took 4 days or more").
_ASKED = re.compile(
    r"\bhow (?:many|much) (?:days|time)\b|\bhow long\b"
    r"|(?<!\d )\b(?:days|time) (?:to|between|from|after|before|until)\b"
)
_FIRST = re.compile(r"\b(first|earliest)\b")
_LAST = re.compile(r"\b(last|latest|most recent)\b")
_EVENT = frozenset({"first", "earliest", "last", "latest", "recent"})


def _ref(table: str, column: str) -> str:
    return exp.column(column, table=table, quoted=True).sql()


class Durations(Grouping):
    """The builder's durations (a base of the parser's builder)."""

    def _dates(self) -> list[Dimension]:
        """The dates the question names, in its order: date columns, and the date of a
        thing it names ("its first invoice" is dated by the invoice's date) where fewer than
        two date columns are named."""
        named: list[Dimension] = []
        things: list[Dimension] = []
        for link in self.p.linked.links:
            for kind, item in link.items:
                if kind == "dimension" and isinstance(item, Dimension) and item.temporal:
                    named.append(item)
                elif (
                    kind == "entity"
                    and item is link.items[0][1]
                    and isinstance(item, Entity)
                    and item.time
                ):
                    dim = self.model.dimension(item.table, item.time)
                    before = set(self.before(link, 2))
                    if dim is not None and (before & _EVENT or self._own_date(item, link)):
                        things.append(dim)
        unique = list({(d.table, d.column): d for d in named}.values())
        if len(unique) >= 2:
            return unique
        return list({(d.table, d.column): d for d in [*named, *things]}.values())

    def _own_date(self, entity: Entity, link: Link) -> bool:
        """ "customers who left": the thing whose other date the question names is dated
        from its own start."""
        return any(
            kind == "dimension"
            and isinstance(item, Dimension)
            and item.temporal
            and item.table == entity.table
            and item.column != entity.time
            for other in self.p.linked.links
            if other is not link
            for kind, item in other.items[:1]
        )

    def _days_between(self) -> Plan | None:
        """The duration between two dates the question names, averaged (or the longest)."""
        if not _DURATION.search(self.p.q):
            return None
        unique = self._dates()
        if len(unique) < 2:
            return None
        a, b = unique[0], unique[1]
        for link in self.p.linked.links:
            if any(item in (a, b) for _, item in link.items):
                # "between going on sale and the show date": the date, not the status.
                link.items = [x for x in link.items if x[0] != "value"]
        agg = "max" if re.search(r"\blongest\b|\bmax", self.p.q) else "avg"
        if a.table != b.table and not _ASKED.search(self.p.q):
            return None
        if a.table == b.table:
            # A duration, whichever date the question names first ("days before arrival do
            # people cancel" names the later one first).
            expr = (
                f"abs(date_diff('day', {exp.to_identifier(a.column, quoted=True).sql()}, "
                f"{exp.to_identifier(b.column, quoted=True).sql()}))"
            )
            return Plan(
                table=a.table,
                measure=Measure(f"days from {a.column} to {b.column}", a.table, expr, agg),
                agg=agg,
            )
        if b.table in self.model.lookups(a.table):
            fact, one = a, b
        elif a.table in self.model.lookups(b.table):
            fact, one = b, a
        else:
            return None
        pointer = self.model.join(fact.table, one.table)
        cue = _FIRST.search(self.p.rest) or _LAST.search(self.p.rest)
        if pointer is not None and cue is not None and agg == "avg":
            # "days after joining until the first ride": each thing's own first (or last)
            # event, dated from the thing, then averaged over the things that have one.
            first = _FIRST.search(self.p.rest) is not None
            column = self.columns[fact.table].get(pointer[0].lower(), pointer[0])
            expr = (
                f"date_diff('day', {_ref(one.table, one.column)}, {_ref(fact.table, fact.column)})"
            )
            measure = Measure(
                f"days from {one.column} to {'first' if first else 'last'} {fact.column}",
                fact.table,
                expr,
                "min" if first else "max",
                filter=f"{exp.to_identifier(column, quoted=True).sql()} IS NOT NULL",
                per=column,
            )
            plan = Plan(table=fact.table, measure=measure, agg="avg")
            plan.notes.append(
                f"each {one.table} row's {'first' if first else 'last'} {fact.table} row, "
                "then averaged"
            )
            return plan
        # "days from the quote's signature to the install's start": each row and the row
        # it points at.
        expr = (
            f"abs(date_diff('day', {_ref(one.table, one.column)}, {_ref(fact.table, fact.column)}))"
        )
        return Plan(
            table=fact.table,
            measure=Measure(f"days from {one.column} to {fact.column}", fact.table, expr, agg),
            agg=agg,
        )
