"""`tandem datasets add` and `tandem ask` against a running server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval"))
from analyst.generate import generate

pytestmark = pytest.mark.integration


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tandem", *args], capture_output=True, text=True, timeout=120
    )


def test_add_a_dataset_and_ask_it(tandem_url: str, tmp_path: Path) -> None:
    generate(tmp_path)
    files = [str(p) for p in sorted(tmp_path.glob("*.csv"))]
    added = cli("datasets", "add", *files, "--name", "retail", "--server", tandem_url)
    assert added.returncode == 0, added.stderr
    dataset = added.stdout.split("dataset ")[1].split()[0]
    assert dataset.startswith("ds_")
    assert "orders (3000 rows)" in added.stdout
    chart = tmp_path / "chart.png"
    answered = cli(
        "ask",
        dataset,
        "top 3 products by revenue in 2024",
        "--chart",
        str(chart),
        "--server",
        tandem_url,
    )
    assert answered.returncode == 0, answered.stderr
    assert "product_name" in answered.stdout
    assert "3 of 3 rows" in answered.stdout
    assert chart.read_bytes().startswith(b"\x89PNG")
    asked_back = cli("ask", dataset, "zzz qqq", "--server", tandem_url)
    assert asked_back.returncode == 2, asked_back.stdout  # a clarifying question, no answer
    assert "could not match 'zzz qqq'" in asked_back.stdout
    assert "product_name" not in asked_back.stdout
