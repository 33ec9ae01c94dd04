"""PII detection and redaction on Presidio's recognizers."""

from __future__ import annotations

import pytest

from tandem.safety.pii import PIIDetector

PII = PIIDetector()


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("EMAIL_ADDRESS", "write to jane.doe@example.org today", "jane.doe@example.org"),
        ("PHONE_NUMBER", "call +44 20 7946 0958 after six", "+44 20 7946 0958"),
        ("PHONE_NUMBER", "my cell is (415) 555-0132", "(415) 555-0132"),
        ("CREDIT_CARD", "card 4111 1111 1111 1111 expires soon", "4111 1111 1111 1111"),
        ("IBAN_CODE", "IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32"),
        ("US_SSN", "ssn 536-22-1234 on file", "536-22-1234"),
        ("IP_ADDRESS", "the server at 192.168.1.20 is down", "192.168.1.20"),
        ("PERSON", "Hello, my name is Maria Gonzalez and I need help", "Maria Gonzalez"),
        ("PERSON", "Please forward this to Dr. Alan Turing.", "Alan Turing"),
        (
            "STREET_ADDRESS",
            "ship it to 221 Baker Street, Apt 2 in London",
            "221 Baker Street, Apt 2",
        ),
    ],
)
def test_each_type_is_found_with_its_span(kind: str, text: str, value: str) -> None:
    spans = [s for s in PII.detect(text) if s.type == kind]
    assert [s.text for s in spans] == [value]
    assert text[spans[0].start : spans[0].end] == value


def test_card_numbers_failing_luhn_are_not_cards() -> None:
    assert not [s for s in PII.detect("card 4111 1111 1111 1112") if s.type == "CREDIT_CARD"]


def test_redaction_replaces_spans_with_their_type() -> None:
    text = "I'm reachable at bob@example.com or +1 212 555 0199, card 4111-1111-1111-1111."
    assert PII.redact(text) == (
        "I'm reachable at [EMAIL_ADDRESS] or [PHONE_NUMBER], card [CREDIT_CARD]."
    )


def test_ordinary_text_has_no_pii() -> None:
    assert PII.detect("The order arrived late and the box was damaged.") == []


def test_type_filter() -> None:
    text = "mail a@b.co or call (415) 555-0132"
    assert [s.type for s in PII.detect(text, ("PHONE_NUMBER",))] == ["PHONE_NUMBER"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Ticket escalated by Priyanka Raghunathan-Iyer to Dmitri Volkov.",
            ["Priyanka Raghunathan-Iyer", "Dmitri Volkov"],
        ),
        ("Please forward this to Siobhan O'Connor today.", ["Siobhan O'Connor"]),
        ("I spoke with Maria de la Cruz yesterday about the refund.", ["Maria de la Cruz"]),
        ("Our agent Lars van der Berg will follow up.", ["Lars van der Berg"]),
        ("Dr. Ngozi Okonkwo-Adeyemi reviewed the scan.", ["Ngozi Okonkwo-Adeyemi"]),
    ],
)
def test_names_without_cue_words_are_found_by_the_model(text: str, names: list[str]) -> None:
    assert [s.text for s in PII.detect(text, ("PERSON",))] == names


@pytest.mark.parametrize(
    "text",
    [
        "Jordan is a lovely country; I visited Florence in May.",
        "Email a.b+test@sub.example.co.uk for a copy.",
        "Contact Bank of America for details.",
        "Mark the ticket as resolved.",
    ],
)
def test_places_companies_and_sentence_starts_are_not_names(text: str) -> None:
    assert PII.detect(text, ("PERSON",)) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Send it to Flat 2, 14 Elm Grove, Leeds LS6 2AB by Friday.",
            "Flat 2, 14 Elm Grove, Leeds LS6 2AB",
        ),
        (
            "Deliver to 350 Fifth Avenue, Suite 3300, New York, NY 10118",
            "350 Fifth Avenue, Suite 3300, New York, NY 10118",
        ),
        ("Returns go to Hauptstraße 12, 10115 Berlin.", "Hauptstraße 12, 10115 Berlin"),
        ("The Paris shop is at 12 rue de la Paix, 75002 Paris.", "12 rue de la Paix, 75002 Paris"),
    ],
)
def test_an_address_runs_through_city_and_postcode(text: str, address: str) -> None:
    assert [s.text for s in PII.detect(text)] == [address]
