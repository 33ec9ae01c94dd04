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


@pytest.mark.parametrize(
    "text",
    [
        "Please upgrade to version 10.2.0.1 before Friday.",
        "The fix ships in build 4.0.1.22 tomorrow.",
        "Release 2.1.0.3 broke the export.",
        "We are on v1.2.3.4 of the agent.",
        "The package 1.2.3.4.5 is pinned.",
        "Versions 1.2.3.4 and 1.2.3.5 are affected.",
        "Try 4.1.0.2-rc1 first.",
    ],
)
def test_version_numbers_are_not_ip_addresses(text: str) -> None:
    assert PII.detect(text, ("IP_ADDRESS",)) == []


def test_an_ip_address_in_prose_is_still_found() -> None:
    spans = PII.detect("Connect from 10.0.0.12 to the gateway.", ("IP_ADDRESS",))
    assert [s.text for s in spans] == ["10.0.0.12"]


@pytest.mark.parametrize(
    "phone",
    [
        "+14155550132",
        "+49 30 1234567",
        "+44 (0)20 7946 0958",
        "0049 30 1234567",
        "030 12345678",
        "06 12 34 56 78",
        "(02) 9876 5432",
        "1-800-555-0199",
        "415.555.0132",
        "+81 3-1234-5678",
    ],
)
def test_phone_numbers_in_international_and_national_formats(phone: str) -> None:
    spans = PII.detect(f"You can call {phone} today.", ("PHONE_NUMBER",))
    assert [s.text for s in spans] == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Order 1234567890 shipped on 2024-03-15.",
        "Order #123-456-7890 was cancelled.",
        "Meeting on 15.03.2024 at 10:30.",
        "Invoice 2024-0315-778 total $1,234.56",
        "It costs 1 299,00 EUR.",
        "Ref 2024 1234 5678 was closed.",
        "My account id is 8839201.",
    ],
)
def test_ids_dates_and_prices_are_not_phone_numbers(text: str) -> None:
    assert PII.detect(text) == []


@pytest.mark.parametrize(
    "card", ["4111.1111.1111.1111", "2223 0031 2200 3222", "3782 822463 10005", "4111111111111111"]
)
def test_card_numbers_in_any_grouping(card: str) -> None:
    assert [s.text for s in PII.detect(f"my card is {card}", ("CREDIT_CARD",))] == [card]


def test_an_order_number_that_passes_luhn_is_not_a_card() -> None:
    assert PII.detect("Order #4111111111111111 is delayed.") == []


def test_a_weak_ssn_pattern_counts_after_its_context_word() -> None:
    assert [s.text for s in PII.detect("ssn: 536221234", ("US_SSN",))] == ["536221234"]
    assert PII.detect("We shipped 536221234 units.", ("US_SSN",)) == []


@pytest.mark.parametrize(
    "email", ["jane at example dot com", "jane[at]example[dot]com", "jane (at) example (dot) com"]
)
def test_spelt_out_email_addresses(email: str) -> None:
    assert [s.text for s in PII.detect(f"mail {email} please", ("EMAIL_ADDRESS",))] == [email]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Office: Unit 5, 33 Queen St W, Toronto, ON M5H 2N2",
            "Unit 5, 33 Queen St W, Toronto, ON M5H 2N2",
        ),
        (
            "My address is 1200 N Elm Street Apt 4B, Dallas, TX 75201",
            "1200 N Elm Street Apt 4B, Dallas, TX 75201",
        ),
        ("Deliver to 221B Baker Street, London NW1 6XE.", "221B Baker Street, London NW1 6XE"),
        ("Address: 15 Wellington Street, Sydney NSW 2000", "15 Wellington Street, Sydney NSW 2000"),
        ("Ship to 12, MG Road, Bengaluru 560001.", "12, MG Road, Bengaluru 560001"),
        ("Send to Calle Mayor 5, 28013 Madrid.", "Calle Mayor 5, 28013 Madrid"),
        ("Our office is Via Roma 10, 00184 Roma.", "Via Roma 10, 00184 Roma"),
        ("Ship to Rua Augusta 100, 1100-053 Lisboa please.", "Rua Augusta 100, 1100-053 Lisboa"),
        ("45 Boulevard Haussmann, 75009 Paris", "45 Boulevard Haussmann, 75009 Paris"),
        ("Keizersgracht 123, 1015 CJ Amsterdam is it.", "Keizersgracht 123, 1015 CJ Amsterdam"),
        ("Kungsgatan 12, 111 43 Stockholm", "Kungsgatan 12, 111 43 Stockholm"),
        ("ul. Marszałkowska 10, 00-950 Warszawa", "ul. Marszałkowska 10, 00-950 Warszawa"),
        (
            "Ship to Berliner Straße 7, 10115 Berlin, Germany",
            "Berliner Straße 7, 10115 Berlin, Germany",
        ),
        (
            "Address: 10 Rue du Faubourg, Montréal, QC H2X 1Y4",
            "10 Rue du Faubourg, Montréal, QC H2X 1Y4",
        ),
        ("Send it to PO Box 1234, Springfield, IL 62704", "PO Box 1234, Springfield, IL 62704"),
        ("ship to 12 main st, springfield", "12 main st, springfield"),
    ],
)
def test_address_lines_of_several_countries(text: str, address: str) -> None:
    assert [s.text for s in PII.detect(text)] == [address]


@pytest.mark.parametrize(
    "text",
    [
        "We have 3 Data Center locations.",
        "The Spring 2024 release and Offering 3 are out.",
        "sent via DHL 3 times",
        "we shipped 12 main units, and more",
        "Meet me at Platform 9 at 10:30.",
    ],
)
def test_numbered_phrases_that_are_not_addresses(text: str) -> None:
    assert PII.detect(text, ("STREET_ADDRESS",)) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("my name is john smith and my order is late", ["john smith"]),
        ("HI, THIS IS JOHN SMITH, CALL ME BACK", ["JOHN SMITH"]),
        ("Hi maria, thanks for the update.", ["maria"]),
        ("Thanks,\nmaria lopez", ["maria lopez"]),
        ("i spoke to david yesterday about it", ["david"]),
        ("Dear Sarah,\nyour parcel is on its way.", ["Sarah"]),
        ("Thanks! - Tom", ["Tom"]),
        ("Can you speak with Mehmet Yilmaz tomorrow?", ["Mehmet Yilmaz"]),
        ("Customer Ahmed Hassan called twice.", ["Ahmed Hassan"]),
        ("Thank you Alejandro for your help!", ["Alejandro"]),
        ("Mijn naam is Daan de Vries.", ["Daan de Vries"]),
    ],
)
def test_names_in_any_case_and_after_greetings(text: str, names: list[str]) -> None:
    assert [s.text for s in PII.detect(text, ("PERSON",))] == names


@pytest.mark.parametrize(
    "text",
    [
        "please mark the ticket as resolved",
        "THE PACKAGE ARRIVED DAMAGED, PLEASE HELP",
        "Jennifer said the parcel was damaged.",
        "Dear Mr. Patel, thanks for your patience.",
        "Please ask Kenji to call.",
        "Ping me, thx - Marco",
    ],
)
def test_case_normalisation_and_cues_add_no_false_names(text: str) -> None:
    found = [s.text for s in PII.detect(text, ("PERSON",))]
    assert all(w in {"Jennifer", "Patel", "Kenji", "Marco"} for w in found)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Can you tell sarah I said hi?", ["sarah"]),
        ("I spoke to priya yesterday and she said it was fine.", ["priya"]),
        ("My manager is carlos and he approved it.", ["carlos"]),
        ("Hi, I'm emma and my parcel is missing.", ["emma"]),
        ("Sehr geehrter Herr Müller, danke für Ihre Nachricht.", ["Müller"]),
        ("Bonjour Mme Dubois, votre colis est arrivé.", ["Dubois"]),
        ("Estimado Sr. García, su pedido está listo.", ["García"]),
        ("Mr. O'Neill is waiting.", ["O'Neill"]),
    ],
)
def test_lower_case_names_in_cased_text_and_foreign_titles(text: str, names: list[str]) -> None:
    assert [s.text for s in PII.detect(text, ("PERSON",))] == names


@pytest.mark.parametrize(
    "text",
    [
        "I paid the bill yesterday.",
        "The rose bushes arrived dead.",
        "We hope to hear back soon, I need the grant money.",
        "Please mark it done. I will chase the courier.",
    ],
)
def test_common_nouns_that_are_also_first_names_stay_words(text: str) -> None:
    assert PII.detect(text, ("PERSON",)) == []


def test_device_and_book_numbers_that_pass_luhn_are_not_cards() -> None:
    assert PII.detect("IMEI 490154203237518 is blacklisted.") == []


def test_a_city_and_zip_without_a_state_close_the_address() -> None:
    text = "Deliver to 350 Fifth Avenue, New York 10118 today."
    assert [s.text for s in PII.detect(text)] == ["350 Fifth Avenue, New York 10118"]


def test_a_key_before_an_email_address_is_not_part_of_it() -> None:
    spans = PII.detect("login with email=jane@example.com today", ("EMAIL_ADDRESS",))
    assert [s.text for s in spans] == ["jane@example.com"]


def test_an_ssn_shaped_part_number_is_not_an_ssn() -> None:
    assert PII.detect("part no. 536-22-1234 is back") == []


def test_a_local_number_counts_after_a_phone_cue_only() -> None:
    assert [s.text for s in PII.detect("My number is 555-0132.")] == ["555-0132"]
    assert PII.detect("The score was 555-0132 points") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Thanks, Jordan!", ["Jordan"]),
        ("Hi Georgia, your parcel shipped.", ["Georgia"]),
        ("Jordan is a lovely country; I visited Florence in May.", []),
        ("Thanks to Amazon for the fast delivery.", []),
    ],
)
def test_a_first_name_read_as_a_place_is_a_person_when_greeted(text: str, names: list[str]) -> None:
    assert [s.text for s in PII.detect(text, ("PERSON",))] == names
