"""POST /v1/productivity/summarize: JSON and .docx out, figures kept, every input format."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script
from tests.productivity.conftest import REPORT_MD, pdf_pages, report_docx, report_pptx, to_pdf

FIGURES = ["$48.2 million", "12.5%", "$6.3 million", "$17.9 million", "21%"]


def _text(body: dict[str, object]) -> str:
    parts = [str(body["summary"]), *body["key_points"]]  # type: ignore[misc]
    return " ".join(" ".join(parts).split())


async def test_text_summary_keeps_figures_and_sections(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/productivity/summarize", json={"text": REPORT_MD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "extractive"  # the fake model answers 'hello', not JSON
    assert body["title"] == "Quarterly Operations Report"
    assert [s["heading"] for s in body["sections"]] == ["Revenue", "Regions", "Outlook"]
    text = _text(body)
    for figure in FIGURES:
        assert figure in text
    assert "x-tandem-timings" in response.headers


async def test_model_summary_used_when_it_keeps_the_figures(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    import json

    written = {
        "summary": "Revenue reached $48.2 million (up 12.5%), with operating profit of $6.3 "
        "million; the West contributed $17.9 million and the Northeast grew 21%.",
        "key_points": [
            "Gross margin rose to 41.7%",
            "Q4 revenue expected at $55 million to $58 million",
        ],
    }
    fake_of(platform).enqueue(Script(text=json.dumps(written)))
    response = await client.post("/v1/productivity/summarize", json={"text": REPORT_MD})
    body = response.json()
    assert body["method"] == "model"
    assert body["summary"] == written["summary"]
    operation, request = fake_of(platform).history[-1]
    assert operation == "chat"
    assert request.response_format.type == "json_schema"


async def test_model_summary_with_a_made_up_figure_falls_back(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    import json

    invented = {"summary": "Revenue reached $99.9 million, up 80%.", "key_points": ["Up 80%"]}
    fake_of(platform).enqueue(Script(text=json.dumps(invented)))
    body = (await client.post("/v1/productivity/summarize", json={"text": REPORT_MD})).json()
    assert body["method"] == "extractive"
    assert "$99.9" not in _text(body)


@pytest.mark.parametrize("kind", ["docx", "pptx", "md", "html", "txt"])
async def test_every_input_format(client: httpx.AsyncClient, kind: str) -> None:
    data = {
        "docx": report_docx(),
        "pptx": report_pptx(),
        "md": REPORT_MD.encode(),
        "html": b"<h1>Report</h1><h2>Revenue</h2><p>Revenue reached $48.2 million.</p>",
        "txt": b"Report\n\nRevenue\nRevenue reached $48.2 million, up 12.5%.\n",
    }[kind]
    files = {"file": (f"report.{kind}", data)}
    response = await client.post(
        "/v1/productivity/summarize", files=files, data={"length": "short"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    if kind == "pptx":
        assert body["title"] == "Board Update"
        assert [s["heading"] for s in body["sections"]] == ["Finance", "Hiring"]
        assert "$3.1 million" in _text(body) or "$3.1 million" in str(body["sections"])
    else:
        assert "$48.2 million" in _text(body)


async def test_pdf_input(client: httpx.AsyncClient, tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(report_docx())
    pdf = to_pdf(source).read_bytes()
    response = await client.post("/v1/productivity/summarize", files={"file": ("r.pdf", pdf)})
    assert response.status_code == 200, response.text
    assert "$48.2 million" in _text(response.json())


async def test_docx_out_opens_and_converts(client: httpx.AsyncClient, tmp_path: Path) -> None:
    import docx

    response = await client.post(
        "/v1/productivity/summarize",
        params={"format": "docx"},
        files={"file": ("report.docx", report_docx())},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Summary", "Key points"]
    assert {"Revenue", "Regions", "Outlook"} <= set(headings)
    assert document.paragraphs[0].style.name == "Title"
    text = " ".join(p.text for p in document.paragraphs)
    assert "$48.2 million" in text
    assert "12.5%" in text
    path = tmp_path / "summary.docx"
    path.write_bytes(response.content)
    pages = pdf_pages(to_pdf(path))
    assert "$48.2 million" in " ".join(pages)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        ("scan.exe", b"MZ...", "unsupported type"),
        ("empty.md", b"   ", "empty"),
    ],
)
async def test_bad_files_are_400s_naming_them(
    client: httpx.AsyncClient, name: str, data: bytes, message: str
) -> None:
    response = await client.post("/v1/productivity/summarize", files={"file": (name, data)})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert message in error["message"]
    assert error["param"] == "file"


async def test_password_protected_pdf(client: httpx.AsyncClient) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    response = await client.post(
        "/v1/productivity/summarize", files={"file": ("locked.pdf", out.getvalue())}
    )
    assert response.status_code == 400
    assert "locked.pdf: the PDF is password-protected" in response.json()["error"]["message"]


async def test_unknown_field_and_bad_length(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/productivity/summarize", json={"text": "x", "size": 3})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "size"
    response = await client.post(
        "/v1/productivity/summarize",
        files={"file": ("a.md", b"# A\n\nText here.")},
        data={"length": "huge"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "length"


async def test_control_characters_and_odd_names(client: httpx.AsyncClient) -> None:
    import docx

    text = "# R\u00e9sum\u00e9 \x1b\x0b\n\nRevenue \x07rose 12% to $4.5 million.\ufffe"
    response = await client.post(
        "/v1/productivity/summarize",
        params={"format": "docx"},
        json={"text": text, "method": "model"},
    )
    assert response.status_code == 200, response.text
    assert "12%" in " ".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    response = await client.post(
        "/v1/productivity/presentation", files={"file": ('d\u00e9j\u00e0 "vu".md', text.encode())}
    )
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.isascii()
    assert disposition.startswith('attachment; filename="d_j_')
    assert disposition.count('"') == 2


async def test_blocked_prompt_floor_in_auto_400_in_model(client: httpx.AsyncClient) -> None:
    text = "# Threat log\n\nThe caller said: I will kill you and burn your house down tonight."
    auto = await client.post("/v1/productivity/summarize", json={"text": text})
    assert auto.status_code == 200, auto.text
    assert auto.json()["method"] == "extractive"
    assert auto.headers["x-tandem-model-skipped"] == "content_filter"
    model = await client.post("/v1/productivity/summarize", json={"text": text, "method": "model"})
    assert model.status_code == 400
    assert model.json()["error"]["code"] == "content_filter"
