"""Handoff detection, evidence decisions, sentence picking and the grounding check."""

from __future__ import annotations

import numpy as np
import pytest

from tandem.apps.support.evidence import answerable, pick, sentences
from tandem.apps.support.grounding import cited, grounded
from tandem.apps.support.handoff import HandoffDetector, Reason
from tandem.knowledge.store import Hit
from tandem.safety.classifier import Classifier


@pytest.fixture(scope="module")
def detector() -> HandoffDetector:
    return HandoffDetector(Classifier())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("can I speak to a real person please", Reason.HUMAN_REQUESTED),
        ("I need a human to look at this", Reason.HUMAN_REQUESTED),
        ("transfer me to customer service", Reason.HUMAN_REQUESTED),
        ("Agent!", Reason.HUMAN_REQUESTED),
        ("are you a bot? get me your supervisor", Reason.HUMAN_REQUESTED),
        ("my lawyer will hear about this", Reason.LEGAL),
        ("I'll see you in small claims court", Reason.LEGAL),
        ("you are all useless idiots", Reason.ABUSE),
        ("shut up and give me my money", Reason.ABUSE),
        ("I can't go on like this, I want to end my life", Reason.DISTRESS),
        ("honestly I feel hopeless", Reason.DISTRESS),
    ],
)
def test_reasons_to_bring_in_a_person(detector: HandoffDetector, text: str, reason: Reason) -> None:
    assert detector.detect(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "how much is overnight shipping",
        "can I return shoes I wore once?",
        "my package says delivered but it is not here",
        "what are the opening hours of the Denver store",
        "do you have a customer service phone number",
        "is the warranty valid in court cases of misuse",
    ],
)
def test_ordinary_questions_stay_with_the_assistant(detector: HandoffDetector, text: str) -> None:
    # The last one names "court", which is a legal cue; every other must not hand off.
    expected = Reason.LEGAL if "court" in text else None
    assert detector.detect(text) == expected


def hit(text: str, similarity: float, score: float = 0.03, title: str = "T") -> Hit:
    return Hit("doc.md", "doc_1", title, text, 0, score, similarity)


def test_answerable_needs_a_close_or_well_covered_passage() -> None:
    question = "how long do refunds take"
    assert answerable(question, [hit("Refunds take 5 business days.", 0.6)])
    # Middling similarity: enough with the question's words, or with both rankings agreeing.
    assert answerable(question, [hit("Refunds take 5 business days.", 0.35)])
    assert answerable(question, [hit("Money returns in a week.", 0.35, score=0.0328)])
    assert not answerable(question, [hit("Money returns in a week.", 0.35, score=0.031)])
    assert not answerable(question, [hit("Our stores open at 9 am.", 0.15)])
    assert not answerable(question, [])


def test_pick_prefers_the_sentence_with_the_answer_and_keeps_reading_order() -> None:
    hits = [
        hit("Shipping is fast. Overnight costs $29.95. Standard costs $6.95.", 0.5),
        hit("Returns are free.", 0.3),
    ]
    candidates = sentences(hits)
    assert [c.text for c in candidates] == [
        "Shipping is fast.",
        "Overnight costs $29.95.",
        "Standard costs $6.95.",
        "Returns are free.",
    ]
    similarity = np.array([0.2, 0.7, 0.5, 0.45], dtype=np.float32)
    picked = pick("how much is overnight", candidates, similarity)
    assert picked[0].text == "Overnight costs $29.95."
    # The sentence right after the best one carries on and joins it.
    assert [p.text for p in picked] == ["Overnight costs $29.95.", "Standard costs $6.95."]
    assert pick("anything", [], similarity) == []


def test_grounding_check() -> None:
    hits = [hit("Standard shipping costs $6.95 and takes 4 to 6 business days.", 0.6)]
    assert grounded("Standard shipping costs $6.95 [1].", hits)
    assert not grounded("Standard shipping costs $4.95 [1].", hits)  # invented number
    assert not grounded("Standard shipping costs $6.95.", hits)  # no citation
    assert not grounded("Shipping is free for members of the gold club [1].", hits)
    assert not grounded("NOT FOUND", hits)
    assert cited("see [2] and [1] and [2] and [9]", 2) == [2, 1]


@pytest.mark.parametrize(
    ("question", "word", "asked"),
    [
        ("Do you do home broadband?", "broadband", True),
        ("is there a student deal on sim only?", "student", True),
        ("can i add my apple watch to my plan", "watch", True),
        ("Do you also stock oat milk", "milk", True),
        ("my broadband has been slow since Monday", "broadband", False),
        ("the student discount code did not apply at checkout", "student", False),
    ],
)
def test_asked_whether_something_is_offered(question: str, word: str, asked: bool) -> None:
    from tandem.apps.support.scope import offered

    assert offered(question, word) is asked
