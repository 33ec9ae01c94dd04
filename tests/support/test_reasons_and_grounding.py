"""Every handoff reason with messages that must not trigger it, the harm classifier kept to
a confirming role, the grounding check against invented claims, fact coverage of extractive
answers, and the question's parts and needs."""

from __future__ import annotations

import numpy as np
import pytest

from tandem.apps.support import compose
from tandem.apps.support.evidence import sentences
from tandem.apps.support.grounding import grounded
from tandem.apps.support.handoff import HandoffDetector, Reason
from tandem.apps.support.question import Need, needs, parts
from tandem.knowledge.store import Hit
from tandem.safety.categories import Category
from tandem.safety.classifier import Classifier


@pytest.fixture(scope="module")
def detector() -> HandoffDetector:
    return HandoffDetector(Classifier())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("This is the third time I'm asking, get me a real person.", Reason.HUMAN_REQUESTED),
        ("can someone from your team call me back", Reason.HUMAN_REQUESTED),
        ("you absolute clowns, what a useless shambles", Reason.ABUSE),
        ("fix it or I know where your office is", Reason.ABUSE),
        ("I've instructed a solicitor and we are issuing proceedings", Reason.LEGAL),
        ("I'm reporting you to the regulator", Reason.LEGAL),
        ("my husband passed away last week and I don't know what to do", Reason.DISTRESS),
        ("honestly i can't see the point in anything any more", Reason.DISTRESS),
        (
            "we were hacked and someone deleted our invoices, I'm panicking",
            Reason.ACCOUNT_COMPROMISE,
        ),
        ("there are orders I never placed on my account", Reason.ACCOUNT_COMPROMISE),
        ("you charged me twice for the same month", Reason.ACCOUNT_COMPROMISE),
        ("someone logged into my account and changed the email", Reason.ACCOUNT_COMPROMISE),
        ("payroll is due tomorrow and our account is suspended, please help", Reason.URGENT),
        ("this is an emergency, my card was swallowed and I fly in 3 hours", Reason.URGENT),
    ],
)
def test_each_reason(detector: HandoffDetector, text: str, reason: Reason) -> None:
    assert detector.detect(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "someone texted me asking for my PIN, is that legit?",  # scam awareness: answerable
        "how do I dispute a charge on my statement",
        "what's the emergency number if I smell gas",
        "my flight is tomorrow, what is the baggage allowance",
        "can I go to the ombudsman if my complaint takes too long?",
        "how do I delete my workspace",
        "do you have a customer service phone number",
        "will my refund arrive by tomorrow",
        "can I add another person to my account",
        "what happens to my data when someone leaves the team",
    ],
)
def test_look_alikes_stay_with_the_assistant(detector: HandoffDetector, text: str) -> None:
    assert detector.detect(text) is None


class _Harmful(Classifier):
    """A harm classifier that scores everything as self-harm and hate (as a classifier
    being retrained might)."""

    def analyze(self, text: str, categories: object = None) -> object:  # type: ignore[override]
        analysis = super().analyze(text)
        analysis.severities[Category.SELF_HARM] = 4
        analysis.severities[Category.HATE] = 4
        return analysis


def test_harm_scores_alone_decide_nothing() -> None:
    detector = HandoffDetector(_Harmful())
    assert detector.detect("I want to speak to a real person") == Reason.HUMAN_REQUESTED
    assert detector.detect("how much is overnight shipping") is None
    # With the message's meaning pointing the same way, the classifier confirms.
    assert detector.detect("everything feels heavy", {Reason.DISTRESS: 0.08}) == Reason.DISTRESS
    # Meaning alone, clearly closer to a reason's examples than to ordinary questions.
    assert detector.detect("please let a person look at it", {Reason.HUMAN_REQUESTED: 0.3}) == (
        Reason.HUMAN_REQUESTED
    )
    # A request for a person by meaning alone needs the higher bar: plain questions about
    # changes and charges sit near those examples.
    assert detector.detect("can I get my money back?", {Reason.HUMAN_REQUESTED: 0.2}) is None


def hit(text: str, title: str = "Deleting your workspace") -> Hit:
    return Hit("doc.md", "doc_1", title, text, 0, 0.03, 0.6)


POLICY = hit(
    "Only the account owner can delete the workspace. Deleted workspaces are kept for 30 "
    "days, then removed for good. You must cancel your subscription first."
)


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("Only the account owner can delete the workspace [1].", True),
        (
            "You must cancel your subscription first [1]. Deleted workspaces are kept for 30 "
            "days [1].",
            True,
        ),
        ("The account owner must be deleted [1].", False),  # invented claim, same words
        ("Deleted workspaces are kept for 60 days [1].", False),  # invented number
        ("Deleted workspaces are not kept [1].", False),  # negation flipped
        ("Anyone can delete the workspace [1].", False),
        ("Only the account owner can delete the workspace.", False),  # no citation
        ("Only the account owner can delete the workspace [1]. Refunds are instant [1].", False),
    ],
)
def test_grounding_is_checked_sentence_by_sentence(answer: str, ok: bool) -> None:
    assert grounded(answer, [POLICY]) is ok


def test_question_parts_and_needs() -> None:
    assert parts("how much is it and how long does it take?") == [
        "how much is it",
        "how long does it take",
    ]
    assert parts("whats the standing charge") == ["whats the standing charge"]
    assert needs("how much and how long") >= {Need.AMOUNT, Need.TIME}
    assert Need.CONDITION in needs("can I still cancel for free?")


def test_extractive_answer_covers_every_part_in_whole_sentences() -> None:
    passages = [
        hit(
            "Refunds go back to your card. They arrive within 10 working days.\n\n"
            "To get a refund you need:\n- the order number\n- a photo of the item",
            "Refunds",
        ),
        hit("Our shop sells boots. A refund costs nothing, but courier returns cost $5.", "Fees"),
    ]
    candidates = sentences(passages)
    question = ["how long does a refund take", "how much does it cost"]
    # Meaning says the first sentence is the closest, for both parts.
    texts = [c.text for c in candidates]
    to_question = np.array(
        [0.6 if n == 0 else 0.5 if "$5" in t else 0.35 for n, t in enumerate(texts)],
        dtype=np.float32,
    )
    to_parts = np.stack([to_question, to_question], axis=1)
    scored = compose.score(" and ".join(question), candidates, to_question, to_parts, 2)
    chosen, core = compose.select(question, scored)
    text = compose.render([candidates[i] for i in chosen], {0: 1, 1: 2})
    assert "10 working days" in text  # the time asked for
    assert "$5" in text  # the amount asked for, from the other passage
    assert set(core) <= set(chosen)
    for sentence in text.split("] "):
        assert sentence.rstrip(" [12]").endswith((".", "!", "?"))
    items = compose.render([c for c in candidates if c.kind == "item"], {0: 1})
    assert items == "To get a refund you need: the order number; a photo of the item. [1]"
