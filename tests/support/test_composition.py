"""Extractive composition: which units an answer keeps, and which kinds of fact a question
asks for and a sentence states."""

from __future__ import annotations

import numpy as np

from tandem.apps.support import compose
from tandem.apps.support.evidence import Sentence
from tandem.apps.support.question import Need, carries, needs


def unit(text: str, source: int, position: int, title: str = "Help") -> Sentence:
    return Sentence(text, source, position, title)


def test_the_unit_closest_to_the_question_is_kept_beside_one_stating_an_asked_fact() -> None:
    # "Will you pay for a new fence?" reads as asking for an amount ("pay"); a unit with an
    # amount in it must join the answer, not replace the one that answers.
    question = "Storm last night flattened our garden fence. Will you pay for a new one?"
    candidates = [
        unit("Fences, gates and hedges are not covered for storm damage.", 0, 0),
        unit("If a tree falls, we pay up to £1,500 to remove it.", 1, 0),
    ]
    to_question = np.array([0.55, 0.46], dtype=np.float32)
    scored = compose.score(question, candidates, to_question, to_question[:, None], 2)
    chosen, core = compose.select([question], scored)
    assert 0 in chosen
    assert 0 in core


def test_the_passage_about_the_questions_subject_outranks_one_sharing_a_word() -> None:
    question = "can i get a refund on the rest of my personal training pack?"
    candidates = [
        unit("Memberships paid in full can be refunded within 14 days.", 0, 0, "Cancelling"),
        unit("Packs are not refundable, but unused sessions can be transferred.", 1, 0, "PT"),
        unit("A personal training pack has 10 sessions.", 1, 1, "Personal training"),
    ]
    # The wrong passage's sentence is a little closer in meaning.
    to_question = np.array([0.59, 0.55, 0.40], dtype=np.float32)
    scored = compose.score(question, candidates, to_question, to_question[:, None], 2)
    best = int(np.argmax(scored.overall))
    assert candidates[best].source == 1
    chosen, _ = compose.select([question], scored)
    assert {candidates[i].source for i in chosen} == {1}


def test_passage_coverage_counts_the_whole_passage() -> None:
    candidates = [
        unit("Guests must be 18 or over.", 0, 0, "Bringing a guest"),
        unit("A friend can come with a day pass.", 0, 1, "Bringing a guest"),
        unit("Members aged 16 and over can train.", 1, 0, "Age limits"),
    ]
    asked = {"bring", "frien", "guest"}
    found = compose.passage_coverage(asked, candidates)
    assert found[0] == 1.0
    assert found[1] == 0.0


def test_an_amount_written_with_a_currency_code_is_an_amount() -> None:
    assert Need.AMOUNT in carries("Theft from a shed is covered up to GBP 2,500 in total.")
    assert Need.AMOUNT in carries("A replacement costs AUD 25.")
    assert Need.AMOUNT not in carries("Theft from a shed is covered if it was locked.")


def test_what_a_question_asks_for() -> None:
    # A yes/no question after a first sentence asks for a condition.
    assert Need.CONDITION in needs("The storm hit last night. Will you pay for it?")
    # "last night" and "last month" tell when something happened, they do not ask.
    assert Need.TIME not in needs("I phoned last month. Does that count against my discount?")
    assert Need.TIME in needs("how long does the discount last for?")
    assert Need.TIME in needs("how long does a refund take")
