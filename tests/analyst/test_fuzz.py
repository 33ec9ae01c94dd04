"""Bounded fuzzing of the dataset parsers and the SQL sandbox's validator.

Whatever bytes arrive, an upload becomes a table or a 400 (DatasetError, an
InvalidRequestError); whatever text arrives, the validator returns a tree or a SandboxError.
Anything else is a 500 waiting to happen.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tandem.apps.analyst.datasets import DatasetStore
from tandem.apps.analyst.sandbox import SandboxError, validate
from tandem.errors import InvalidRequestError, PayloadTooLargeError

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TABLES = {"sales", "customers"}

_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


def _upload(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("0" + Path(name).suffix)
        path.write_bytes(data)
        store = DatasetStore(Path(tmp) / "datasets")
        try:
            dataset = store.create("fuzz", "", [(name, path)])
        except (InvalidRequestError, PayloadTooLargeError):
            return
        assert dataset.tables
        assert dataset.tables[0].rows > 0


@FAST
@given(st.lists(st.lists(_cells, min_size=1, max_size=5), min_size=1, max_size=8))
def test_csv_from_any_cells(rows: list[list[str]]) -> None:
    text = "\n".join(",".join(row) for row in rows)
    _upload("data.csv", text.encode())


@FAST
@given(st.binary(max_size=400))
def test_csv_from_any_bytes(data: bytes) -> None:
    _upload("data.csv", data)


@FAST
@given(st.binary(max_size=400))
def test_tsv_and_json_from_any_bytes(data: bytes) -> None:
    _upload("data.tsv", data)
    _upload("data.json", data)


def _workbook(rows: list[list[str | int | float | None]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_xlsx_cells = st.one_of(
    st.none(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(_xlsx_cells, min_size=1, max_size=4), min_size=1, max_size=6),
    st.integers(0, 2000),
    st.binary(min_size=1, max_size=8),
)
def test_xlsx_valid_and_mutated(
    rows: list[list[str | int | float | None]], at: int, noise: bytes
) -> None:
    data = _workbook(rows)
    _upload("book.xlsx", data)
    position = at % len(data)
    _upload("book.xlsx", data[:position] + noise + data[position + len(noise) :])
    _upload("book.xlsx", data[:position])


_sql_words = st.sampled_from(
    [
        "SELECT",
        "FROM",
        "WHERE",
        "sales",
        "customers",
        "id",
        "(",
        ")",
        ",",
        "*",
        "1",
        "'x'",
        "read_csv('/etc/passwd')",
        "range(10)",
        "UNION",
        "JOIN",
        "ON",
        "=",
        "COPY",
        "TO",
        "ATTACH",
        ";",
        "--",
        '"',
        "'",
        "WITH",
        "AS",
        "count(*)",
        "sum(id)",
        "GROUP BY",
        "LIMIT",
        "repeat('a', 5)",
        "RECURSIVE",
        "PRAGMA",
        "SET",
        "getenv('HOME')",
        "t",
        "x",
        "INSTALL",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_sql_words, max_size=14).map(" ".join), st.text(max_size=80)))
def test_validator_returns_a_tree_or_refuses(sql: str) -> None:
    try:
        tree = validate(sql, TABLES)
    except SandboxError:
        return
    # What passes is one SELECT-shaped statement over the dataset's tables only.
    assert isinstance(tree, sqlglot.exp.Query)
    for table in tree.find_all(sqlglot.exp.Table):
        assert table.name.lower() in TABLES or table.name.lower() in {
            c.alias_or_name.lower() for c in tree.find_all(sqlglot.exp.CTE)
        }
