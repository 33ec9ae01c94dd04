"""`tandem docs ...` against a live server (fake models)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli.main import app
from tests.live_server import ADMIN_KEY, live_app, live_settings, serve
from tests.productivity.conftest import REPORT_MD, report_docx


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A live server's URL."""
    with serve(live_app(live_settings(tmp_path / "data"))) as url:
        yield url


def _run(server: str, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(
        app, ["docs", *args, "--server", server, "--api-key", ADMIN_KEY], input=stdin
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_docs_commands(server: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pptx import Presentation

    source = tmp_path / "report.docx"
    source.write_bytes(report_docx())
    assert "$48.2 million" in _run(server, "summarize", str(source))
    _run(server, "summarize", str(source), "-o", str(tmp_path / "s.docx"))
    assert (tmp_path / "s.docx").stat().st_size > 0
    _run(server, "slides", str(source), "-o", str(tmp_path / "deck.pptx"))
    titles = [s.shapes.title.text for s in Presentation(str(tmp_path / "deck.pptx")).slides]
    assert titles[1:] == ["Revenue", "Regions", "Outlook"]
    csv = tmp_path / "sales.csv"
    csv.write_text("region,amount\nNorth,10\nSouth,20\nNorth,5\n")
    assert "Total amount is 35" in _run(server, "insights", str(csv))
    _run(server, "insights", str(csv), "-o", str(tmp_path / "out.xlsx"))
    assert "Insights" in load_workbook(tmp_path / "out.xlsx").sheetnames
    out = _run(
        server,
        "formula",
        "total amount where region is North",
        "--headers",
        "region,amount",
        "--row",
        "North,10",
        "--row",
        "South,20",
    )
    assert '=SUMIF(A:A,"North",B:B)' in out
    assert "ok" in out
    assert "going to" in _run(server, "rewrite", "--tone", "formal", stdin="we're gonna win")
    notes = tmp_path / "notes.md"
    notes.write_text(REPORT_MD)
    _run(server, "draft", "A memo on revenue", str(notes), "-o", str(tmp_path / "memo.docx"))
    assert (tmp_path / "memo.docx").stat().st_size > 0


def test_errors_exit_1(server: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK broken")
    result = CliRunner().invoke(
        app, ["docs", "summarize", str(bad), "--server", server, "--api-key", ADMIN_KEY]
    )
    assert result.exit_code == 1
    assert "bad.docx" in result.output
