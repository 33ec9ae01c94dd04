"""`string_check`: eq, ne, like (the input contains the reference) and ilike (contains,
ignoring case), as OpenAI defines them."""

from __future__ import annotations

from typing import Any

from tandem.apps.evals.graders.base import GradeEnv, Grader, GradeResult
from tandem.apps.evals.templates import Template


def check(operation: str, value: str, reference: str) -> bool:
    """The comparison itself."""
    if operation == "eq":
        return value == reference
    if operation == "ne":
        return value != reference
    if operation == "like":
        return reference in value
    return reference.casefold() in value.casefold()


class StringCheckGrader(Grader):
    """Score 1 when the operation holds, else 0."""

    type = "string_check"

    def __init__(self, name: str, operation: str, input: Template, reference: Template) -> None:
        super().__init__(name)
        self.operation = operation
        self.input = input
        self.reference = reference

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        ok = check(
            self.operation,
            self.render(self.input, scope, env),
            self.render(self.reference, scope, env),
        )
        return GradeResult(1.0 if ok else 0.0, ok)
