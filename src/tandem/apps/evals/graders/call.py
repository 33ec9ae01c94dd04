"""Graders of the model call itself: latency (measured around the gateway call) and cost
(the tokens priced as the ledger prices them, from the deployment's table)."""

from __future__ import annotations

from typing import Any

from tandem.apps.evals.graders.base import GradeEnv, Grader, GraderError, GradeResult


def _measure(scope: dict[str, Any], key: str) -> float:
    sample = scope.get("sample") or {}
    value = sample.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise GraderError(f"the sample has no {key} (it comes from a model call of the run)")
    return float(value)


class LatencyGrader(Grader):
    """Passes when the call took at most `max_ms`; the score is max_ms / latency, capped."""

    type = "latency"

    def __init__(self, name: str, max_ms: float) -> None:
        super().__init__(name)
        self.max_ms = max_ms

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        latency = _measure(scope, "latency_ms")
        score = 1.0 if latency <= self.max_ms else self.max_ms / latency
        return GradeResult(score, latency <= self.max_ms, {"latency_ms": round(latency, 3)})


class CostGrader(Grader):
    """Passes when the call cost at most `max_usd`; the score is max_usd / cost, capped."""

    type = "cost"

    def __init__(self, name: str, max_usd: float) -> None:
        super().__init__(name)
        self.max_usd = max_usd

    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        cost = _measure(scope, "cost_usd")
        score = 1.0 if cost <= self.max_usd else self.max_usd / cost
        return GradeResult(score, cost <= self.max_usd, {"cost_usd": cost})
