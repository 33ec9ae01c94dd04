"""The planner as a semantic parser: a question, linked to the semantic model, becomes a Plan
(measure, dimensions, filters, period, grain, ordering, limit, comparison), or a
Clarification naming the word that matched nothing; never a guess.

The builder's steps live beside it: the measure and family (families.py), groups
(grouping.py), filters (filters.py), and the period, comparison and ranking (shape.py)."""

from __future__ import annotations

import re
from datetime import date

from tandem.apps.analyst.families import Families
from tandem.apps.analyst.filters import Filtering
from tandem.apps.analyst.linking import Item, Kind, Link, tokens
from tandem.apps.analyst.plan import Clarification, Group, Plan
from tandem.apps.analyst.question import Parsed, read
from tandem.apps.analyst.semantic import Entity, Measure, SemanticModel, is_key
from tandem.apps.analyst.slots import runs, significant


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


def _without_measure_words(links: list[Link]) -> list[Link]:
    """ "spent more than 8,000 on freight", the measure being freight cost: a value whose
    words are in the name of a measure the question names elsewhere repeats that measure;
    it picks no rows."""
    named = {
        t
        for link in links
        for kind, item in link.items[:1]
        if kind == "measure" and isinstance(item, Measure)
        for t in tokens(item.name)
    }
    kept: list[Link] = []
    for link in links:
        said = set(tokens(link.text))
        if link.items and all(kind == "value" for kind, _ in link.items) and said and said <= named:
            continue
        kept.append(link)
    return kept


class _Builder(Families, Filtering):
    def __init__(
        self,
        model: SemanticModel,
        columns: dict[str, dict[str, str]],
        p: Parsed,
        previous: Plan | None,
    ) -> None:
        self.model, self.columns, self.p, self.previous = model, columns, p, previous
        self.toks = p.linked.tokens
        p.linked.links = _without_measure_words(_without_value_nouns(p.linked.links))
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
