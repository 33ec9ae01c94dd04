"""The scoring model: answers and context to a score per kind of deployment, every point
accounted for. docs/advisor.md explains each table; change the numbers there too.

    need(q)      = (answer(q) - 1) / 4                        0 (not at all) .. 1 (essential)
    score(kind)  = sum over q of need(q) * CAPABILITY[kind][q]
                 + BASELINE[kind] + load + sensitivity + budget  (each context term only
                                                                  when that context is given)
    score(hybrid) = min(best local, best cloud) + 0.5 * need(maturity_and_support)
                  + 0.5 when sensitive data meets an essential cloud need (the tension a
                    hybrid resolves)

The highest score wins; ties go to the simpler kind (the order of KINDS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from tandem.apps.advisor.inputs import Inputs

Kind = Literal["embedded", "openai", "azure_openai", "vllm", "hybrid"]
KINDS: tuple[Kind, ...] = ("embedded", "openai", "azure_openai", "vllm", "hybrid")
LOCAL: tuple[Kind, ...] = ("embedded", "vllm")
CLOUD: tuple[Kind, ...] = ("openai", "azure_openai")
BORDERLINE_MARGIN = 0.25

# How well each kind delivers what a question asks for: 1 fully, 0 neutral, -1 works against it.
CAPABILITY: dict[Kind, dict[str, float]] = {
    "embedded": {
        "cloud_scale": -1.0,
        "maturity_and_support": -0.5,
        "responsible_ai": 0.5,
        "azure_integration": -0.5,
        "rapid_evolution": -0.5,
    },
    "vllm": {
        "cloud_scale": 0.5,
        "maturity_and_support": 0.0,
        "responsible_ai": 0.5,
        "azure_integration": -0.5,
        "rapid_evolution": 0.5,
    },
    "azure_openai": {
        "cloud_scale": 1.0,
        "maturity_and_support": 1.0,
        "responsible_ai": 1.0,
        "azure_integration": 1.0,
        "rapid_evolution": 0.0,
    },
    "openai": {
        "cloud_scale": 1.0,
        "maturity_and_support": 0.5,
        "responsible_ai": 0.25,
        "azure_integration": -0.5,
        "rapid_evolution": 1.0,
    },
}
# Running effort and fixed cost when nothing else is known.
NO_AZURE_ESTATE = -0.5  # Azure OpenAI, times 1 - need(azure_integration): a new estate to run
BASELINE: dict[Kind, float] = {
    "embedded": 0.25,
    "openai": 0.0,
    "azure_openai": -0.25,
    "vllm": -0.75,
}
SENSITIVITY: dict[str, dict[Kind, float]] = {
    "public": {},
    "internal": {},
    "confidential": {"embedded": 0.5, "vllm": 0.5, "openai": -0.5},
    "regulated": {"embedded": 1.0, "vllm": 1.0, "azure_openai": -0.25, "openai": -1.5},
}

# The load and cost model (assumptions, documented in docs/advisor.md).
REQUESTS_PER_USER_S = 0.01  # one request per user every 100 s at the busiest time
EMBEDDED_RPS = 2.0  # what one CPU node with the embedded model keeps up with
GPU_RPS = 10.0  # one GPU serving an 8B-class model on vLLM
GPU_MONTH_USD = 1_800.0
TOKENS_PER_REQUEST = 1_000
CLOUD_USD_PER_1K = 0.0005  # a 'mini' class model, prompt and completion blended
DUTY = 0.3  # average load as a share of the peak
MONTH_S = 30 * 86_400
DEFAULT_RPS = 0.2  # for costs when no load is given


@dataclass
class KindScore:
    """A kind's total and where each point came from."""

    kind: Kind
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """The score."""
        return round(sum(self.parts.values()), 4)


@dataclass
class Scorecard:
    """Every kind's score, the winner, and what the hybrid would combine."""

    scores: dict[Kind, KindScore]
    winner: Kind
    runner_up: Kind
    best_local: Kind
    best_cloud: Kind
    peak_rps: float | None
    monthly_cost: dict[Kind, float]

    @property
    def margin(self) -> float:
        """How far the winner is ahead of the runner-up."""
        return round(self.scores[self.winner].total - self.scores[self.runner_up].total, 4)

    @property
    def borderline(self) -> bool:
        """The top two are too close to call."""
        return self.margin < BORDERLINE_MARGIN


def need(answer: int) -> float:
    """An answer 1..5 as a need 0..1."""
    return (answer - 1) / 4


def peak_rps(inputs: Inputs) -> float | None:
    """Peak requests per second: given, or estimated from users, or unknown."""
    ctx = inputs.context
    if ctx.requests_per_second is not None:
        return ctx.requests_per_second
    if ctx.expected_users is not None:
        return ctx.expected_users * REQUESTS_PER_USER_S
    return None


def gpus_for(rps: float | None) -> int:
    """GPUs a vLLM plan needs for the peak (at least one, at most 64)."""
    return max(1, min(64, math.ceil((rps or 0) / GPU_RPS)))


def monthly_cost(kind: Kind, rps: float | None, local: Kind = "vllm") -> float:
    """Estimated USD a month at the given peak (see the cost model above)."""
    load = DEFAULT_RPS if rps is None else rps
    tokens_k = load * DUTY * MONTH_S * TOKENS_PER_REQUEST / 1_000
    if kind == "embedded":
        return 0.0
    if kind == "vllm":
        return gpus_for(load) * GPU_MONTH_USD
    if kind == "hybrid":
        return monthly_cost(local, rps) + 0.1 * tokens_k * CLOUD_USD_PER_1K
    return round(tokens_k * CLOUD_USD_PER_1K, 2)


def _load_term(kind: Kind, rps: float | None) -> float | None:
    if rps is None:
        return None
    if kind == "embedded":
        return 0.5 if rps <= EMBEDDED_RPS / 4 else (0.0 if rps <= EMBEDDED_RPS else -1.5)
    if kind == "vllm":
        return -0.5 if rps < 0.5 else (0.0 if rps < GPU_RPS else 0.5)
    return 0.5 if rps > 50 else 0.0


def _budget_term(cost: float, budget: float | None) -> float | None:
    if budget is None:
        return None
    if cost <= budget:
        return 0.25
    return -round(min(1.5, (cost - budget) / max(budget, 1.0)), 4)


def _single(kind: Kind, inputs: Inputs, rps: float | None, cost: float) -> KindScore:
    score = KindScore(kind)
    for qid, answer in inputs.answers.items():
        score.parts[qid] = round(need(answer) * CAPABILITY[kind][qid], 4) + 0.0  # no -0.0
    score.parts["baseline"] = BASELINE[kind]
    if kind == "azure_openai":
        score.parts["azure_estate"] = round(
            NO_AZURE_ESTATE * (1 - need(inputs.answers["azure_integration"])), 4
        )
    load = _load_term(kind, rps)
    if load is not None:
        score.parts["load"] = load
    sensitivity = inputs.context.data_sensitivity
    if sensitivity is not None:
        score.parts["data_sensitivity"] = SENSITIVITY[sensitivity].get(kind, 0.0)
    budget = _budget_term(cost, inputs.context.monthly_budget_usd)
    if budget is not None:
        score.parts["budget"] = budget
    return score


def tension(inputs: Inputs) -> bool:
    """Sensitive data and an essential cloud need at once: what a hybrid is for."""
    sensitive = inputs.context.data_sensitivity in ("confidential", "regulated")
    cloudy = inputs.answers["cloud_scale"] >= 4 or inputs.answers["rapid_evolution"] >= 4
    return sensitive and cloudy


def score(inputs: Inputs) -> Scorecard:
    """Score every kind and pick one."""
    rps = peak_rps(inputs)
    costs: dict[Kind, float] = {k: monthly_cost(k, rps) for k in KINDS if k != "hybrid"}
    scores: dict[Kind, KindScore] = {
        k: _single(k, inputs, rps, costs[k]) for k in KINDS if k != "hybrid"
    }
    best_local = max(LOCAL, key=lambda k: scores[k].total)
    best_cloud = max(CLOUD, key=lambda k: scores[k].total)
    costs["hybrid"] = monthly_cost("hybrid", rps, best_local)
    hybrid = KindScore("hybrid")
    hybrid.parts["weaker_half"] = min(scores[best_local].total, scores[best_cloud].total)
    hybrid.parts["resilience"] = round(0.5 * need(inputs.answers["maturity_and_support"]), 4)
    hybrid.parts["tension"] = 0.5 if tension(inputs) else 0.0
    scores["hybrid"] = hybrid
    ranked = sorted(KINDS, key=lambda k: (-scores[k].total, KINDS.index(k)))
    return Scorecard(
        scores=scores,
        winner=ranked[0],
        runner_up=ranked[1],
        best_local=best_local,
        best_cloud=best_cloud,
        peak_rps=rps,
        monthly_cost=costs,
    )
