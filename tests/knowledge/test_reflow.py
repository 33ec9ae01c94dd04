"""Re-flowing hard-wrapped documents, keeping lists and tables whole, sentence splitting,
HTML boilerplate, and the vocabulary that reads customers' short forms."""

from __future__ import annotations

from tandem.knowledge.chunking import chunk
from tandem.knowledge.extract import extract
from tandem.knowledge.text import blocks, reflow, split_sentences
from tandem.knowledge.vocabulary import Vocabulary, short_forms

WRAPPED = """# Service credits

If monthly uptime falls below 99.9%, Team and Enterprise customers
can receive a service credit:

- 10% of the monthly fee when uptime is below 99.9% but at least
  99.0%
- 25% when it is below 99.0%

| Plan | Price | Seats |
|------|------:|-------|
| Team | $12   | 5-50  |

REFUND POLICY

Refunds are paid within 14
days. Add-ons are non-
refundable after 30 days.
"""


def test_wrapped_lines_become_paragraphs_and_items() -> None:
    text = reflow(WRAPPED)
    assert "customers can receive a service credit:" in text
    assert "- 10% of the monthly fee when uptime is below 99.9% but at least 99.0%" in text
    assert "Refunds are paid within 14 days." in text
    assert "non-refundable" in text  # a word broken at a hyphen is joined
    assert "## Refund policy" in text  # an upper-case title of a plain-text article


def test_tables_render_rows_that_read_alone() -> None:
    rows = [b.text for b in blocks(WRAPPED) if b.kind == "row"]
    assert rows == ["Plan: Team; Price: $12; Seats: 5-50"]


def test_lists_stay_with_their_lead_in_and_headings_go_with_chunks() -> None:
    chunks = chunk(WRAPPED)
    first = chunks[0]
    assert first.section == "Service credits"
    assert "service credit:\n- 10% of the monthly fee" in first.text
    assert "\n- 25% when it is below 99.0%" in first.text
    assert chunks[-1].section.endswith("Refund policy")


def test_sentences_split_where_sentences_end() -> None:
    assert split_sentences(
        "Open 9 a.m. to 5 p.m. Monday to Friday. Refunds take 5 days, e.g. to a card. "
        "Fees are $1.50 each. Call J. Smith!"
    ) == [
        "Open 9 a.m. to 5 p.m. Monday to Friday.",
        "Refunds take 5 days, e.g. to a card.",
        "Fees are $1.50 each.",
        "Call J. Smith!",
    ]


def test_html_article_without_site_furniture_and_with_tables() -> None:
    page = b"""<html><body><div class="cookie-banner">We use cookies.</div>
    <header class="site-header"><a href="/">Home</a></header><nav>Menu</nav>
    <ol class="breadcrumb"><li>Help</li><li>Fees</li></ol>
    <main><h1>Fees</h1><div class="note">Transfers abroad cost <b>3%</b>.</div>
    <table><tr><th>Service</th><th>Fee</th></tr>
    <tr><td>ATM abroad</td><td>$3 &gt; per use</td></tr></table></main>
    <aside class="sidebar">Popular articles</aside><footer>(c)</footer></body></html>"""
    text = extract("fees.html", page)
    assert "cookies" not in text
    assert "Menu" not in text
    assert "Popular" not in text
    assert "Help" not in text
    assert "(c)" not in text
    assert "Transfers abroad cost 3%." in text
    assert "Service: ATM abroad; Fee: $3 > per use" in chunk(text)[0].text


def test_short_forms_are_learned_from_the_documents() -> None:
    assert short_forms("American Express")["amex"] == "american express"
    assert short_forms("Priority Services Register")["psr"] == "priority services register"
    assert short_forms("Mastercard and American Express")["ae"] == "american express"
    vocabulary = Vocabulary.build(
        [
            "We accept Visa, Mastercard and American Express.",
            "Our Service Level Agreement (SLA) promises 99.9% uptime for refunds.",
        ]
    )
    assert vocabulary.expand("do u take amex") == "do u take amex (you; american express)"
    assert "service level agreement" in vocabulary.expand("whats the sla")
    assert "refunds" in vocabulary.expand("how do refnds work")  # spelling tolerance
    assert vocabulary.expand("uptime") == "uptime"  # known words are left alone
