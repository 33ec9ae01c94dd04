"""`score_model` and `label_model`: any deployment as the judge, through the model path as
the run's caller. The judge answers in JSON under a schema (enforced by grammar on the
embedded model); a judge that ignores the schema is read leniently."""

from __future__ import annotations

import re
from typing import Any

import orjson

from tandem.apps.evals.graders.base import GradeEnv, Grader, GraderError, GradeResult
from tandem.apps.evals.templates import Template
from tandem.errors import TandemError
from tandem.wire import ChatCompletionRequest

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
DEFAULT_MAX_TOKENS = 64


class JudgeGrader(Grader):
    """Shared by both judges: render the messages, call the deployment, read the answer."""

    def __init__(
        self,
        name: str,
        model: str,
        messages: list[tuple[str, Template]],
        sampling: dict[str, Any],
    ) -> None:
        super().__init__(name)
        self.model = model
        self.messages = messages
        self.sampling = sampling

    def instruction(self) -> str:
        """What the judge is told about the answer's form."""
        raise NotImplementedError

    def answer_schema(self) -> dict[str, Any]:
        """The JSON schema of the judge's answer."""
        raise NotImplementedError

    async def ask(self, scope: dict[str, Any], env: GradeEnv) -> tuple[Any, str]:
        """The judge's parsed JSON answer (or None) and its raw text."""
        messages = [{"role": "system", "content": self.instruction()}] + [
            {
                "role": "system" if role == "developer" else role,
                "content": self.render(t, scope, env),
            }
            for role, t in self.messages
        ]
        request = ChatCompletionRequest.model_validate(
            {
                "messages": messages,
                "max_completion_tokens": self.sampling.get("max_completions_tokens")
                or DEFAULT_MAX_TOKENS,
                "temperature": self.sampling.get("temperature", 0.0),
                **{
                    k: self.sampling[k]
                    for k in ("top_p", "seed")
                    if self.sampling.get(k) is not None
                },
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "verdict",
                        "schema": self.answer_schema(),
                        "strict": True,
                    },
                },
            }
        )
        try:
            reply = await env.models.ask(env.ctx(), request, self.model)
        except TandemError as exc:
            raise GraderError(f"the judge '{self.model}' failed: {exc}") from exc
        env.count(self.model, reply.body.get("usage"))
        text = reply.text.strip()
        try:
            return orjson.loads(text), text
        except orjson.JSONDecodeError:
            return None, text


class ScoreModelGrader(JudgeGrader):
    """A number in `range`; passes at `pass_threshold` (default: the middle of the range)."""

    type = "score_model"

    def __init__(
        self,
        name: str,
        model: str,
        messages: list[tuple[str, Template]],
        sampling: dict[str, Any],
        bounds: tuple[float, float],
        threshold: float | None,
    ) -> None:
        super().__init__(name, model, messages, sampling)
        self.low, self.high = bounds
        self.threshold = threshold if threshold is not None else (self.low + self.high) / 2

    def instruction(self) -> str:
        return (
            f'You are a grader. Reply only with JSON: {{"result": <a number from {self.low:g} '
            f"to {self.high:g}>}}, where {self.high:g} is best."
        )

    def answer_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"result": {"type": "number"}},
            "required": ["result"],
            "additionalProperties": False,
        }

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        answer, text = await self.ask(scope, env)
        score = _number(answer, text)
        if score is None or not self.low <= score <= self.high:
            raise GraderError(
                f"the judge's answer is not a score in [{self.low:g}, {self.high:g}]: {text[:200]}"
            )
        return GradeResult(score, score >= self.threshold, {"judge": self.model})


class LabelModelGrader(JudgeGrader):
    """One of `labels`; passes when it is one of `passing_labels`."""

    type = "label_model"

    def __init__(
        self,
        name: str,
        model: str,
        messages: list[tuple[str, Template]],
        labels: list[str],
        passing: list[str],
    ) -> None:
        super().__init__(name, model, messages, {})
        self.labels = labels
        self.passing = set(passing)

    def instruction(self) -> str:
        options = ", ".join(f'"{label}"' for label in self.labels)
        return (
            'Classify the text that follows. Answer in JSON, {"label": L} with L one of '
            f"{options}."
        )

    def answer_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"label": {"type": "string", "enum": self.labels}},
            "required": ["label"],
            "additionalProperties": False,
        }

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        answer, text = await self.ask(scope, env)
        label = answer.get("label") if isinstance(answer, dict) else None
        if label not in self.labels:
            lowered = text.lower()
            label = next((x for x in self.labels if x.lower() in lowered), None)
        if label is None:
            raise GraderError(f"the judge's answer names none of the labels: {text[:200]}")
        passed = label in self.passing
        return GradeResult(1.0 if passed else 0.0, passed, {"label": label, "judge": self.model})


def _number(answer: Any, text: str) -> float | None:
    if isinstance(answer, dict) and isinstance(answer.get("result"), int | float):
        return float(answer["result"])
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        return float(answer)
    match = _NUMBER.search(text)
    return float(match.group()) if match else None
