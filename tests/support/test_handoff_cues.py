"""Handoff cues for the wordings customers use beyond the obvious ones, each with the look-alikes
that must stay with the assistant; the subject check's reading of names and contractions; page
bookkeeping kept out of answers."""

from __future__ import annotations

import pytest

from tandem.apps.support import scope
from tandem.apps.support.evidence import sentences
from tandem.apps.support.handoff import HandoffDetector, Reason
from tandem.knowledge.store import Hit
from tandem.safety.classifier import Classifier


@pytest.fixture(scope="module")
def detector() -> HandoffDetector:
    return HandoffDetector(Classifier())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # A loss told with how it feels, or with nothing practical asked.
        ("my wife died on sunday and I can't stop crying when the reminders come", Reason.DISTRESS),
        ("my mother passed away last month.", Reason.DISTRESS),
        ("I lost my job and I don't know where to start with any of this", Reason.DISTRESS),
        ("I can't see a way out of this debt any more", Reason.DISTRESS),
        # Insults with words between, masked profanity, veiled threats.
        ("you lot are a pack of greedy crooks", Reason.ABUSE),
        ("this is a f***ing disgrace, you never answer", Reason.ABUSE),
        ("if your courier parks on my lawn again I'll sort him out myself", Reason.ABUSE),
        (
            "cancel my fine or whoever signed it will regret it, I know where the depot is",
            Reason.ABUSE,
        ),
        # Taking it to a named body, or to counsel.
        ("we are taking this complaint to the Consumer Council next week", Reason.LEGAL),
        ("this breaches our contract and we are referring it to legal counsel", Reason.LEGAL),
        # Charges and activity the customer did not make, however they word it.
        ("you have taken my $15 subscription twice this week", Reason.ACCOUNT_COMPROMISE),
        ("I see four charges of $9.99 but I only have one membership", Reason.ACCOUNT_COMPROMISE),
        ("I keep getting login codes that I'm not requesting", Reason.ACCOUNT_COMPROMISE),
        (
            "my number was moved to another phone and I never asked for that",
            Reason.ACCOUNT_COMPROMISE,
        ),
        # Danger now, a child at risk, a deadline with the customer locked out.
        ("the kitchen bin is on fire next to the back door, what do I do", Reason.URGENT),
        ("my toddler just swallowed two batteries from the toy you sent", Reason.URGENT),
        ("someone on the forum keeps asking my son for pictures of himself", Reason.URGENT),
        ("my driving test is in 30 minutes and the app won't load my licence", Reason.URGENT),
        ("emergency - the lift is stuck between floors with my mum inside", Reason.URGENT),
        # A person asked for, or staff-only work on the customer's own case.
        ("agent pls, this is going nowhere", Reason.HUMAN_REQUESTED),
        ("please put me through to someone in your refunds department", Reason.HUMAN_REQUESTED),
        (
            "I sent the form 2 weeks ago and nobody has been in touch since, can you check?",
            Reason.HUMAN_REQUESTED,
        ),
        (
            "can you move my points from sam.lee@example.com to my new login?",
            Reason.HUMAN_REQUESTED,
        ),
    ],
)
def test_wordings_reach_their_reason(detector: HandoffDetector, text: str, reason: Reason) -> None:
    assert detector.detect(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        # A calm practical question from someone bereaved is answered.
        "My father died in May. How do I close his account and is the last payment refunded?",
        "I don't know what to do about my meter reading, where do I send it?",
        # Plain words a help centre uses.
        "can you take away my old rubbish bags with the bin?",
        "how do I lodge a claim with you for a broken item?",
        # Charges and how to prevent misuse.
        "can I pay twice a year instead of monthly?",
        "my card was stolen, how do I stop someone using it?",
        # Timing asked about, dangers asked about in general.
        "if I upgrade, am I charged right away or at the next bill?",
        "what should I do if there's a fire in my bin?",
        "need a copy of my certificate asap, what's the fastest option?",
        # Asking how to reach people is answered with the contact details.
        "is there a phone number I can call? I'd rather speak to someone",
        "can you switch the account manager to my husband?",
    ],
)
def test_look_alikes_stay_with_the_assistant(detector: HandoffDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_cues_outrank_the_nearest_examples(detector: HandoffDetector) -> None:
    # The meaning leans towards abuse, the message is a flood happening now.
    text = "water is pouring through the ceiling onto the printers right now, need someone"
    assert detector.detect(text, {Reason.ABUSE: 0.22}) == Reason.URGENT
    # Meaning alone at the lower bar stands for the reasons without a stricter one.
    assert detector.detect("everything is too heavy", {Reason.DISTRESS: 0.2}) == Reason.DISTRESS
    assert detector.detect("why is my bank showing more?", {Reason.ACCOUNT_COMPROMISE: 0.2}) is None


def test_names_and_contractions_in_the_subject_check() -> None:
    assert scope.branded("can I pay with PayPal?", "paypal")
    assert scope.branded("do you sign a HIPAA agreement", "hipaa")
    assert not scope.branded("I'm flying to Tokyo next week", "tokyo")
    words = scope.subject_words("he's very chill, can my niece's friend come along?")
    assert "he's" not in words
    assert "very" not in words
    assert "niece" in words
    assert "friend" in words


def test_page_bookkeeping_is_not_quoted() -> None:
    page = Hit(
        "bins.html",
        "doc_1",
        "Bins",
        "Last updated 4 November 2026.\n\nRinse containers before you recycle them.",
        0,
        0.03,
        0.6,
    )
    assert [s.text for s in sentences([page])] == ["Rinse containers before you recycle them."]
