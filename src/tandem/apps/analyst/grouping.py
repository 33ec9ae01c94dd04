"""Which linked words the question groups by ("by region", "per customer", "which
shop"), and the columns each one adds to the plan's groups."""

from __future__ import annotations

import re

from tandem.apps.analyst.compile import group
from tandem.apps.analyst.linking import Link
from tandem.apps.analyst.naming import abbreviates, words
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.semantic import (
    Dimension,
    Entity,
    display_columns,
    is_key,
)
from tandem.apps.analyst.shape import Shaping

_RANKS = {"top", "bottom", "best", "worst", "highest", "lowest", "largest", "smallest", "biggest"}
_PARTITION_CUE = {"each", "per", "every", "within"}
_GROUP_CUE = {"by", "per", "each", "across", "which", "what", "every"}
_RANKED = {"top", "best", "biggest", "highest", "largest", "most", "busiest", "leading"}


class Grouping(Shaping):
    """The builder's grouping step (a base of the parser's builder)."""

    columns: dict[str, dict[str, str]]
    toks: list[str]
    grouped: set[int]
    counted: Link | None

    def before(self, link: Link, n: int = 3) -> list[str]:
        return self.toks[max(0, link.start - n) : link.start]

    def _grouping(self, link: Link) -> bool:
        """A dimension or entity after "by", "per", "which"... (or "and" after one)."""
        groupable = [
            d
            for d in self.kinds(link, "dimension")
            if isinstance(d, Dimension) and (not d.numeric or not self.kinds(link, "measure"))
        ] or self.kinds(link, "entity")
        if not groupable:
            return False
        before = self.before(link, 2)
        if set(before) & _GROUP_CUE or (self.p.limit and before[-1:] and before[-1] in _RANKS):
            return True
        if (
            link is not self.counted
            and set(before) & _RANKED
            and re.search(r"\b(?:each|every|per)\b", self.p.q)
        ):
            # "the top tech at each workshop", "best-selling product in every shop": the
            # ranked thing is listed, one per partition.
            self.ranked = True
            return True
        links = self.p.linked.links
        index = links.index(link)
        return (
            index > 0
            and before[-1:] == ["and"]
            and (id(links[index - 1]) in self.grouped or self._grouping(links[index - 1]))
        )

    def _groups(self, plan: Plan, links: list[Link]) -> None:
        for link in links:
            if not self._grouping(link) and not (
                self.p.limit and self.kinds(link, "entity") and self._entity_other(link, plan)
            ):
                continue
            if self._modifier(link):
                continue
            self.grouped.add(id(link))
            before = len(plan.groups)
            dims = [d for d in self.kinds(link, "dimension") if isinstance(d, Dimension)]
            ents = [e for e in self.kinds(link, "entity") if isinstance(e, Entity)]
            entity_first = bool(ents) and link.items[0][0] == "entity"
            if dims and not dims[0].temporal and not entity_first:
                d = self._reachable_dim(plan, dims)
                plan.groups.append(group(d.table, d.column))
                for table, label in self._names_of(d):
                    # "top customers" by "Cust #": their names beside the number.
                    if not any((g.table, g.column) == (table, label) for g in plan.groups):
                        plan.groups.append(group(table, label))
            elif ents and (ents[0].table != plan.table or ents[0].label):
                e = ents[0]
                for column in display_columns(self.model, e):
                    if not any((g.table, g.column) == (e.table, column) for g in plan.groups):
                        plan.groups.append(group(e.table, column))
            if len(plan.groups) > before and set(self.before(link, 2)) & _PARTITION_CUE:
                # "for each region, the top 2 accounts": the ranking restarts per region.
                self.partition = plan.groups[before]
            link.items = []

    def _names_of(self, d: Dimension) -> list[tuple[str, str]]:
        """The name column beside an identifier column of the same thing: the label of the
        table it points at ("Cust No" -> the customer's "Full Name"), or a text column of
        its own table whose name the identifier shortens ("Customer" beside "Cust #")."""
        for r in self.model.relationships:
            target = self.model.entity(r.to_table)
            if (r.table, r.column) == (d.table, d.column) and target and target.label:
                return [(r.to_table, target.label)]
        if not is_key(d.column):
            return []
        head = re.sub(r"\s*(?:#|id|no|number|code|key|ref)$", "", words(d.column)).strip()
        if not head:
            return []
        same = [
            other.column
            for other in self.model.dimensions
            if other.table == d.table
            and other is not d
            and not other.numeric
            and not other.temporal
            and not is_key(other.column)
            and len(other.values) != 2
            and any(
                abbreviates(head.split()[-1], w) or w == head.split()[-1]
                for w in words(other.column).split()
            )
        ][:1]
        return [(d.table, c) for c in same]

    def _entity_other(self, link: Link, plan: Plan) -> bool:
        return any(
            isinstance(e, Entity) and e.table != plan.table for e in self.kinds(link, "entity")
        )

    def _modifier(self, link: Link) -> bool:
        """ "customer segment": an entity right before a dimension only qualifies it."""
        links = self.p.linked.links
        index = links.index(link)
        nxt = links[index + 1] if index + 1 < len(links) else None
        if not self.kinds(link, "entity") or nxt is None or nxt.start != link.end:
            return False
        own = {id(d) for d in self.kinds(link, "dimension")}
        return any(id(d) not in own for d in self.kinds(nxt, "dimension"))

    def _reachable_dim(self, plan: Plan, dims: list[Dimension]) -> Dimension:
        """Of the same name on several tables, the one on a table the question names
        ("shops per country": the shop's country), else the nearest to the plan's table."""
        named = self._named_tables()
        for d in dims:
            if d.table in named and (d.table == plan.table or self._reaches(plan.table, d.table)):
                return d
        for d in dims:
            if d.table == plan.table or self.model.join(plan.table, d.table):
                return d
        return dims[0]

    def _named_tables(self) -> set[str]:
        return self.named

    def _reaches(self, a: str, b: str) -> bool:
        return self.model.path(a, b) is not None
