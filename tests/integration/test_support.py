"""The support assistant on the embedded models, driven through `tandem kb` and
`tandem support` as an operator would, and through the API as a customer would."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration
HELP_CENTRE = Path(__file__).resolve().parents[2] / "eval" / "support" / "kb"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tandem", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def test_ingest_answer_hand_off_and_work_the_queue(tandem_url: str) -> None:
    documents = len(list(HELP_CENTRE.iterdir()))
    first = cli("kb", "ingest", "Alder", str(HELP_CENTRE), "--create", "--server", tandem_url)
    assert first.returncode == 0, first.stderr
    assert f"{documents} added" in first.stdout
    again = cli("kb", "ingest", "Alder", str(HELP_CENTRE), "--server", tandem_url)
    assert f"{documents} unchanged" in again.stdout

    answer = cli(
        "support", "chat", "Alder", "how much is overnight shipping?", "--server", tandem_url
    )
    assert answer.returncode == 0, answer.stderr
    assert "$29.95" in answer.stdout
    assert "[1] shipping.md" in answer.stdout

    with httpx.Client(base_url=tandem_url, timeout=120) as client:
        kb = next(
            k["id"]
            for k in client.get("/v1/knowledge-bases").json()["data"]
            if k["name"] == "Alder"
        )
        ask = {
            "knowledge_base": kb,
            "messages": [{"role": "user", "content": "do you sell bicycles?"}],
        }
        unknown = client.post("/v1/support/chat", json=ask).json()
        assert unknown["handoff"] is True
        assert unknown["handoff_reason"] == "no_evidence"
        assert unknown["citations"] == []

    queue = cli("support", "tickets", "--kb", kb, "--server", tandem_url)
    ticket = re.search(r"tkt_[0-9a-f]+", queue.stdout)
    assert ticket is not None, queue.stdout
    assert "no_evidence" in queue.stdout
    replied = cli(
        "support",
        "reply",
        ticket.group(0),
        "We do not sell bikes, sorry.",
        "--agent",
        "sam",
        "--server",
        tandem_url,
    )
    assert replied.returncode == 0, replied.stderr
    shown = cli("support", "show", ticket.group(0), "--server", tandem_url)
    assert "sam: We do not sell bikes, sorry." in shown.stdout
    closed = cli("support", "close", ticket.group(0), "--server", tandem_url)
    assert "closed" in closed.stdout
    report = cli("support", "analytics", "Alder", "--server", tandem_url)
    assert "2 questions, 1 answered, 1 handed off (50%)" in report.stdout
    assert "do you sell bicycles?" in report.stdout

    snippet = cli(
        "support", "widget-key", "Alder", "https://shop.example.com", "--server", tandem_url
    )
    assert re.search(
        r'<script src=".*/widget.js" data-key="pk_[0-9a-f]+" async></script>', snippet.stdout
    )
    missing = cli("kb", "ingest", "Nope", str(HELP_CENTRE), "--server", tandem_url)
    assert missing.returncode == 1
    assert "no knowledge base named 'Nope'" in missing.stderr
