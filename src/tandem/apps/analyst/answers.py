"""What the analyst answers: a result, or a question asked back instead of a guess (a plan
that could not run, a question naming a definition the model left out, one nobody could
read)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tandem.apps.analyst.naming import singular
from tandem.apps.analyst.plan import Clarification, Plan
from tandem.apps.analyst.sandbox import QueryResult
from tandem.apps.analyst.semantic import (
    SemanticModel,
    Skipped,
    is_key,
)

NO_RESULT = QueryResult(columns=[], types=[], rows=[], total_rows=0, truncated=False)


@dataclass
class Answer:
    """An answered question (or a clarification, with no SQL run)."""

    sql: str | None
    result: QueryResult
    chart: dict[str, Any] | None
    chart_id: str | None
    explanation: str
    method: str
    conversation_id: str
    interpretation: str | None = None
    clarification: dict[str, Any] | None = None


def unanswerable(model: SemanticModel, planned: Plan, problem: str, conversation_id: str) -> Answer:
    """A plan that read the question but could not run: ask rather than fail or guess."""
    message = (
        f"I read this as the {planned.interpretation()[:-1]}, but could not compute it "
        f"({problem}). Could you say it another way? For example, {hint(model)}"
    )
    term = planned.measure.name if planned.measure else planned.table
    return asking(model, message, term, planned.interpretation(), conversation_id)


def skipped_named(model: SemanticModel, question: str) -> Skipped | None:
    """A definition left out of the model that the question asks about by name: one of
    its words, where no measure, segment, dimension or table that was kept uses it too."""
    if not model.skipped:
        return None
    named: list[tuple[str, list[str]]] = [
        *((m.name, m.synonyms) for m in model.measures),
        *((g.name, g.synonyms) for g in model.segments),
        *((d.name, d.synonyms) for d in model.dimensions),
        *((e.table, e.synonyms) for e in model.entities),
    ]
    kept = {word.lower() for name, synonyms in named for word in (name, *synonyms)}
    asked = question.lower()
    for skipped in model.skipped:
        for word in dict.fromkeys(w.lower().strip() for w in (skipped.name, *skipped.synonyms)):
            if len(word) < 3 or word in kept or singular(word) in kept:
                continue
            if re.search(rf"\b{re.escape(word)}(?:s|es)?\b", asked):
                return skipped
    return None


def skipped_answer(
    model: SemanticModel, skipped: Skipped, dataset_id: str, conversation_id: str
) -> Answer:
    """The question names a definition the model left out: say why, do not guess it."""
    message = (
        f"The data dictionary defines \u201c{skipped.name}\u201d, but its formula could "
        f"not be used ({skipped.reason}), so I will not guess it. Correct the definition "
        f"(PUT /v1/datasets/{dataset_id}/semantic-model) and ask again, or ask about one "
        "of the measures listed."
    )
    return asking(model, message, skipped.name, skipped.reason, conversation_id)


def clarified(planned: Clarification, conversation_id: str) -> Answer:
    """The planner's own question back (an ambiguous or unknown term)."""
    return Answer(
        None,
        NO_RESULT,
        None,
        None,
        planned.message,
        "planner",
        conversation_id,
        clarification=planned.to_json(),
    )


def not_understood(model: SemanticModel, problem: str, conversation_id: str) -> Answer:
    """Neither the planner nor the model could read the question: ask, do not fail."""
    message = (
        "I could not work out what to compute from this question. Could you name what to "
        f"measure and how to break it down? For example, {hint(model)}"
    )
    return asking(model, message, "", problem, conversation_id)


def asking(
    model: SemanticModel, message: str, term: str, interpretation: str, conversation_id: str
) -> Answer:
    """An answer that is a question back, with the dataset's measures as candidates."""
    candidates = [m.name for m in model.measures][:8]
    clarification = Clarification(message, term=term, candidates=candidates)
    return Answer(
        None,
        NO_RESULT,
        None,
        None,
        message,
        "planner",
        conversation_id,
        interpretation=interpretation,
        clarification=clarification.to_json(),
    )


def hint(model: SemanticModel) -> str:
    """An example question in the dataset's own words."""
    measure = model.measures[0].name if model.measures else "number of rows"
    dims = [d for d in model.dimensions if d.values and not is_key(d.column)]
    by = f" by {dims[0].name}" if dims else ""
    return f"name a measure and a column, e.g. '{measure}{by}'."
