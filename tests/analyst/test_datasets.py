"""Datasets from real files: type inference, several tables, profiles, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tandem.apps.analyst.datasets import DatasetStore
from tandem.apps.analyst.loading import DatasetError
from tandem.errors import NotFoundError
from tandem.store.paths import tenant_folder

CSV = """order_id,order_date,region,revenue,discount,units
1,2024-01-05,North,"$1,234.50",5%,3
2,2024-01-06,South,"$980.00",10%,1
3,2024-02-11,North,"$12,000.75",0%,12
4,2024-03-02,East,($150.00),2.5%,1
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_types_are_inferred(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path / "datasets")
    dataset = store.create("acme", "sales", [("Orders 2024.csv", write(tmp_path, "o.csv", CSV))])
    table = dataset.tables[0]
    assert table.name == "orders_2024"
    types = {c.name: c.type for c in table.columns}
    assert types["order_date"] == "DATE"
    assert types["revenue"] == "DOUBLE"
    assert types["discount"] == "DOUBLE"
    assert types["units"] == "BIGINT"
    columns = {c.name: c for c in table.columns}
    assert columns["revenue"].max == 12000.75
    assert columns["revenue"].min == -150.0  # "(150.00)" is negative
    assert columns["discount"].max == pytest.approx(0.10)
    assert columns["region"].distinct == 3
    assert table.rows == 4
    assert len(table.sample) == 4


def test_several_files_become_several_tables(tmp_path: Path) -> None:
    people = write(tmp_path, "c.tsv", "id\tname\n1\tAda\n2\tGrace\n")
    events = write(tmp_path, "e.jsonl", '{"id": 1, "kind": "login"}\n{"id": 2, "kind": "buy"}\n')
    parquet = tmp_path / "p.parquet"
    duckdb.execute(f"COPY (SELECT 1 AS x, 'a' AS y) TO '{parquet}' (FORMAT parquet)")
    store = DatasetStore(tmp_path / "datasets")
    dataset = store.create(
        "acme",
        "",
        [("customers.tsv", people), ("events.jsonl", events), ("extra.parquet", parquet)],
    )
    assert dataset.table_names == {"customers", "events", "extra"}
    assert dataset.name == "customers.tsv"


def test_excel(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [
        ["month", "amount"],
        ["2024-01", "1,200"],
        ["2024-02", "1,350"],
        ["2024-03", "900"],
    ]:
        sheet.append(row)
    path = tmp_path / "budget.xlsx"
    book.save(path)
    dataset = DatasetStore(tmp_path / "datasets").create("acme", "b", [("budget.xlsx", path)])
    types = {c.name: c.type for c in dataset.tables[0].columns}
    assert types["amount"] == "DOUBLE"


def test_malformed_and_unsupported_files_are_clear_errors(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path / "datasets")
    with pytest.raises(DatasetError, match=r"report\.pdf: unsupported type"):
        store.create("acme", "x", [("report.pdf", write(tmp_path, "r.pdf", "%PDF"))])
    with pytest.raises(DatasetError, match=r"broken\.xlsx"):
        store.create("acme", "x", [("broken.xlsx", write(tmp_path, "b.xlsx", "not a zip"))])
    with pytest.raises(DatasetError, match=r"bad\.json: cannot be read"):
        store.create("acme", "x", [("bad.json", write(tmp_path, "b.json", "{not json"))])
    assert store.list("acme") == []  # nothing half-made is left behind


def test_tenants_see_only_their_datasets(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path / "datasets")
    mine = store.create("acme", "s", [("s.csv", write(tmp_path, "s.csv", CSV))])
    assert [d.id for d in store.list("acme")] == [mine.id]
    assert store.list("globex") == []
    with pytest.raises(NotFoundError):
        store.get("globex", mine.id)
    with pytest.raises(NotFoundError):
        store.get("acme", "../../etc")
    folder = tenant_folder(tmp_path / "datasets", "acme") / mine.id
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["tenant"] == "acme"
    store.delete("acme", mine.id)
    assert store.list("acme") == []
