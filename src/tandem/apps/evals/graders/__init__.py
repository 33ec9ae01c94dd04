"""Testing criteria compiled into graders: templates parsed and schemas compiled once, and
every problem a 400 naming `testing_criteria[i].field`. No grader runs user code: `python`
graders are refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter

from tandem.apps.evals import schemas as s
from tandem.apps.evals.graders.base import GradeEnv, Grader, GraderError, GradeResult, Usage
from tandem.apps.evals.graders.call import CostGrader, LatencyGrader
from tandem.apps.evals.graders.grounded import GroundednessGrader
from tandem.apps.evals.graders.judge import LabelModelGrader, ScoreModelGrader
from tandem.apps.evals.graders.safety import ContentSafetyGrader
from tandem.apps.evals.graders.similarity import UNSUPPORTED, TextSimilarityGrader
from tandem.apps.evals.graders.strings import StringCheckGrader
from tandem.apps.evals.graders.structure import JSONSchemaGrader, ToolCallGrader
from tandem.apps.evals.templates import Template
from tandem.errors import InvalidRequestError

__all__ = ["GradeEnv", "GradeResult", "Grader", "GraderError", "Usage", "compile_criteria"]

CRITERIA: TypeAdapter[list[s.Criterion]] = TypeAdapter(list[s.Criterion])
CheckModel = Callable[[str, str], None]


def compile_criteria(
    criteria: Sequence[s.Criterion] | list[dict[str, Any]],
    max_chars: int,
    check_model: CheckModel | None = None,
) -> list[Grader]:
    """Graders for the criteria (stored dicts are validated again first)."""
    parsed = (
        CRITERIA.validate_python(criteria)
        if criteria and isinstance(criteria[0], dict)
        else list(criteria)
    )
    graders: list[Grader] = []
    names: set[str] = set()
    for i, criterion in enumerate(parsed):
        where = f"testing_criteria[{i}]"
        assert not isinstance(criterion, dict)
        if criterion.name in names:
            raise InvalidRequestError(
                f"two testing criteria are named '{criterion.name}'; names must be unique",
                param=f"{where}.name",
            )
        names.add(criterion.name)
        graders.append(_compile(criterion, where, max_chars, check_model))
    return graders


def _compile(c: s.Criterion, where: str, max_chars: int, check_model: CheckModel | None) -> Grader:
    def t(text: str, field: str) -> Template:
        return Template.parse(text, f"{where}.{field}", max_chars)

    if isinstance(c, s.StringCheck):
        return StringCheckGrader(
            c.name, c.operation, t(c.input, "input"), t(c.reference, "reference")
        )
    if isinstance(c, s.TextSimilarity):
        if c.evaluation_metric in UNSUPPORTED:
            raise InvalidRequestError(
                UNSUPPORTED[c.evaluation_metric], param=f"{where}.evaluation_metric"
            )
        return TextSimilarityGrader(
            c.name,
            c.evaluation_metric,
            t(c.input, "input"),
            t(c.reference, "reference"),
            c.pass_threshold,
        )
    if isinstance(c, s.ScoreModel | s.LabelModel):
        return _judge(c, where, t, check_model)
    if isinstance(c, s.JSONSchemaCheck):
        return JSONSchemaGrader(c.name, t(c.input, "input"), c.schema_)
    if isinstance(c, s.ToolCallCheck):
        tools = {x.function.name: x.function.parameters for x in c.tools} if c.tools else None
        name = t(c.function_name, "function_name") if c.function_name else None
        return ToolCallGrader(c.name, tools, name, c.require_call)
    if isinstance(c, s.LatencyCheck):
        return LatencyGrader(c.name, c.max_ms)
    if isinstance(c, s.CostCheck):
        return CostGrader(c.name, c.max_usd)
    if isinstance(c, s.Groundedness):
        return GroundednessGrader(
            c.name, t(c.input, "input"), t(c.passages, "passages"), c.pass_threshold
        )
    if isinstance(c, s.ContentSafety):
        return ContentSafetyGrader(
            c.name, t(c.input, "input"), c.max_severity, list(c.categories or [])
        )
    raise InvalidRequestError(
        f"'{c.type}' graders run code; Tandem's graders never execute user code (use "
        "string_check, text_similarity, json_schema, tool_call, score_model or label_model)",
        param=f"{where}.type",
    )


def _judge(
    c: s.ScoreModel | s.LabelModel,
    where: str,
    t: Callable[[str, str], Template],
    check_model: CheckModel | None,
) -> Grader:
    if check_model is not None:
        check_model(c.model, f"{where}.model")
    messages: list[tuple[str, Template]] = [
        (m.role, t(m.text(), f"input[{j}].content")) for j, m in enumerate(c.input)
    ]
    if isinstance(c, s.LabelModel):
        if len(set(c.labels)) != len(c.labels):
            raise InvalidRequestError("labels must be distinct", param=f"{where}.labels")
        extra = sorted(set(c.passing_labels) - set(c.labels))
        if extra:
            raise InvalidRequestError(
                f"passing_labels must be among labels; not: {', '.join(extra)[:200]}",
                param=f"{where}.passing_labels",
            )
        return LabelModelGrader(c.name, c.model, messages, c.labels, c.passing_labels)
    low, high = c.range or [0.0, 1.0]
    if not low < high:
        raise InvalidRequestError("range is [low, high] with low < high", param=f"{where}.range")
    if c.pass_threshold is not None and not low <= c.pass_threshold <= high:
        raise InvalidRequestError(
            "pass_threshold must lie within range", param=f"{where}.pass_threshold"
        )
    sampling = c.sampling_params.model_dump(exclude_none=True) if c.sampling_params else {}
    return ScoreModelGrader(c.name, c.model, messages, sampling, (low, high), c.pass_threshold)
