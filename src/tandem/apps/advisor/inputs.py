"""Checking what a caller sends: answers to every question, 1-5, and optional context.

Each refusal is an `InvalidRequestError` naming the offending field (`answers.cloud_scale`,
`context.monthly_budget_usd`), shared by the HTTP route and `tandem assess --offline`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tandem.apps.advisor.questions import (
    MAX_ANSWER,
    MIN_ANSWER,
    QUESTION_IDS,
    SENSITIVITIES,
    Sensitivity,
)
from tandem.errors import InvalidRequestError

MAX_USERS = 1_000_000_000
MAX_RPS = 1_000_000.0
MAX_BUDGET = 1_000_000_000.0
MAX_USE_CASES = 20
MAX_USE_CASE_CHARS = 200
MAX_SAMPLES = 50
MAX_SAMPLE_CHARS = 4_000
CONTEXT_KEYS = (
    "expected_users",
    "requests_per_second",
    "data_sensitivity",
    "monthly_budget_usd",
    "use_cases",
    "sample_tasks",
)


@dataclass(frozen=True)
class SampleTask:
    """One of the caller's own tasks, with the answer they would accept (if given)."""

    input: str
    expected: str | None = None


@dataclass(frozen=True)
class Context:
    """What the caller told us beyond the answers; every field optional."""

    expected_users: int | None = None
    requests_per_second: float | None = None
    data_sensitivity: Sensitivity | None = None
    monthly_budget_usd: float | None = None
    use_cases: tuple[str, ...] = ()
    sample_tasks: tuple[SampleTask, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The context as stored and returned (fields left out stay out)."""
        out: dict[str, Any] = {}
        for key in ("expected_users", "requests_per_second", "data_sensitivity"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.monthly_budget_usd is not None:
            out["monthly_budget_usd"] = self.monthly_budget_usd
        if self.use_cases:
            out["use_cases"] = list(self.use_cases)
        if self.sample_tasks:
            out["sample_tasks"] = [
                {"input": t.input, **({"expected": t.expected} if t.expected else {})}
                for t in self.sample_tasks
            ]
        return out


@dataclass(frozen=True)
class Inputs:
    """Validated answers (question id -> 1..5) and context."""

    answers: dict[str, int]
    context: Context = field(default_factory=Context)


def parse_inputs(answers: object, context: object = None) -> Inputs:
    """Answers and context from JSON values, or a 400 naming what is wrong."""
    return Inputs(parse_answers(answers), parse_context(context))


def parse_answers(answers: object) -> dict[str, int]:
    """Every question answered with an integer from 1 to 5, nothing else."""
    if not isinstance(answers, dict):
        raise InvalidRequestError(
            "answers must be an object of question id -> 1..5", param="answers"
        )
    for key in answers:
        if key not in QUESTION_IDS:
            raise InvalidRequestError(
                f"unknown question '{key}'; the questions are {', '.join(QUESTION_IDS)}",
                param=f"answers.{key}",
            )
    parsed: dict[str, int] = {}
    for qid in QUESTION_IDS:
        parsed[qid] = answer_value(qid, answers.get(qid))
    return parsed


def answer_value(qid: str, value: object) -> int:
    """One answer: a whole number from 1 (not at all) to 5 (essential)."""
    param = f"answers.{qid}"
    if value is None:
        raise InvalidRequestError(
            f"question '{qid}' is not answered; answer {MIN_ANSWER} (not at all) to "
            f"{MAX_ANSWER} (essential)",
            param=param,
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestError(
            f"the answer to '{qid}' must be a whole number from {MIN_ANSWER} to {MAX_ANSWER}",
            param=param,
        )
    if not MIN_ANSWER <= value <= MAX_ANSWER:
        raise InvalidRequestError(
            f"the answer to '{qid}' is {value}; answers run from {MIN_ANSWER} (not at all) "
            f"to {MAX_ANSWER} (essential)",
            param=param,
        )
    return value


def parse_context(context: object) -> Context:
    """The optional context, each field checked against its bounds."""
    if context is None:
        return Context()
    if not isinstance(context, dict):
        raise InvalidRequestError("context must be an object", param="context")
    for key in context:
        if key not in CONTEXT_KEYS:
            raise InvalidRequestError(
                f"unknown context field '{key}'; the fields are {', '.join(CONTEXT_KEYS)}",
                param=f"context.{key}",
                code="unsupported_parameter",
            )
    users = _number(context.get("expected_users"), "expected_users", MAX_USERS, whole=True)
    return Context(
        expected_users=None if users is None else int(users),
        requests_per_second=_number(
            context.get("requests_per_second"), "requests_per_second", MAX_RPS
        ),
        data_sensitivity=_sensitivity(context.get("data_sensitivity")),
        monthly_budget_usd=_number(
            context.get("monthly_budget_usd"), "monthly_budget_usd", MAX_BUDGET
        ),
        use_cases=_use_cases(context.get("use_cases")),
        sample_tasks=_samples(context.get("sample_tasks")),
    )


def _number(value: object, key: str, limit: float, whole: bool = False) -> float | None:
    if value is None:
        return None
    param = f"context.{key}"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRequestError(f"{key} must be a number", param=param)
    if whole and not float(value).is_integer():
        raise InvalidRequestError(f"{key} must be a whole number", param=param)
    if not 0 <= value <= limit:
        raise InvalidRequestError(f"{key} must be from 0 to {limit:g}", param=param)
    return float(value)


def _sensitivity(value: object) -> Sensitivity | None:
    if value is None:
        return None
    for known in SENSITIVITIES:
        if value == known:
            return known
    raise InvalidRequestError(
        f"data_sensitivity must be one of {', '.join(SENSITIVITIES)}",
        param="context.data_sensitivity",
    )


def _strings(value: object, key: str, most: int) -> list[object]:
    if not isinstance(value, list):
        raise InvalidRequestError(f"{key} must be a list", param=f"context.{key}")
    if len(value) > most:
        raise InvalidRequestError(f"at most {most} {key}", param=f"context.{key}")
    return value


def _use_cases(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    out: list[str] = []
    for i, item in enumerate(_strings(value, "use_cases", MAX_USE_CASES)):
        if not isinstance(item, str) or not item.strip():
            raise InvalidRequestError(
                "each use case is a non-empty string", param=f"context.use_cases.{i}"
            )
        if len(item) > MAX_USE_CASE_CHARS:
            raise InvalidRequestError(
                f"use cases are at most {MAX_USE_CASE_CHARS} characters",
                param=f"context.use_cases.{i}",
            )
        out.append(" ".join(item.split()))
    return tuple(out)


def _samples(value: object) -> tuple[SampleTask, ...]:
    if value is None:
        return ()
    out: list[SampleTask] = []
    for i, item in enumerate(_strings(value, "sample_tasks", MAX_SAMPLES)):
        param = f"context.sample_tasks.{i}"
        if isinstance(item, str):
            item = {"input": item}
        if not isinstance(item, dict) or set(item) - {"input", "expected"}:
            raise InvalidRequestError(
                "each sample task is an object with 'input' and optionally 'expected'",
                param=param,
            )
        text, expected = item.get("input"), item.get("expected")
        if not isinstance(text, str) or not text.strip():
            raise InvalidRequestError(
                "a sample task needs an 'input' string", param=f"{param}.input"
            )
        if expected is not None and not isinstance(expected, str):
            raise InvalidRequestError("'expected' must be a string", param=f"{param}.expected")
        if len(text) > MAX_SAMPLE_CHARS or len(expected or "") > MAX_SAMPLE_CHARS:
            raise InvalidRequestError(
                f"sample tasks are at most {MAX_SAMPLE_CHARS} characters each", param=param
            )
        out.append(SampleTask(text, expected or None))
    return tuple(out)
