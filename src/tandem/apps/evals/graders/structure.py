"""Structure graders: the output is JSON (matching a schema), and the tool calls are valid
(a known function, arguments that parse and match its parameters)."""

from __future__ import annotations

from typing import Any

import orjson
from jsonschema import Draft202012Validator, validators

from tandem.apps.evals.graders.base import GradeEnv, Grader, GraderError, GradeResult, off_loop
from tandem.apps.evals.templates import Template

MAX_ERRORS = 3


def compile_schema(schema: dict[str, Any]) -> Any:
    """A validator for a schema already checked against its meta-schema."""
    cls = validators.validator_for(schema, default=Draft202012Validator)
    return cls(schema)


def schema_errors(validator: Any, value: Any) -> list[str]:
    """Up to a few messages saying where `value` breaks the schema."""
    found = []
    for error in validator.iter_errors(value):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        found.append(f"{where}: {error.message[:200]}")
        if len(found) >= MAX_ERRORS:
            break
    return found


class JSONSchemaGrader(Grader):
    """1 when the input parses as JSON and matches the schema (when one is given)."""

    type = "json_schema"

    def __init__(self, name: str, input: Template, schema: dict[str, Any] | None) -> None:
        super().__init__(name)
        self.input = input
        self.validator = compile_schema(schema) if schema is not None else None

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        text = self.render(self.input, scope, env)

        def work() -> GradeResult:
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                return GradeResult(0.0, False, {"reason": f"not JSON: {exc}"[:300]})
            if self.validator is None:
                return GradeResult(1.0, True)
            problems = schema_errors(self.validator, value)
            if problems:
                return GradeResult(0.0, False, {"reason": "; ".join(problems)})
            return GradeResult(1.0, True)

        return await off_loop(len(text), work)


def sample_tool_calls(sample: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The tool calls of a sample: `output_tools`, or those of its assistant messages."""
    if not sample:
        raise GraderError("there is no sample to read tool calls from")
    calls = sample.get("output_tools")
    if calls is None:
        calls = [c for m in sample.get("output") or [] for c in (m.get("tool_calls") or [])]
    if not isinstance(calls, list):
        raise GraderError("sample.output_tools is not a list")
    return [c for c in calls if isinstance(c, dict)]


def call_parts(call: dict[str, Any]) -> tuple[str, Any]:
    """(name, arguments) of a call in chat shape or the Responses API's flat shape."""
    inner = call.get("function")
    function: dict[str, Any] = inner if isinstance(inner, dict) else call
    return str(function.get("name") or ""), function.get("arguments")


class ToolCallGrader(Grader):
    """The share of calls that are valid; passes when all are (and one was made, and the
    expected function was called, when asked)."""

    type = "tool_call"

    def __init__(
        self,
        name: str,
        tools: dict[str, dict[str, Any] | None] | None,
        function_name: Template | None,
        require_call: bool,
    ) -> None:
        super().__init__(name)
        self.validators = (
            {n: compile_schema(s) if s else None for n, s in tools.items()} if tools else None
        )
        self.function_name = function_name
        self.require_call = require_call

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        sample = scope.get("sample")
        calls = sample_tool_calls(sample)
        known = self.validators
        if known is None:
            known = {n: compile_schema(s) if s else None for n, s in _run_tools(sample).items()}
        wanted = self.render(self.function_name, scope, env) if self.function_name else None
        problems: list[str] = []
        valid = 0
        for i, call in enumerate(calls):
            problem = _call_problem(call, known)
            if problem:
                problems.append(f"call {i}: {problem}")
            else:
                valid += 1
        names = [call_parts(c)[0] for c in calls]
        if not calls and self.require_call:
            problems.append("no tool was called")
        if wanted and wanted not in names:
            problems.append(f"'{wanted}' was not called (called: {', '.join(names) or 'none'})")
        score = valid / len(calls) if calls else (0.0 if self.require_call else 1.0)
        details: dict[str, Any] = {"calls": names}
        if problems:
            details["reason"] = "; ".join(problems)[:1000]
        return GradeResult(score, not problems, details)


def _run_tools(sample: dict[str, Any] | None) -> dict[str, dict[str, Any] | None]:
    """The tools the sample's request offered (kept on the sample by the run)."""
    tools = (sample or {}).get("tools") or []
    found: dict[str, dict[str, Any] | None] = {}
    for tool in tools:
        if isinstance(tool, dict):
            inner = tool.get("function")
            function: dict[str, Any] = inner if isinstance(inner, dict) else tool
            if isinstance(function.get("name"), str):
                found[function["name"]] = function.get("parameters")
    if not found:
        raise GraderError("the grader names no tools and the sample's request offered none")
    return found


def _call_problem(call: dict[str, Any], known: dict[str, Any]) -> str | None:
    name, arguments = call_parts(call)
    if name not in known:
        return f"'{name}' is not one of the tools ({', '.join(sorted(known))})"
    if isinstance(arguments, str):
        try:
            arguments = orjson.loads(arguments or "{}")
        except orjson.JSONDecodeError:
            return f"the arguments of '{name}' are not JSON"
    if not isinstance(arguments, dict):
        return f"the arguments of '{name}' are not a JSON object"
    validator = known[name]
    if validator is not None:
        problems = schema_errors(validator, arguments)
        if problems:
            return f"arguments of '{name}': {'; '.join(problems)}"
    return None
