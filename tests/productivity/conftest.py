"""Productivity tests: the fake model behind the assistant, Office files made here, and
LibreOffice to prove the outputs open."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tandem.config import DeploymentConfig, Settings

REPORT_MD = """# Quarterly Operations Report

## Revenue

Revenue for the quarter reached $48.2 million, up 12.5% on last year. Operating profit was
$6.3 million, and the gross margin rose to 41.7%.

## Regions

The West region contributed $17.9 million. The Northeast grew fastest, at 21% year on year.

| Region | Revenue ($m) |
|---|---|
| West | 17.9 |
| Northeast | 12.1 |
| South | 9.4 |
| Midwest | 8.8 |

## Outlook

We expect Q4 revenue between $55 million and $58 million. 240 seasonal staff join by
15 November 2024.
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The assistant writes with the fake deployment."""
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        analyst_deployment="fake",
        embedding_deployment="fake-embed",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
    )


def report_docx() -> bytes:
    """The report as a Word document: Title, Heading 1s, a real table."""
    import docx

    document = docx.Document()
    document.add_heading("Quarterly Operations Report", level=0)
    document.add_heading("Revenue", level=1)
    document.add_paragraph(
        "Revenue for the quarter reached $48.2 million, up 12.5% on last year. Operating profit "
        "was $6.3 million, and the gross margin rose to 41.7%."
    )
    document.add_heading("Regions", level=1)
    document.add_paragraph(
        "The West region contributed $17.9 million. The Northeast grew fastest, at 21% year on "
        "year."
    )
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Region", "Revenue ($m)"
    for region, value in (("West", "17.9"), ("Northeast", "12.1"), ("South", "9.4")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = region, value
    document.add_heading("Outlook", level=1)
    document.add_paragraph("We expect Q4 revenue between $55 million and $58 million.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_pptx() -> bytes:
    """A small deck with a title slide and two content slides (one with notes)."""
    from pptx import Presentation

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = "Board Update"
    for title, lines in (
        ("Finance", ["Cash of $3.1 million", "Burn fell 18%"]),
        ("Hiring", ["14 engineers joined", "Attrition at 6%"]),
    ):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text_frame.text = lines[0]
        slide.placeholders[1].text_frame.add_paragraph().text = lines[1]
    deck.slides[1].notes_slide.notes_text_frame.text = "Runway is 22 months at the current burn."
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def soffice() -> str:
    """Debian's LibreOffice (the Makefile's test target installs it; CI runs these)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is needed: apt-get install libreoffice-writer libreoffice-impress"
    return found


def to_pdf(path: Path) -> Path:
    """`path` converted by LibreOffice headless; the PDF's path (fails if it would not open)."""
    profile = path.parent / "lo-profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(path.parent),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = path.with_suffix(".pdf")
    assert pdf.is_file(), f"LibreOffice made no PDF of {path.name}"
    assert pdf.stat().st_size > 1000
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
