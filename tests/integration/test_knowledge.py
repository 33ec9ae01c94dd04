"""Hybrid retrieval with the real embedding model: paraphrased and misspelled questions."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.integration

DOCS = {
    "returns.md": "# Returns\n\nItems can be returned within 30 days of delivery for a refund.",
    "shipping.md": "# Shipping\n\nStandard delivery takes three to five business days.",
    "warranty.md": "# Warranty\n\nEvery laptop comes with a two-year manufacturer warranty.",
    "accounts.md": "# Accounts\n\nTo change your password, open Settings and choose Security.",
    "payments.md": "# Payments\n\nWe accept Visa, Mastercard and PayPal. Invoices go by email.",
}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how long do I have to send something back?", "returns.md"),
        ("when will my parcel arrive", "shipping.md"),
        ("is my notebook computer covered if it breaks", "warranty.md"),
        ("i forgot my pasword how do i reset it", "accounts.md"),
        ("can I pay with paypall", "payments.md"),
    ],
)
def test_paraphrased_and_misspelled_questions(
    tandem_url: str, question: str, expected: str
) -> None:
    with httpx.Client(base_url=tandem_url, timeout=60) as client:
        kb = client.post("/v1/knowledge-bases", json={"name": "help"}).json()["id"]
        files = [("files", (name, text.encode(), "text/markdown")) for name, text in DOCS.items()]
        assert client.post(f"/v1/knowledge-bases/{kb}/documents", files=files).status_code == 200
        hits = client.post(
            f"/v1/knowledge-bases/{kb}/search", json={"query": question, "top_k": 3}
        ).json()["data"]
        client.delete(f"/v1/knowledge-bases/{kb}")
    assert hits[0]["document"] == expected
