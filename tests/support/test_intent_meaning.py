"""Handoff by meaning with the shipped MiniLM: the example corpus loads whole, requests only
staff can act on count as requests for a person, and messages worded like none of the
examples still land on the right side (DECISIVE or SUGGESTIVE margins, see handoff.py)."""

from __future__ import annotations

import json

import pytest

from tandem.apps.support.handoff import DECISIVE, SUGGESTIVE, Reason
from tandem.apps.support.intents import CORPUS, IntentIndex, all_examples, examples
from tandem.backends.bert_encoder import BertEncoder
from tandem.backends.minilm import packaged_model_dir

PERSON = Reason.HUMAN_REQUESTED


@pytest.fixture(scope="module")
def index_and_encoder() -> tuple[IntentIndex, BertEncoder]:
    encoder = BertEncoder(packaged_model_dir())
    vectors, _ = encoder.encode(all_examples())
    return IntentIndex(vectors), encoder


def test_the_corpus_loads_whole_with_every_reason() -> None:
    rows = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines() if x.strip()]
    by_reason, ordinary = examples()
    assert len(all_examples()) >= len(rows)
    assert sum(r["reason"] == "ordinary" for r in rows) <= len(ordinary)
    staff_only = [r["text"] for r in rows if r["reason"] == "account_action"]
    assert staff_only
    assert set(staff_only) <= set(by_reason[Reason.HUMAN_REQUESTED])
    for reason in (
        Reason.LEGAL,
        Reason.ABUSE,
        Reason.DISTRESS,
        Reason.URGENT,
        Reason.ACCOUNT_COMPROMISE,
    ):
        assert len(by_reason[reason]) >= 20


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("could you put a note on my file and have somebody phone me tomorrow", PERSON),
        ("please sort out the refund on booking 4471 yourselves, I've waited a month", PERSON),
        ("I lost my wife last month and I can't face sorting any of this out", Reason.DISTRESS),
        ("there's water pouring through the ceiling onto the fuse box right now", Reason.URGENT),
        ("my small claims court papers are ready and you'll be served next week", Reason.LEGAL),
    ],
)
def test_unseen_wordings_reach_their_reason(
    index_and_encoder: tuple[IntentIndex, BertEncoder], text: str, reason: Reason
) -> None:
    index, encoder = index_and_encoder
    vector, _ = encoder.encode([text])
    margins = index.margins(vector[0])
    assert margins[reason] >= SUGGESTIVE, margins
    assert max(margins, key=lambda r: margins[r]) == reason, margins


@pytest.mark.parametrize(
    "text",
    [
        "what happens to a subscription when the account holder has died?",
        "which number do I ring out of hours?",
        "how do I make a formal complaint?",
        "do you have a step-free entrance at the main office?",
    ],
)
def test_calm_questions_about_the_same_subjects_stay_with_the_assistant(
    index_and_encoder: tuple[IntentIndex, BertEncoder], text: str
) -> None:
    index, encoder = index_and_encoder
    vector, _ = encoder.encode([text])
    margins = index.margins(vector[0])
    assert max(margins.values()) < DECISIVE, margins
