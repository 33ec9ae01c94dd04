"""Extraction, structure-aware chunking, and the knowledge-base API on fake embeddings."""

from __future__ import annotations

import io

import httpx
import pytest

from tandem.knowledge.chunking import MAX_CHARS, chunk
from tandem.knowledge.extract import ExtractionError, extract

MARKDOWN = """# Returns

## Refund window
You can return any item within 30 days of delivery for a full refund.

## Damaged items
If an item arrives damaged, send a photo within 7 days and we ship a replacement for free.

# Shipping
Standard shipping takes 3-5 business days. Express shipping takes 1-2 business days.
"""


def test_chunks_follow_headings() -> None:
    chunks = chunk(MARKDOWN)
    sections = [c.section for c in chunks]
    assert sections == ["Returns > Refund window", "Returns > Damaged items", "Shipping"]
    assert "30 days" in chunks[0].text
    assert [c.position for c in chunks] == [0, 1, 2]


def test_long_sections_split_with_overlap() -> None:
    sentences = " ".join(f"Sentence number {i} says something useful." for i in range(120))
    chunks = chunk(f"# Long\n\n{sentences}")
    assert len(chunks) > 3
    assert all(len(c.text) <= MAX_CHARS + 200 for c in chunks)
    tail = chunks[0].text[-60:].split(". ")[-1]
    assert tail.split()[0] in chunks[1].text  # neighbours overlap


def test_extraction_of_each_type() -> None:
    html = b"<html><body><h1>Help</h1><p>Call us at noon.</p><script>x()</script></body></html>"
    assert extract("a.html", html) == "# Help\n\nCall us at noon."
    assert (
        extract("a.csv", b"plan,price\nBasic,10\nPro,25\n")
        == "plan: Basic; price: 10\n\nplan: Pro; price: 25"
    )
    import docx

    document = docx.Document()
    document.add_heading("Warranty", level=1)
    document.add_paragraph("Two years on all laptops.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract("w.docx", buffer.getvalue()) == "# Warranty\n\nTwo years on all laptops."
    with pytest.raises(ExtractionError, match=r"x\.pdf: cannot be read"):
        extract("x.pdf", b"not a pdf")
    with pytest.raises(ExtractionError, match="unsupported type"):
        extract("x.exe", b"MZ")


async def test_knowledge_base_round_trip(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/knowledge-bases", json={"name": "Help center"})
    assert created.status_code == 201
    kb = created.json()["id"]
    files = [
        ("files", ("policy.md", MARKDOWN.encode(), "text/markdown")),
        ("files", ("broken.pdf", b"%PDF-nonsense", "application/pdf")),
        (
            "files",
            ("faq.txt", b"Gift cards never expire.\n\nWe do not ship to PO boxes.", "text/plain"),
        ),
    ]
    ingested = (await client.post(f"/v1/knowledge-bases/{kb}/documents", files=files)).json()[
        "data"
    ]
    assert [(r["name"], r["status"]) for r in ingested] == [
        ("policy.md", "added"),
        ("broken.pdf", "failed"),
        ("faq.txt", "added"),
    ]
    assert "broken.pdf" in ingested[1]["error"]
    again = (await client.post(f"/v1/knowledge-bases/{kb}/documents", files=files[:1])).json()
    assert again["data"][0]["status"] == "unchanged"
    changed = [
        ("files", ("policy.md", MARKDOWN.replace("30 days", "45 days").encode(), "text/markdown"))
    ]
    replaced = (await client.post(f"/v1/knowledge-bases/{kb}/documents", files=changed)).json()
    assert replaced["data"][0]["status"] == "replaced"
    hits = (
        await client.post(f"/v1/knowledge-bases/{kb}/search", json={"query": "refund window days"})
    ).json()["data"]
    assert hits[0]["document"] == "policy.md"
    assert "45 days" in hits[0]["chunk"]
    assert hits[0]["title"] == "Returns > Refund window"
    listing = (await client.get(f"/v1/knowledge-bases/{kb}")).json()
    assert sorted(d["name"] for d in listing["documents"]) == ["faq.txt", "policy.md"]
    gone = await client.delete(
        f"/v1/knowledge-bases/{kb}/documents/{listing['documents'][0]['id']}"
    )
    assert gone.json()["deleted"] is True
    assert (await client.delete(f"/v1/knowledge-bases/{kb}")).json()["deleted"] is True
    assert (await client.get(f"/v1/knowledge-bases/{kb}")).status_code == 404
