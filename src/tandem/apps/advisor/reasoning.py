"""Reasoning written from the score card's own numbers: what each answer did to each kind,
what the context did, and where the inputs contradict each other or sit on a border."""

from __future__ import annotations

from typing import Any

from tandem.apps.advisor.inputs import Inputs
from tandem.apps.advisor.questions import BY_ID, SCALE
from tandem.apps.advisor.scoring import (
    EMBEDDED_RPS,
    KINDS,
    LOCAL,
    Kind,
    Scorecard,
)

TITLES: dict[Kind, str] = {
    "embedded": "Embedded single node (the built-in model on this machine)",
    "vllm": "Self-hosted GPU serving on vLLM",
    "azure_openai": "Azure OpenAI upstreams",
    "openai": "OpenAI upstreams",
    "hybrid": "Hybrid with fallback",
}
SHORT: dict[Kind, str] = {
    "embedded": "embedded",
    "vllm": "vLLM",
    "azure_openai": "Azure OpenAI",
    "openai": "OpenAI",
    "hybrid": "hybrid",
}


def _signed(points: float) -> str:
    return f"{points:+.2f}"


def answer_reasoning(inputs: Inputs, card: Scorecard) -> list[dict[str, Any]]:
    """One entry per question: the answer, its effect on each kind, in words."""
    out: list[dict[str, Any]] = []
    for qid, answer in inputs.answers.items():
        effects = {k: card.scores[k].parts[qid] for k in KINDS if qid in card.scores[k].parts}
        helped = [SHORT[k] for k, v in effects.items() if v > 0]
        hurt = [SHORT[k] for k, v in effects.items() if v < 0]
        title = BY_ID[qid].title
        if answer == 1:
            text = f"{title} is not needed, so no option gains from it."
        else:
            text = f"{title} answered {answer} ({SCALE[answer]})."
            if helped:
                text += f" That favours {', '.join(helped)}"
                text += f" and counts against {', '.join(hurt)}." if hurt else "."
            elif hurt:
                text += f" That counts against {', '.join(hurt)}."
        if qid == "azure_integration" and answer <= 2:
            text += (
                f" Without an Azure estate, Azure OpenAI also carries "
                f"{_signed(card.scores['azure_openai'].parts['azure_estate'])} for setting one up."
            )
        out.append(
            {
                "question": qid,
                "answer": answer,
                "label": SCALE[answer],
                "effect": {k: round(v, 4) for k, v in effects.items()},
                "explanation": text,
            }
        )
    return out


def context_reasoning(inputs: Inputs, card: Scorecard) -> list[dict[str, Any]]:
    """What each context field given did to the scores."""
    ctx = inputs.context
    out: list[dict[str, Any]] = []
    if card.peak_rps is not None:
        source = (
            "as given"
            if ctx.requests_per_second is not None
            else f"estimated from {ctx.expected_users} users at one request per 100 s each"
        )
        out.append(
            _context_entry(
                "load",
                card,
                f"Peak load {card.peak_rps:g} requests/s ({source}); the embedded "
                f"model keeps up with about {EMBEDDED_RPS:g}/s, one vLLM GPU with about 10/s.",
            )
        )
    if ctx.data_sensitivity is not None:
        out.append(
            _context_entry(
                "data_sensitivity",
                card,
                f"Data is {ctx.data_sensitivity}: "
                + (
                    "self-hosting keeps it on your machines, a public API sends it away."
                    if ctx.data_sensitivity in ("confidential", "regulated")
                    else "nothing rules any option out."
                ),
            )
        )
    if ctx.monthly_budget_usd is not None:
        costs = ", ".join(
            f"{SHORT[k]} ~${card.monthly_cost[k]:,.0f}" for k in KINDS if k != "hybrid"
        )
        out.append(
            _context_entry(
                "budget",
                card,
                f"Budget ${ctx.monthly_budget_usd:,.0f}/month against estimated costs: {costs}.",
            )
        )
    return out


def _context_entry(part: str, card: Scorecard, text: str) -> dict[str, Any]:
    effect = {k: card.scores[k].parts[part] for k in KINDS if part in card.scores[k].parts}
    return {"field": part, "effect": effect, "explanation": text}


def notes(inputs: Inputs, card: Scorecard) -> list[str]:
    """Contradictions and borderline calls, said plainly."""
    a, ctx, rps = inputs.answers, inputs.context, card.peak_rps
    out: list[str] = []
    if card.borderline:
        out.append(
            f"Borderline: {SHORT[card.winner]} ({card.scores[card.winner].total:+.2f}) is only "
            f"{card.margin:.2f} ahead of {SHORT[card.runner_up]} "
            f"({card.scores[card.runner_up].total:+.2f}); the proposed evaluation on your own "
            "tasks should decide, and a small change to one answer could flip it."
        )
    if len(set(a.values())) == 1:
        out.append(
            f"Every answer is {next(iter(a.values()))}: the answers do not separate the options, "
            "so the baseline and the context decide. Rank what matters most to sharpen it."
        )
    if a["cloud_scale"] >= 4 and rps is not None and rps < 0.5:
        out.append(
            f"Contradiction: cloud scale is rated {a['cloud_scale']} but the peak load "
            f"is {rps:g} requests/s, which one machine serves."
        )
    if a["cloud_scale"] <= 2 and rps is not None and rps > EMBEDDED_RPS * 10:
        out.append(
            f"Contradiction: cloud scale is rated {a['cloud_scale']} but the peak load "
            f"of {rps:g} requests/s needs several servers or an elastic upstream."
        )
    if a["rapid_evolution"] >= 4 and a["maturity_and_support"] >= 4:
        out.append(
            "Tension: the newest models (rapid evolution) and a mature, supported "
            "platform pull apart; frontier models reach supported enterprise offerings "
            "later. Pin a supported model and evaluate newer ones beside it."
        )
    if ctx.data_sensitivity in ("confidential", "regulated") and a["rapid_evolution"] >= 4:
        out.append(
            f"Tension: {ctx.data_sensitivity} data favours self-hosting, while the "
            "newest models mostly live behind cloud APIs."
        )
    if a["azure_integration"] >= 4 and card.winner not in ("azure_openai", "hybrid"):
        out.append(
            f"Azure integration is rated {a['azure_integration']}, yet "
            f"{SHORT[card.winner]} scores higher; GPU servers can run in your Azure "
            "subscription, which keeps the integration."
        )
    out += _budget_notes(inputs, card)
    if card.winner == "hybrid" and ctx.data_sensitivity == "regulated":
        out.append(
            "The hybrid falls back to a cloud upstream: regulated data may reach it "
            "during outages. Check the provider's contract and region, or drop the "
            "fallback to fail closed."
        )
    if card.winner in LOCAL and rps is None:
        out.append("No load was given: the plan is sized for a small pilot.")
    return out


def _budget_notes(inputs: Inputs, card: Scorecard) -> list[str]:
    budget = inputs.context.monthly_budget_usd
    if budget is None:
        return []
    cost = card.monthly_cost[card.winner]
    if cost <= budget:
        return []
    if all(card.monthly_cost[k] > budget for k in KINDS if k != "embedded"):
        return [
            f"Budget: ${budget:,.0f}/month covers none of the served options at this "
            f"load (the recommendation is estimated at ${cost:,.0f}); lower the load "
            "estimate, cap it with the quotas, or raise the budget."
        ]
    return [
        f"Budget: the recommendation is estimated at ${cost:,.0f}/month, above the "
        f"${budget:,.0f} given; the other reasons outweighed it."
    ]
