"""Rewrite (rule-based tones, the model's wording only when it keeps the facts) and draft."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script
from tests.productivity.conftest import REPORT_MD, report_docx, to_pdf

CASUAL = "hey guys, we're gonna ship the update ASAP!! it's basically done and costs $4,500. thanks"


async def test_formal_rewrite_by_rules(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/productivity/rewrite", json={"text": CASUAL, "tone": "formal"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "rules"
    text = body["text"]
    assert "going to" in text
    assert "we are" in text
    assert "as soon as possible" in text
    assert "!" not in text
    assert "gonna" not in text
    assert "$4,500" in text


async def test_model_rewrite_kept_only_with_the_figures(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    good = "Hello everyone. We will ship the update shortly; it is complete and costs $4,500."
    fake_of(platform).enqueue(Script(text=json.dumps({"text": good})))
    body = (await client.post("/v1/productivity/rewrite", json={"text": CASUAL})).json()
    assert body == {**body, "method": "model", "text": good}
    fake_of(platform).enqueue(Script(text=json.dumps({"text": "We will ship it for $5,000."})))
    body = (await client.post("/v1/productivity/rewrite", json={"text": CASUAL})).json()
    assert body["method"] == "rules"
    assert "$4,500" in body["text"]


async def test_shorter_keeps_the_figures(client: httpx.AsyncClient) -> None:
    text = (
        "The meeting ran long. Revenue rose 12% to $4.5 million in Q3. The room was cold. "
        "We will hire 20 people by 1 May 2025. Lunch was served at noon."
    )
    body = (
        await client.post("/v1/productivity/rewrite", json={"text": text, "length": "shorter"})
    ).json()
    assert len(body["text"]) < len(text)
    assert "$4.5 million" in body["text"]
    assert "1 May 2025" in body["text"]


async def test_draft_from_reference_files(client: httpx.AsyncClient, tmp_path: Path) -> None:
    import docx

    response = await client.post(
        "/v1/productivity/draft",
        data={"instructions": "Write a briefing note on regional revenue for the board."},
        files=[
            ("files", ("report.docx", report_docx())),
            ("files", ("notes.md", REPORT_MD.encode())),
        ],
    )
    assert response.status_code == 200, response.text
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "Briefing note on regional revenue for the board"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Purpose"
    assert "Regions" in headings
    assert headings[-1] == "Sources"
    text = " ".join(p.text for p in document.paragraphs)
    assert "$17.9 million" in text
    assert "report.docx" in text
    path = tmp_path / "draft.docx"
    path.write_bytes(response.content)
    to_pdf(path)


async def test_draft_from_file_ids(client: httpx.AsyncClient, platform: Platform) -> None:
    if getattr(platform, "hosted", None) is None:  # the Files API is not in this build
        response = await client.post(
            "/v1/productivity/draft", json={"instructions": "A memo", "file_ids": ["file-x"]}
        )
        assert response.status_code == 400
        assert response.json()["error"]["param"] == "file_ids"
        return
    uploaded = await client.post(
        "/v1/files",
        data={"purpose": "user_data"},
        files={"file": ("report.md", REPORT_MD.encode())},
    )
    assert uploaded.status_code == 200, uploaded.text
    file_id = uploaded.json()["id"]
    response = await client.post(
        "/v1/productivity/draft",
        params={"format": "json"},
        json={"instructions": "A memo on revenue", "file_ids": [file_id]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sources"] == ["report.md: Quarterly Operations Report"]
    assert "$48.2 million" in json.dumps(body)
    missing = await client.post(
        "/v1/productivity/draft", json={"instructions": "A memo", "file_ids": ["file-nope"]}
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["param"] == "file_ids"
