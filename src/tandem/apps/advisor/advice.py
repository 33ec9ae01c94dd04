"""Trade-offs (convenience, customisation, cost) and next steps for a plan."""

from __future__ import annotations

from typing import Any

from tandem.apps.advisor.inputs import Inputs
from tandem.apps.advisor.plans import Plan
from tandem.apps.advisor.render import POLICY_FILE
from tandem.apps.advisor.scoring import Kind, Scorecard

# (rating 1-5, what it means) for convenience, customisation and cost.
TRADE_OFFS: dict[Kind, dict[str, tuple[int, str]]] = {
    "embedded": {
        "convenience": (5, "Nothing to provision: one process, no keys, no network."),
        "customisation": (3, "Any GGUF model by path; small models only on a CPU."),
        "cost": (5, "No per-token bill; the machine you already have."),
    },
    "vllm": {
        "convenience": (2, "You run GPU servers: drivers, upgrades, capacity planning."),
        "customisation": (5, "Any open-weight model, your fine-tunes, your quantisation."),
        "cost": (3, "Fixed GPU cost: cheap per token when busy, wasteful when idle."),
    },
    "azure_openai": {
        "convenience": (4, "Managed models inside your Azure tenant; quota requests per region."),
        "customisation": (2, "The catalogue Azure offers; fine-tuning on some models only."),
        "cost": (3, "Per token (or provisioned throughput); grows with use."),
    },
    "openai": {
        "convenience": (5, "One key; the newest models first."),
        "customisation": (2, "OpenAI's models; fine-tuning where offered."),
        "cost": (3, "Per token; grows with use."),
    },
    "hybrid": {
        "convenience": (2, "Two kinds of backend to run and watch."),
        "customisation": (4, "Local models where control matters, cloud models for the rest."),
        "cost": (3, "Fixed local cost plus per-token spill-over."),
    },
}


def trade_offs(kind: Kind, card: Scorecard) -> dict[str, Any]:
    """The kind's trade-offs with its estimated monthly cost."""
    out: dict[str, Any] = {
        aspect: {"rating": rating, "summary": text}
        for aspect, (rating, text) in TRADE_OFFS[kind].items()
    }
    out["cost"]["estimated_monthly_usd"] = round(card.monthly_cost[kind], 2)
    return out


def next_steps(inputs: Inputs, plan: Plan, card: Scorecard) -> list[dict[str, str]]:
    """Start small and scale, data quality, human oversight, security; then measure."""
    a, ctx = inputs.answers, inputs.context
    pilot = (
        "Start with one team and one use case on this config; scale the quotas (rpm, tpm) "
        "and the number of targets once usage and the evaluation show it works."
    )
    if plan.kind in ("vllm", "hybrid"):
        pilot += " Begin with one GPU server; add targets as the queue depth metric grows."
    steps = [
        {"area": "start_small", "title": "Start small, then scale", "detail": pilot},
        {
            "area": "data_quality",
            "title": "Check the data before trusting answers",
            "detail": "Review the documents and tables the assistants will read: remove "
            "stale and duplicate versions, fix column meanings in the analyst's data "
            "dictionary, and keep 20-50 real questions with accepted answers as the "
            "evaluation set.",
        },
        {
            "area": "human_oversight",
            "title": "Keep people in the loop",
            "detail": "Blocked content goes to the review queue (`tandem review list`); "
            "route support conversations the assistant cannot ground to human agents, and "
            "have someone own the weekly review."
            + (
                " With responsible AI rated "
                f"{a['responsible_ai']}, sample allowed answers for review too."
                if a["responsible_ai"] >= 4
                else ""
            ),
        },
        {
            "area": "security",
            "title": "Lock it down",
            "detail": "Issue one key per application with its own quotas "
            "(`tandem keys create --tenant NAME --rpm N`), keep upstream keys in the "
            "environment variables the config names, and serve behind TLS. The safety "
            "policy is in tandem.toml (`[safety_policies]`, stored at every start); "
            f"{POLICY_FILE} holds the same for `tandem safety policy set`."
            + (
                f" {str(ctx.data_sensitivity).capitalize()} data: the policy redacts "
                "personal data; audit the log (`tandem audit verify`) regularly."
                if ctx.data_sensitivity in ("confidential", "regulated")
                else ""
            ),
        },
        {
            "area": "evaluate",
            "title": "Measure the candidates on your tasks",
            "detail": "Run the proposed evaluation on every chat deployment of this config "
            f"({', '.join(plan.chat_deployments())}) and compare pass rates, latency and "
            f"cost before rolling out; the runner-up was {card.runner_up}.",
        },
    ]
    return steps
