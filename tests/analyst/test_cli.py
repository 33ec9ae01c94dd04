"""`tandem datasets add FILES --dictionary FILE` against a real server on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
from typer.testing import CliRunner

from tandem.cli.main import app
from tests.live_server import ADMIN_KEY, AUTH, live_app, live_settings, serve

DICTIONARY = """# Retail data dictionary

## orders
| column | meaning |
| --- | --- |
| order_id | Order number. |
| customer_id | Who ordered (-> customers.customer_id). |

## Definitions
- **Gross sales** (also "bookings") means quantity times list price, before
  any discount: `gross_sales = quantity * unit_price`
- **Big order** means an order of more than five units: `quantity > 5`
"""


def test_add_with_a_markdown_dictionary(tmp_path: Path, retail: list[Path]) -> None:
    dictionary = tmp_path / "retail.md"
    dictionary.write_text(DICTIONARY)
    runner = CliRunner()
    with serve(live_app(live_settings(tmp_path / "data"))) as url:
        added = runner.invoke(
            app,
            [
                "datasets",
                "add",
                *map(str, retail),
                "--name",
                "retail",
                "--dictionary",
                str(dictionary),
                "--server",
                url,
                "--api-key",
                ADMIN_KEY,
            ],
        )
        assert added.exit_code == 0, added.output
        assert "semantic model: dictionary" in added.output
        assert "gross sales" in added.output
        assert "big order" in added.output
        dataset = added.output.split("dataset ")[1].split()[0]
        model = httpx.get(f"{url}/v1/datasets/{dataset}/semantic-model", headers=AUTH).json()
    gross = next(m for m in model["measures"] if m["name"] == "gross sales")
    assert gross["synonyms"] == ["bookings"]
    assert "unit_price" in gross["expr"]


def test_add_with_a_bad_dictionary_is_refused(tmp_path: Path, retail: list[Path]) -> None:
    dictionary = tmp_path / "bad.yaml"
    dictionary.write_text(
        "tables:\n  - name: orders\n    measures:\n      - name: margin\n"
        "        expr: revenue - landed_cost\n"
    )
    runner = CliRunner()
    with serve(live_app(live_settings(tmp_path / "data"))) as url:
        refused = runner.invoke(
            app,
            [
                "datasets",
                "add",
                *map(str, retail),
                "--dictionary",
                str(dictionary),
                "--server",
                url,
                "--api-key",
                ADMIN_KEY,
            ],
        )
        assert refused.exit_code == 1
        assert "landed_cost" in refused.output
        assert httpx.get(f"{url}/v1/datasets", headers=AUTH).json()["data"] == []


def test_a_missing_dictionary_file_is_a_usage_error(tmp_path: Path, retail: list[Path]) -> None:
    missing = tmp_path / "nowhere.md"
    result = CliRunner().invoke(
        app, ["datasets", "add", str(retail[0]), "--dictionary", str(missing)]
    )
    assert result.exit_code == 2
    assert "nowhere.md" in result.output
