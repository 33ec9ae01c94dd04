"""The planner as a semantic parser: a question, linked to the semantic model, becomes a Plan
(measure, dimensions, filters, period, grain, ordering, limit, comparison), or a
Clarification naming the word that matched nothing; never a guess."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from sqlglot import exp

from tandem.apps.analyst.compile import col, group, negate, qualify
from tandem.apps.analyst.linking import Item, Kind, Link, tokens
from tandem.apps.analyst.plan import Clarification, Condition, Group, Plan
from tandem.apps.analyst.question import Parsed, read
from tandem.apps.analyst.semantic import (
    Dimension,
    Entity,
    Measure,
    Segment,
    SemanticModel,
    abbreviates,
    display_columns,
    is_key,
    words,
)
from tandem.apps.analyst.shape import Shaping
from tandem.apps.analyst.slots import runs, significant

_RANKS = {"top", "bottom", "best", "worst", "highest", "lowest", "largest", "smallest", "biggest"}
_PARTITION_CUE = {"each", "per", "every", "within"}
_GROUP_CUE = {"by", "per", "each", "across", "which", "what", "every"}
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


def parse(
    question: str,
    model: SemanticModel,
    columns: dict[str, dict[str, str]],
    today: date,
    previous: Plan | None = None,
    hints: dict[str, tuple[Kind, Item]] | None = None,
) -> Plan | Clarification | None:
    """The plan for a question, a clarification, or None (not a question shape at all)."""
    return _Builder(model, columns, read(question, model, today, hints), previous).build()


def _without_value_nouns(links: list[Link]) -> list[Link]:
    """ "the Gran Via hotel", "hotel Alfama": a table's noun beside the name of one of its
    rows says what the name is; it is neither counted nor grouped by ("Express shipments"
    still counts shipments)."""
    kept: list[Link] = []
    for i, link in enumerate(links):
        first = link.items[0] if link.items else None
        if first is not None and first[0] == "entity" and isinstance(first[1], Entity):
            entity = first[1]
            prev = links[i - 1] if i > 0 else None
            nxt = links[i + 1] if i + 1 < len(links) else None
            neighbours = [
                n
                for n in (prev, nxt)
                if n is not None and (n.end == link.start or n.start == link.end)
            ]
            if any(
                n.items
                and n.items[0][0] == "value"
                and isinstance(n.items[0][1], tuple)
                and n.items[0][1][0].table == entity.table
                and n.items[0][1][0].column in (entity.label, entity.key)
                for n in neighbours
            ):
                continue
        kept.append(link)
    return kept


class _Builder(Shaping):
    def __init__(
        self,
        model: SemanticModel,
        columns: dict[str, dict[str, str]],
        p: Parsed,
        previous: Plan | None,
    ) -> None:
        self.model, self.columns, self.p, self.previous = model, columns, p, previous
        self.toks = p.linked.tokens
        p.linked.links = _without_value_nouns(p.linked.links)
        self.grouped: set[int] = set()
        self.partition: Group | None = None
        self.ranked = False  # a thing ranked within each partition ("top tech at each site")
        self.counted: Link | None = None  # "the most shipments": what is counted
        # Tables the question names as things, read before links are consumed.
        self.named = {
            item.table
            for lk in p.linked.links
            for kind, item in lk.items[:1]
            if kind == "entity" and isinstance(item, Entity)
        }

    def before(self, link: Link, n: int = 3) -> list[str]:
        return self.toks[max(0, link.start - n) : link.start]

    def build(self) -> Plan | Clarification | None:
        p, q = self.p, self.p.q
        analytic = re.search(
            r"\b(?:total|sum|average|avg|mean|how many|how much|number of|count|top|by|per|"
            r"highest|lowest|most|least)\b",
            q,
        )
        if not p.linked.links and not (analytic or p.windows):
            # Nothing here names the data: a model's plan would be a guess, so ask instead.
            return self._unknown(p.linked.unknown) if p.linked.unknown else None
        asked = significant(p.linked)
        if asked:
            return self._unknown(asked)
        links = p.linked.links
        measures = [
            lk
            for lk in links
            if self.kinds(lk, "measure")
            and lk.items[0][0] in ("measure", "dimension")
            and not self._grouping(lk)
            and not self._subject(lk)
        ]
        counting = re.search(r"\bhow many\b|\bnumber of\b|\bcount\b|\bcount of\b", q) is not None
        entities = [lk for lk in links if self.kinds(lk, "entity")]
        plan = self._measure_plan(measures, entities, counting)
        if plan is None:
            # Words were left out and what remains is no question: ask about them.
            return self._unknown(p.linked.unknown) if p.linked.unknown else None
        vague = self._vague(plan, counting)
        if vague is not None:
            return vague
        if p.linked.unknown:
            plan.notes.append("left out: " + ", ".join(w for _, w in p.linked.unknown))
        self._groups(plan, links)
        problem = self._filters(plan, links)
        if problem is not None:
            return problem
        unappliable = self._time(plan, links)
        if unappliable is not None:
            return unappliable
        unshaped = self._shape(plan)
        return unshaped if unshaped is not None else plan

    def _vague(self, plan: Plan, counting: bool) -> Clarification | None:
        """ "How much ...", "the best promoter" with no measure named: an amount or a
        ranking whose measure the question does not say is asked about, never counted."""
        q = self.p.q
        span = re.search(
            r"\b(?:longer|shorter|more|less|fewer|over|under)\s+than\s+an?\s+(day|week|month"
            r"|year|hour)\b",
            q,
        )
        if span:
            # "stays longer than a week": a duration to compare, not a period or a grain.
            return Clarification(
                f"Which duration should be compared with a {span.group(1)}? Name the "
                "column or the two dates, with a number (e.g. 'more than 7 nights').",
                term=span.group(0),
                candidates=[d.name for d in self.model.dimensions if d.numeric][:8],
            )
        unit = re.search(r"\bhow many (days|weeks|months|years|hours|minutes)\b", q)
        m = plan.measure
        said = " ".join([m.name, *m.synonyms, m.expr.lower()]) if m is not None else ""
        if unit and not (unit.group(1)[:-1] in said or "date_diff" in said):
            # "how many days do patients take to pay": a duration, never a count of patients.
            return Clarification(
                f"I could not tell which two dates the {unit.group(1)} are counted between. "
                "Name the dates, or a measure of the duration.",
                term=unit.group(1),
                candidates=[d.name for d in self.model.dimensions if d.temporal][:8],
            )
        if plan.measure is not None or counting:
            return None
        amount = re.search(
            r"\bhow (?:much|long)\b(?!.*\b(?:grow|grew|change|increase|decrease|rise|rose|fall"
            r"|fell|drop))|\baverage\b|\bavg\b|\bmean\b",
            q,
        )
        unknown = {i for i, _ in self.p.linked.unknown}
        ranked = re.search(r"\b(?:best|worst|greatest|strongest|weakest)\b", q) or next(
            (
                True
                for i, t in enumerate(self.toks[:-1])
                if t in ("most", "least") and i + 1 in unknown
            ),
            None,
        )
        if not amount and not ranked:
            return None
        if self.p.linked.unknown:
            return self._unknown(self.p.linked.unknown)
        measures = [m.name for m in self.model.measures][:12]
        word = (
            amount.group(0)
            if amount
            else (ranked.group(0) if isinstance(ranked, re.Match) else "most")
        )
        return Clarification(
            f"'{word}' by which measure? The question names none; this dataset has "
            f"{', '.join(measures)}.",
            term=word,
            candidates=measures,
        )

    def _unknown(self, unknown: list[tuple[int, str]]) -> Clarification:
        words = " ".join(w for _, w in unknown)
        chosen = set(unknown)
        phrases = [" ".join(w for _, w in run if (_, w) in chosen) for run in runs(self.p.linked)]
        measures = [m.name for m in self.model.measures][:12]
        dims = [d.name for d in self.model.dimensions if not is_key(d.column)][:12]
        return Clarification(
            f"I could not match '{words}' to this dataset's measures, columns or values. "
            f"Did you mean one of the measures ({', '.join(measures)}) or columns "
            f"({', '.join(dims)})?",
            term=words,
            candidates=measures + dims,
            phrases=[p for p in phrases if p],
        )

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

    def _measure_plan(
        self, measures: list[Link], entities: list[Link], counting: bool
    ) -> Plan | None:
        q = self.p.q
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

    def _days_between(self) -> Plan | None:
        if not re.search(r"\bdays?\b|\bhow long\b|\btime (?:to|between|from)\b", self.p.q):
            return None
        dates = [
            d
            for lk in self.p.linked.links
            for d in self.kinds(lk, "dimension")
            if isinstance(d, Dimension) and d.temporal
        ]
        unique = list({(d.table, d.column): d for d in dates}.values())
        if len(unique) < 2 or unique[0].table != unique[1].table:
            return None
        a, b = unique[0], unique[1]
        # A duration, whichever date the question names first ("days before arrival do
        # people cancel" names the later one first).
        expr = (
            f"abs(date_diff('day', {exp.to_identifier(a.column, quoted=True).sql()}, "
            f"{exp.to_identifier(b.column, quoted=True).sql()}))"
        )
        agg = "max" if re.search(r"\blongest\b|\bmax", self.p.q) else "avg"
        return Plan(
            table=a.table,
            measure=Measure(f"days from {a.column} to {b.column}", a.table, expr, agg),
            agg=agg,
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


_GRAIN_WORDS = {"monthly", "weekly", "daily", "yearly", "quarterly", "annual", "annually"}
_RANKED = {"top", "best", "biggest", "highest", "largest", "most", "busiest", "leading"}
_DISTINCT_COUNT = re.compile(
    r"\b(?:how many|number of|count of|count)\s+(?:distinct|different|unique)\b"
)
_AVG_ONLY = re.compile(r"price|rate|pct|percent|score|rating|csat")
