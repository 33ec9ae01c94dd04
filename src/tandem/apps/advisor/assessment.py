"""One assessment: validated inputs in, the whole recommendation out (pure: no I/O, so
`tandem assess --offline` computes exactly what the server would)."""

from __future__ import annotations

from typing import Any

from tandem.apps.advisor.advice import next_steps, trade_offs
from tandem.apps.advisor.evaluation import SAMPLES_FILE, proposed_evaluation
from tandem.apps.advisor.inputs import Inputs, parse_inputs
from tandem.apps.advisor.plans import build_plan
from tandem.apps.advisor.policy import safety_policy
from tandem.apps.advisor.reasoning import (
    SHORT,
    TITLES,
    answer_reasoning,
    context_reasoning,
    notes,
)
from tandem.apps.advisor.render import POLICY_FILE, render_config
from tandem.apps.advisor.scoring import CLOUD, KINDS, Kind, Scorecard, score

MODEL_VERSION = "2026-12-1"


def _summary(kind: Kind, card: Scorecard, parts: tuple[Kind, Kind] | None) -> str:
    if kind == "hybrid" and parts is not None:
        return (
            f"{SHORT[parts[0]]} serves first and {SHORT[parts[1]]} takes over when it fails "
            f"or throttles (the two scored {card.scores[parts[0]].total:+.2f} and "
            f"{card.scores[parts[1]].total:+.2f} on their own)."
        )
    return (
        f"{TITLES[kind]} scored {card.scores[kind].total:+.2f}, ahead of "
        f"{SHORT[card.runner_up]} at {card.scores[card.runner_up].total:+.2f}."
    )


def assess(inputs: Inputs, assessment_id: str | None = None) -> dict[str, Any]:
    """The recommendation, reasoning, trade-offs, config, policy, next steps, evaluation."""
    card = score(inputs)
    kind = card.winner
    plan = build_plan(kind, inputs, card)
    cloud = any(d.role == "chat" and not d.local for d in plan.deployments)
    title = TITLES[kind]
    if plan.hybrid_parts is not None:
        title += f": {SHORT[plan.hybrid_parts[0]]} first, {SHORT[plan.hybrid_parts[1]]} behind"
    alternatives = [
        {
            "kind": k,
            "title": TITLES[k],
            "score": card.scores[k].total,
            "trade_offs": trade_offs(k, card),
        }
        for k in sorted(KINDS, key=lambda k: -card.scores[k].total)
        if k != kind
    ]
    policy = safety_policy(inputs, cloud or kind in CLOUD)
    return {
        "scoring_model": MODEL_VERSION,
        "recommendation": {
            "kind": kind,
            "title": title,
            "summary": _summary(kind, card, plan.hybrid_parts),
            "confidence": "borderline" if card.borderline else "clear",
            "margin": card.margin,
            "runner_up": card.runner_up,
            "chat_deployment": plan.chat,
            "embedding_deployment": plan.embeddings,
            "deployments": [
                {
                    "name": d.name,
                    "role": d.role,
                    "backends": [t.backend for t in d.targets],
                    "fallbacks": d.fallbacks,
                    "rpm": d.rpm,
                    "tpm": d.tpm,
                    "note": d.comment,
                }
                for d in plan.deployments
            ],
            "sends_prompts_off_premises": cloud,
            "peak_requests_per_second": card.peak_rps,
        },
        "scores": {k: {"total": s.total, "parts": s.parts} for k, s in card.scores.items()},
        "reasoning": answer_reasoning(inputs, card),
        "context_reasoning": context_reasoning(inputs, card),
        "notes": notes(inputs, card),
        "trade_offs": trade_offs(kind, card),
        "alternatives": alternatives,
        "config": render_config(plan, title, assessment_id, policy),
        "safety_policy": policy,
        "files": {
            "config": "tandem.toml",
            "safety_policy": POLICY_FILE,
            "samples": SAMPLES_FILE,
        },
        "next_steps": next_steps(inputs, plan, card),
        "evaluation": proposed_evaluation(plan.chat_deployments(), inputs.context),
    }


def assess_json(answers: object, context: object = None) -> dict[str, Any]:
    """`assess` straight from JSON values (a 400 naming the field when they are wrong)."""
    return assess(parse_inputs(answers, context))
