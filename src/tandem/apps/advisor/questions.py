"""The partner checklist: five questions answered 1-5, and the optional context around them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

MIN_ANSWER = 1
MAX_ANSWER = 5
SCALE = {1: "not at all", 2: "a little", 3: "somewhat", 4: "important", 5: "essential"}

Sensitivity = Literal["public", "internal", "confidential", "regulated"]
SENSITIVITIES: tuple[Sensitivity, ...] = ("public", "internal", "confidential", "regulated")


@dataclass(frozen=True)
class Question:
    """One checklist question."""

    id: str
    title: str
    question: str
    guidance: str

    def as_json(self) -> dict[str, Any]:
        """The question as the API returns it."""
        return {
            "id": self.id,
            "title": self.title,
            "question": self.question,
            "guidance": self.guidance,
            "min": MIN_ANSWER,
            "max": MAX_ANSWER,
            "scale": {str(k): v for k, v in SCALE.items()},
        }


QUESTIONS: tuple[Question, ...] = (
    Question(
        "cloud_scale",
        "Cloud scale",
        "How much do you need capacity that grows and shrinks on demand, without buying hardware?",
        "Think of your busiest hour a year from now. 1: a team or a pilot on one machine is "
        "enough. 5: traffic is large or spiky, and capacity must follow it within minutes.",
    ),
    Question(
        "maturity_and_support",
        "Maturity and support",
        "How much do you need a mature platform with a vendor's support and service levels?",
        "1: your own engineers can run and debug the stack. 5: outages must be someone "
        "else's contractual problem (SLAs, support tickets, compliance attestations).",
    ),
    Question(
        "responsible_ai",
        "Responsible AI",
        "How much do content safety, privacy and human oversight matter for this use?",
        "1: internal experiments with no end users. 5: the public or vulnerable people see "
        "the output, or personal data passes through it; filtering, review and audit are "
        "required.",
    ),
    Question(
        "azure_integration",
        "Azure integration",
        "How much must this fit into Microsoft Azure (identity, networking, billing, data)?",
        "1: no Azure in your estate. 5: policy says workloads run in your Azure tenant, "
        "under its identity, private networking and commitments.",
    ),
    Question(
        "rapid_evolution",
        "Rapid evolution",
        "How much do you need the newest and strongest models as soon as they appear?",
        "1: a model that is good enough today can stay for a year. 5: your product "
        "competes on model quality and must move to each new frontier model quickly.",
    ),
)

QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)
BY_ID = {q.id: q for q in QUESTIONS}

CONTEXT_FIELDS: tuple[dict[str, Any], ...] = (
    {
        "id": "expected_users",
        "type": "integer",
        "minimum": 0,
        "description": "People (or client systems) who will use it at the busiest time.",
    },
    {
        "id": "requests_per_second",
        "type": "number",
        "minimum": 0,
        "description": "Peak model requests per second (estimated from users when left out).",
    },
    {
        "id": "data_sensitivity",
        "type": "string",
        "enum": list(SENSITIVITIES),
        "description": "The most sensitive data a prompt may hold: public, internal, "
        "confidential (trade secrets, customer data) or regulated (health, finance, "
        "personal data under a law).",
    },
    {
        "id": "monthly_budget_usd",
        "type": "number",
        "minimum": 0,
        "description": "What you can spend on models and serving each month, in USD.",
    },
    {
        "id": "use_cases",
        "type": "array",
        "items": {"type": "string"},
        "description": "What it is for, a few words each (e.g. 'support answers', 'SQL over "
        "sales data'); seeds the proposed evaluation.",
    },
    {
        "id": "sample_tasks",
        "type": "array",
        "items": {"type": "object", "properties": {"input": {}, "expected": {}}},
        "description": "Your own tasks with the answer you would accept; the proposed "
        "evaluation runs them on each candidate deployment.",
    },
)


def questions_document() -> dict[str, Any]:
    """GET /v1/advisor/questions."""
    return {
        "object": "advisor.questions",
        "scale": {str(k): v for k, v in SCALE.items()},
        "questions": [q.as_json() for q in QUESTIONS],
        "context": list(CONTEXT_FIELDS),
    }
