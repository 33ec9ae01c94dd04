"""POST /v1/productivity/presentation: the deck opens in python-pptx and LibreOffice, titles are
the headings, notes carry the detail, tables of numbers become native charts."""

from __future__ import annotations

import io
from pathlib import Path

import httpx

from tests.productivity.conftest import REPORT_MD, pdf_pages, report_docx, to_pdf


def _deck(content: bytes):  # type: ignore[no-untyped-def]
    from pptx import Presentation

    return Presentation(io.BytesIO(content))


async def test_deck_from_docx(client: httpx.AsyncClient, tmp_path: Path) -> None:
    response = await client.post(
        "/v1/productivity/presentation", files={"file": ("report.docx", report_docx())}
    )
    assert response.status_code == 200, response.text
    assert "presentationml" in response.headers["content-type"]
    deck = _deck(response.content)
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles == ["Quarterly Operations Report", "Revenue", "Regions", "Outlook"]
    for slide in slides[1:]:
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text.strip()
    regions = slides[2]
    charts = [s for s in regions.shapes if s.has_chart]
    assert len(charts) == 1
    plot = charts[0].chart.plots[0]
    assert list(plot.categories) == ["West", "Northeast", "South"]
    assert list(plot.series[0].values) == [17.9, 12.1, 9.4]
    assert not any(s.has_chart for s in slides[1].shapes)
    body = " ".join(
        p.text
        for s in slides[1].placeholders
        if s.placeholder_format.idx == 1
        for p in s.text_frame.paragraphs
    )
    assert "$48.2 million" in body
    path = tmp_path / "deck.pptx"
    path.write_bytes(response.content)
    pages = pdf_pages(to_pdf(path))
    assert len(pages) == 4
    assert "Regions" in pages[2]


async def test_slide_limit_merges_sections(client: httpx.AsyncClient) -> None:
    text = "# Plan\n\n" + "\n\n".join(
        f"## Part {n}\n\nPart {n} costs ${n},000." for n in range(1, 9)
    )
    response = await client.post(
        "/v1/productivity/presentation", params={"format": "json"}, json={"text": text, "slides": 4}
    )
    assert response.status_code == 200, response.text
    slides = response.json()["slides"]
    assert len(slides) == 4
    assert slides[0]["kind"] == "title"
    covered = " ".join(s["title"] for s in slides)
    assert all(f"Part {n}" in covered for n in range(1, 9))  # merged, not dropped


async def test_markdown_table_chart_and_template(client: httpx.AsyncClient) -> None:
    from pptx import Presentation

    template = Presentation()
    template.slide_width = 12192000  # 16:9, to see it is the template's
    template.slides.add_slide(template.slide_layouts[0]).shapes.title.text = "Old slide"
    out = io.BytesIO()
    template.save(out)
    response = await client.post(
        "/v1/productivity/presentation",
        files={
            "file": ("report.md", REPORT_MD.encode()),
            "template": ("brand.pptx", out.getvalue()),
        },
        data={"slides": "10"},
    )
    assert response.status_code == 200, response.text
    deck = _deck(response.content)
    assert deck.slide_width == 12192000
    titles = [s.shapes.title.text for s in deck.slides]
    assert "Old slide" not in titles
    assert titles[0] == "Quarterly Operations Report"
    assert any(shape.has_chart for shape in deck.slides[2].shapes)


async def test_bad_template_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/productivity/presentation",
        files={"file": ("r.md", REPORT_MD.encode()), "template": ("t.pptx", b"not a zip")},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "template"


async def test_model_points_kept_only_with_the_figures(
    client: httpx.AsyncClient, platform: object
) -> None:
    import json

    from tests.conftest import fake_of
    from tests.fakes import Script

    good = {
        "slides": [
            {
                "bullets": [
                    "Revenue $48.2 million, up 12.5%",
                    "Operating profit $6.3 million, margin 41.7%",
                ]
            },
            {"bullets": ["West: $17.9 million", "Northeast fastest at 21%"]},
            {
                "bullets": [
                    "Q4: $55 million to $58 million",
                    "240 seasonal staff by 15 November 2024",
                ]
            },
        ]
    }
    bad = {
        "slides": [
            {"bullets": ["Revenue grew"]},
            {"bullets": ["West $99 million"]},
            {"bullets": ["Hiring", "Hiring"]},
        ]
    }
    fake = fake_of(platform)  # type: ignore[arg-type]
    fake.enqueue(Script(text=json.dumps(good)), Script(text=json.dumps(bad)))
    first = await client.post(
        "/v1/productivity/presentation", params={"format": "json"}, json={"text": REPORT_MD}
    )
    assert first.json()["method"] == "model"
    assert first.json()["slides"][2]["bullets"] == good["slides"][1]["bullets"]
    second = await client.post(
        "/v1/productivity/presentation", params={"format": "json"}, json={"text": REPORT_MD}
    )
    assert second.json()["method"] == "extractive"
