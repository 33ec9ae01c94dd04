"""The plan's shape once its measure, groups and filters are known: the period and time
grain, comparisons and growth, activity (anti-joins, "in both"), and ranking."""

from __future__ import annotations

import re

from sqlglot import exp

from tandem.apps.analyst.compile import col, group
from tandem.apps.analyst.linking import Item, Kind, Link
from tandem.apps.analyst.periods import Window
from tandem.apps.analyst.plan import Clarification, Condition, Group, Plan
from tandem.apps.analyst.question import Parsed
from tandem.apps.analyst.semantic import (
    Dimension,
    Entity,
    Relationship,
    SemanticModel,
    dated_by_dictionary,
    is_key,
)

_VERSUS = re.compile(
    r"\bvs\b|\bversus\b|\bcompared?\b|\bchange\b|\bgrowth\b|\bgrew\b|\bincrease"
    r"|\bdecrease|\bdifference\b|\bgrow|\brise\b|\brose\b|\bfall\b|\bfell\b|\bdrop"
    r"|\bup or down\b"
)
_ABSENT = re.compile(
    r"\bno\b(?!-)|\bwithout\b|\bnever\b|\bdid not\b|\bdidn't\b|\bhaven't\b|\bhave not\b"
    r"|\bnot\b.*\bany\b"
)
_NEVER = re.compile(r"\bnever\b|\b(?:hasn't|haven't|didn't|did not|has not|have not)\b")
_GROWTH = re.compile(
    r"\bgrowth\b|\bgrew\b|\bmom\b|\byoy\b|\bover[- ]month\b|\bover[- ]year\b|\bchange\b"
)
_DESC = re.compile(r"\b(?:highest|most|best|largest|biggest|top|greatest|maximum|max)\b")
_ASC = re.compile(r"\b(?:lowest|least|worst|smallest|fewest|bottom|minimum|min)\b")


class Shaping:
    """The builder's later steps (a base of the parser's builder)."""

    model: SemanticModel
    p: Parsed
    named: set[str]
    partition: Group | None
    ranked: bool

    def kinds(self, link: Link, kind: Kind) -> list[Item]:
        """What a link may name, of one kind."""
        return [item for k, item in link.items if k == kind]

    def _reaches(self, table: str, other: str) -> bool:
        return table == other or self.model.join(table, other) is not None

    def _time(self, plan: Plan, links: list[Link]) -> Clarification | None:
        if plan.time_column is None:
            dates = [
                d
                for lk in links
                for d in self.kinds(lk, "dimension")
                if isinstance(d, Dimension) and d.temporal
            ]
            reachable = [
                d for d in dates if d.table == plan.table or self.model.join(plan.table, d.table)
            ]
            m = plan.measure
            if reachable:
                plan.time_column = (reachable[0].table, reachable[0].column)
            elif m is not None and m.time and self._reaches(plan.table, m.time_table or m.table):
                # The date the definition counts the measure on ("by signed date"), on its
                # own table or a joined one ("in the period of the class's date").
                plan.time_column = (m.time_table or m.table, m.time)
            else:
                plan.time_column = self._default_time(plan)
        if self.p.windows and plan.time_column is None:
            known = [d.name for d in self.model.dimensions if d.temporal]
            label = " and ".join(w.label for w in self.p.windows)
            return Clarification(
                f"I could not apply '{label}' to {plan.table}: nothing there has a date. "
                f"Which date did you mean{' (' + ', '.join(known) + ')' if known else ''}?",
                term=label,
                candidates=known,
            )
        if (
            len(self.p.windows) >= 2
            and re.search(r"\bboth\b|\band\b.*\bnot\b", self.p.q) is None
            and re.search(_VERSUS, self.p.q)
        ):
            plan.mode, plan.windows = "change", self.p.windows[:2]
            return None
        plan.windows = self.p.windows
        plan.window = _merge(self.p.windows) if self.p.windows else None
        grain = self.p.grain
        if grain and plan.time_column is not None:
            plan.groups.insert(0, group(*plan.time_column, grain))
        return None

    def _default_time(self, plan: Plan) -> tuple[str, str] | None:
        entity = self.model.entity(plan.table)
        # Counting the entity's rows may move to a fact that points at it, for a period
        # only; a count of a column's values ("different tiers") stays where it is.
        movable = plan.measure is None and (
            plan.count_key is None or (entity is not None and plan.count_key[1] == entity.key)
        )
        timed = bool(self.p.windows) or bool(self.p.grain)
        if entity is not None and entity.time:
            # "how many customers ... in 2024": activity in a fact table, when the entity's
            # own dates are not what the question names.
            if (
                not (movable and self.p.windows)
                or self._names_own_date(entity)
                or dated_by_dictionary(self.model, entity)
            ):
                return plan.table, entity.time
        elif not timed:
            return None
        distinct = (
            plan.measure is not None
            and plan.agg == "count_distinct"
            and not plan.measure.filter
            and bool(self.p.windows)
        )
        if (movable or distinct) and (fact := self._dated_fact(plan.table)) is not None:
            if distinct:
                # "customers who came in during 2025": the distinct ones among the dated
                # facts' rows (the jobs of their vehicles), not every customer on file.
                r, time = fact
                plan.table = r.table
                return r.table, time
            r, time = fact
            plan.table, plan.count_key = r.table, (r.table, r.column)
            return r.table, time
        if entity is not None and entity.time:
            return plan.table, entity.time
        # Lines without a date of their own are dated by their header: an order line by
        # its order's date, a job line by the job's.
        for r in self.model.relationships:
            header = self.model.entity(r.to_table) if r.table == plan.table else None
            if header is not None and header.time and r.to_table != plan.table:
                return r.to_table, header.time
        return None

    def _dated_fact(self, table: str) -> tuple[Relationship, str] | None:
        """The table of events pointing at `table` (one the question names first), with its
        date column: "people on the payroll in 2025" are counted in payroll, not leave."""
        said = self.named | {
            item.table
            for link in self.p.linked.links
            for kind, item in link.items
            if kind == "entity" and isinstance(item, Entity)
        }
        references = sorted(self.model.references(table), key=lambda r: r.table not in said)
        for r in references:
            fact = self.model.entity(r.table)
            if fact is not None and fact.time:
                return r, fact.time
        return None

    def _names_own_date(self, entity: Entity) -> bool:
        return bool(
            re.search(
                r"\b(?:signed|joined|hired|created|registered|started|opened|new)\b", self.p.q
            )
        )

    def _shape(self, plan: Plan) -> Clarification | None:
        q = self.p.q
        m = plan.measure
        single = re.search(r"\b(highest|largest|biggest|lowest|smallest)\b", q)
        if (
            single
            and m is not None
            and not plan.groups
            and plan.agg == "sum"
            and m.agg == "sum"
            and not m.per
            and re.fullmatch(r'"[^"]+"', m.expr.strip())
        ):
            # "the highest base salary in the company": one row's value, not the total.
            plan.agg = "max" if single.group(1) in ("highest", "largest", "biggest") else "min"
        if (
            re.search(_GROWTH, q)
            and plan.groups
            and plan.groups[0].grain
            and plan.mode == "aggregate"
        ):
            plan.mode = "growth"
        # "%" on its own ("split by channel, in %"), not a number's ("over 30%").
        percent = re.search(
            r"\bpercent(?:age)?\b|\bshare\b|\bproportion\b|\bfraction\b|%", re.sub(r"\d\s*%", "", q)
        )
        if percent and plan.mode == "aggregate" and not plan.groups:
            # "what percent of orders use a loyalty card": rows with that column filled in.
            filled = self._filled(plan)
            if filled is not None:
                plan.conditions.append(filled)
        if percent and plan.mode == "aggregate":
            if (
                not plan.groups
                and plan.conditions
                and (plan.measure is None or plan.measure.agg != "none")
            ):
                # "% of the shows we played that had a support act": the condition said
                # last is the share's; the others pick the rows it is a share of.
                last = max(plan.conditions, key=lambda c: c.at)
                plan.conditions.remove(last)
                plan.mode, plan.pct = "pct", last
            elif plan.groups:
                plan.share = True
        measure = plan.measure
        rated = measure is not None and (
            measure.agg == "none"
            or measure.percent
            or re.search(r"%|pct|percent|rate|share|ratio", measure.name) is not None
            or (percent is not None and percent.group(0) in " ".join(measure.synonyms))
        )
        if percent and plan.mode == "aggregate" and not plan.share and not rated:
            # A percentage asked for and no condition found to take it of: never a count.
            return Clarification(
                "A percentage of what? I found no condition in the question to count the "
                "share of (a value, a named condition or a column that is filled in).",
                term=percent.group(0),
                candidates=[g.name for g in self.model.segments][:8],
            )
        both = re.search(r"\bboth\b", q) and len(plan.windows) >= 2
        if both:
            m = plan.measure
            if m is not None and plan.agg == "count_distinct" and plan.time_column is not None:
                plan.mode = "both"  # the distinct values counted, seen in every period
            else:
                self._activity(plan, "both")
        elif re.search(_ABSENT, q):
            self._activity(plan, "anti")
        if both and plan.mode != "both":
            return Clarification(
                "Which things should be in every period? I could not tell what to count "
                f"in each of {', '.join(w.label for w in plan.windows)}.",
                term="both",
                candidates=[e.table for e in self.model.entities],
            )
        never = _NEVER.search(q)
        if never is not None and plan.mode != "anti":
            # "members who have never taken a ride": an absence not read is not ignored.
            return Clarification(
                "I could not tell whose activity is missing here: which table's rows should "
                "they have none of?",
                term=never.group(0),
                candidates=[e.table for e in self.model.entities],
            )
        self._ranking(plan)
        return None

    def _filled(self, plan: Plan) -> Condition | None:
        """A column the question names without using it (not grouped, not the measure's,
        not the period's): the rows where it is filled in."""
        used = {plan.time_column} | ({plan.count_key} if plan.count_key else set())
        for link in self.p.linked.links:
            if not link.items or link.items[0][0] != "dimension":
                continue
            for item in self.kinds(link, "dimension"):
                if not isinstance(item, Dimension) or item.numeric:
                    continue
                if (item.table, item.column) in used or self._joins_on(item):
                    continue
                if plan.measure is not None and item.column in plan.measure.expr:
                    continue
                ref = col(item.table, item.column)
                test = exp.Not(this=exp.Is(this=ref, expression=exp.Null()))
                return Condition(item.table, test, f"{item.column} is filled in", link.start)
        return None

    def _joins_on(self, d: Dimension) -> bool:
        """Whether a column identifies rows (a key, or a pointer at another table): "Promo
        Code" is a value that may be blank; "Cust No" is who the row belongs to."""
        entity = self.model.entity(d.table)
        if entity is not None and entity.key == d.column:
            return True
        return any(
            (r.table, r.column) == (d.table, d.column)
            or (r.to_table, r.to_column) == (d.table, d.column)
            for r in self.model.relationships
        ) or (is_key(d.column) and not d.values)

    def _activity(self, plan: Plan, mode: str) -> None:
        """Entities with no rows (or rows in every period) in a fact table pointing at them."""
        via: str | None = None
        time_column = plan.time_column
        if plan.count_key is not None:
            fact, pointer = plan.count_key
            relation = next(
                (r for r in self.model.relationships if r.table == fact and r.column == pointer),
                None,
            )
            entity_table = relation.to_table if relation else None
        else:
            entity_table = plan.table
            dated = plan.window is not None or bool(plan.windows) or bool(self.p.grain)
            if not dated and time_column and time_column[0] == entity_table:
                time_column = None  # "ever": the entity's own date says nothing here
            fact = time_column[0] if time_column else ""
            relation = next(
                (r for r in self.model.references(entity_table) if r.table == fact), None
            )
            if relation is None and time_column is None and mode == "anti":
                # "policyholders who never made a claim": the other table the question
                # names, reaching them along relationships (claims -> policies -> customers).
                fact, relation = self._named_activity(entity_table)
                via = relation.table if relation is not None and relation.table != fact else None
            pointer = relation.column if relation else ""
        entity = self.model.entity(entity_table) if entity_table else None
        if relation is None or entity is None or entity.key is None:
            return
        if time_column is None and (plan.window is not None or plan.windows):
            return
        plan.time_column = time_column
        plan.mode = "anti" if mode == "anti" else "both"
        plan.anti = (entity.table, relation.to_column, pointer)
        plan.anti_via = via
        plan.table = fact
        plan.count_rows = re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", self.p.q) is not None

    def _named_activity(self, entity_table: str) -> tuple[str, Relationship | None]:
        """A table the question names besides the entity's, with the relationship on its
        path that points at the entity."""
        for table in sorted(self.named - {entity_table}):
            path = self.model.path(table, entity_table)
            if path is None or len(path) < 2:
                continue
            holder = path[-2]
            relation = next(
                (r for r in self.model.references(entity_table) if r.table == holder), None
            )
            if relation is not None:
                return table, relation
        # "products never sold": the table of events that point at them.
        if _NEVER.search(self.p.q) and (fact := self._dated_fact(entity_table)) is not None:
            return fact[0].table, fact[0]
        return "", None

    def _ranking(self, plan: Plan) -> None:
        q = self.p.q
        if plan.groups and plan.groups[0].grain:
            plan.order = "time"
            return
        if not plan.groups:
            return
        if self.p.limit:
            plan.limit = self.p.limit
            plan.order = (
                "asc"
                if re.search(r"\b(?:bottom|worst|lowest|smallest|fewest|least)\b", q)
                else "desc"
            )
            if len(plan.groups) >= 2 and re.search(r"\b(?:each|per|every|within)\b", q):
                chosen = self.partition if self.partition in plan.groups else plan.groups[-1]
                plan.per_group = chosen
                plan.groups = [g for g in plan.groups if g is not chosen]
            return
        one = re.search(r"\b(?:which|what|who)\b", q) and (_DESC.search(q) or _ASC.search(q))
        plan.order = "asc" if _ASC.search(q) and not _DESC.search(q) else "desc"
        if (
            (self.ranked or one)
            and len(plan.groups) >= 2
            and self.partition in plan.groups
            and re.search(r"\b(?:each|every|per)\b", q)
        ):
            # "who's the top tech at each workshop": the first one in every partition.
            chosen = self.partition
            plan.per_group, plan.limit = chosen, 1
            plan.groups = [g for g in plan.groups if g is not chosen]
            return
        if one and not re.search(r"\b(?:which|what) (?:are|were)\b", q):
            plan.limit = 1


def _merge(found: list[Window]) -> Window:
    """Several periods: the span from the first start to the last end."""
    if len(found) == 1:
        return found[0]
    start = min(w.start for w in found)
    end = max(w.end for w in found)
    return Window(start, end, " and ".join(w.label for w in found))
