"""What a customer message means, by nearest examples: how much closer it sits (MiniLM
cosine) to example messages of each handoff reason than to ordinary support questions.

The examples are generic (no company's products or policies), so the margins transfer to any
help centre. A margin, not a raw similarity, decides: all-MiniLM-L6-v2 puts any two support
messages at 0.2-0.5, so only a message clearly nearer one reason's examples than every
ordinary question counts.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tandem.apps.support.handoff import Reason

# Below this, the nearest example is not near at all (whatever the margin).
MIN_SIMILARITY = 0.5

EXAMPLES: dict[Reason, tuple[str, ...]] = {
    Reason.HUMAN_REQUESTED: (
        "I want to talk to a real person",
        "let me speak to someone on your team",
        "please have a member of staff contact me",
        "stop giving me automated answers and get me a human",
        "can I talk to customer service",
        "agent please, stop sending me articles",
        "put me through to someone who can actually help",
    ),
    Reason.ABUSE: (
        "you are a bunch of useless incompetent idiots",
        "this company is a complete joke run by clowns",
        "I know where your office is and you will regret this",
        "go to hell you pathetic scammers",
        "your useless staff ruined everything and you send me a help article",
        "fix this or you will be sorry, I know where your building is",
    ),
    Reason.LEGAL: (
        "I am taking legal action against your company",
        "my lawyer will be contacting you",
        "I will see you in court over this",
        "I have filed a complaint with the regulator",
    ),
    Reason.DISTRESS: (
        "I don't want to live anymore",
        "I feel completely hopeless and can't cope",
        "my husband passed away and I don't know what to do",
        "my mother died last week",
        "I'm thinking of hurting myself",
        "I can't keep going like this, I feel like there is no way out",
        "I lost my job and I don't know how I'm going to get through this",
        "everything is falling apart and I can't stop crying",
    ),
    Reason.ACCOUNT_COMPROMISE: (
        "someone hacked into my account",
        "there are charges on my account that I never made",
        "somebody logged in and changed my details without my permission",
        "I was charged twice for the same thing",
        "there is activity on my account that wasn't me",
    ),
    Reason.URGENT: (
        "this is an emergency, I need help right now",
        "I need this fixed urgently, the deadline is tomorrow morning",
        "I'm stuck and my flight leaves in two hours",
        "payments are due tomorrow and everything is blocked",
        "my exam starts in twenty minutes and I'm locked out, help now",
        "I've just had an accident, someone is hurt, what do I do",
    ),
}
ORDINARY: tuple[str, ...] = (
    "how much does it cost",
    "how long does it take",
    "can I get a refund",
    "what are your opening hours",
    "how do I change my password",
    "how do I update my payment details",
    "what happens if I cancel",
    "is there a fee for this",
    "do you offer discounts",
    "what is the deadline to apply",
    "how do I report a problem",
    "what should I do if I lose it",
    "someone contacted me asking for my details, is that you",
    "how do I dispute a charge",
    "what is your phone number",
    "where can I find my invoice",
    "can I change my booking",
    "how do I close my account",
    "what do I do in an emergency",
    "is my data secure",
)


# More examples, written one by one across many industries and registers (with hard
# look-alikes among the ordinary ones: calm questions about bereavement, complaints,
# phone numbers, scams). "account_action" (something only staff can do on the
# customer's own case) is a request for a person.
CORPUS = Path(__file__).with_name("intent_examples.jsonl")
_ALIASES = {"account_action": Reason.HUMAN_REQUESTED.value}


@cache
def examples() -> tuple[dict[Reason, list[str]], list[str]]:
    """Per reason its examples, and the ordinary questions, in a fixed order (read once)."""
    by_reason: dict[Reason, list[str]] = {reason: list(texts) for reason, texts in EXAMPLES.items()}
    ordinary = list(ORDINARY)
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        name = _ALIASES.get(str(row["reason"]), str(row["reason"]))
        if name == "ordinary":
            ordinary.append(str(row["text"]))
        else:
            by_reason.setdefault(Reason(name), []).append(str(row["text"]))
    return by_reason, ordinary


def all_examples() -> list[str]:
    """Every example, reasons first then ordinary questions, in a fixed order."""
    by_reason, ordinary = examples()
    return [text for texts in by_reason.values() for text in texts] + ordinary


class IntentIndex:
    """The examples' unit embeddings; margins of a message's embedding per reason."""

    def __init__(self, vectors: npt.NDArray[np.float32]) -> None:
        unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
        self.groups: dict[Reason | None, npt.NDArray[np.float32]] = {}
        start = 0
        for reason, texts in examples()[0].items():
            self.groups[reason] = unit[start : start + len(texts)]
            start += len(texts)
        self.groups[None] = unit[start:]

    def margins(self, vector: npt.NDArray[np.float32]) -> dict[Reason, float]:
        """Per reason: nearest example's cosine minus the nearest ordinary question's (0 when
        the nearest example itself is not close)."""
        unit = vector / (np.linalg.norm(vector) + 1e-9)
        ordinary = float(np.max(self.groups[None] @ unit))
        found: dict[Reason, float] = {}
        for reason, matrix in self.groups.items():
            if reason is None:
                continue
            best = float(np.max(matrix @ unit))
            found[reason] = best - ordinary if best >= MIN_SIMILARITY else 0.0
        return found
