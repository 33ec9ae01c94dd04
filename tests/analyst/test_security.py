"""Regression tests for the dataset-upload and sandbox defects a security probe found."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook

from tandem.apps.analyst.datasets import DatasetStore
from tandem.apps.analyst.loading import DatasetError
from tandem.apps.analyst.sandbox import (
    MAX_CELL_CHARS,
    SandboxError,
    SandboxLimits,
    SandboxPool,
    run,
    validate,
)

SECRET = "tandem-secret-file-content"


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    return write(tmp_path, "secret.txt", SECRET)


def test_defect_1_header_cannot_read_files_through_profiling(
    tmp_path: Path, secret_file: Path
) -> None:
    header = (
        f"\"a\"\"), 0, (SELECT string_agg(content, '') FROM read_text('{secret_file}')), 0 "
        f'FROM ""t"" --"'
    )
    upload = write(tmp_path, "u.csv", f"{header},b\n1,2\n3,4\n")
    store = DatasetStore(tmp_path / "datasets")
    dataset = store.create("acme", "", [("evil.csv", upload)])
    profile = dataset.to_json()
    assert SECRET not in str(profile)
    names = [c.name for c in dataset.tables[0].columns]
    assert names[0].startswith('a"), 0, (SELECT')  # the header survives as a plain name
    assert dataset.tables[0].rows == 2


def test_defect_1_header_cannot_write_files(tmp_path: Path) -> None:
    target = tmp_path / "written.csv"
    header = f'"x""; COPY (SELECT 42) TO \'{target}\'; --"'
    upload = write(tmp_path, "u.csv", f"{header},b\n1,2\n3,4\n")
    DatasetStore(tmp_path / "datasets").create("acme", "", [("evil.csv", upload)])
    assert not target.exists()


def test_defect_1_loading_connection_reads_only_the_upload(
    tmp_path: Path, secret_file: Path
) -> None:
    # A JSON upload can name no other file: DuckDB itself refuses what is not the upload.
    from tandem.apps.analyst.datasets import LOAD_LIMITS
    from tandem.apps.analyst.sandbox import loading_connection

    upload = write(tmp_path, "u.csv", "a\n1\n")
    connection = loading_connection(tmp_path / "x.duckdb", LOAD_LIMITS, [str(upload)])
    try:
        assert connection.execute("SELECT count(*) FROM read_csv(?)", [str(upload)]).fetchone()
        for sql in (
            f"SELECT * FROM read_text('{secret_file}')",
            f"SELECT * FROM read_blob('{secret_file}')",
            f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
            "SET enable_external_access = true",
            "SET allowed_paths = ['/']",
        ):
            with pytest.raises(Exception, match=r"(?i)permission|locked|disabled"):
                connection.execute(sql)
    finally:
        connection.close()


def test_defect_8_header_with_a_quote_is_a_column(tmp_path: Path) -> None:
    upload = write(tmp_path, "u.csv", '"say ""hi""",n\nred,1\nblue,2\nred,3\n')
    store = DatasetStore(tmp_path / "datasets")
    dataset = store.create("acme", "", [("q.csv", upload)])
    column = dataset.tables[0].columns[0]
    assert column.name == 'say "hi"'
    assert column.distinct == 2
    result = run(
        store.database("acme", dataset.id), 'SELECT "say ""hi""" FROM q', dataset.table_names
    )
    assert result.rows[0] == ["red"]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    rows = "\n".join(f"{i},{i % 7}" for i in range(2000))
    upload = write(tmp_path, "t.csv", "id,v\n" + rows + "\n")
    store = DatasetStore(tmp_path / "datasets")
    dataset = store.create("acme", "", [("t.csv", upload)])
    return store.database("acme", dataset.id)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM unnest(range(300000000)) t(x)",
        "SELECT range(300000000) FROM t",
        "SELECT generate_series(1, 300000000)",
        "SELECT * FROM range(300000000)",
        "SELECT list_resize([1], 300000000) FROM t",
        "SELECT repeat('a', 300000000) FROM t",
        "SELECT repeat('a', v * 100000000) FROM t",
        "SELECT lpad('a', 300000000, 'b') FROM t",
        "SELECT printf('%0300000000d', 1)",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    ],
)
def test_defect_2_unbounded_generators_are_refused(sql: str) -> None:
    with pytest.raises(SandboxError):
        validate(sql, {"t"})


def test_defect_2_small_sized_calls_still_run(database: Path) -> None:
    result = run(
        database, "SELECT repeat('ab', 3) AS r, lpad('7', 3, '0') AS p FROM t LIMIT 1", {"t"}
    )
    assert result.rows == [["ababab", "007"]]


def test_defect_2_results_are_capped_in_bytes(database: Path) -> None:
    limits = SandboxLimits(max_rows=10_000, max_bytes=50_000)
    result = run(database, "SELECT repeat('x', 9000) AS big FROM t", {"t"}, limits)
    assert result.truncated
    assert 0 < len(result.rows) < 2000
    assert sum(len(r[0]) for r in result.rows) <= 50_000 + 9000
    wide = run(database, "SELECT string_agg(repeat('y', 100), '') AS s FROM t", {"t"})
    assert len(wide.rows[0][0]) == MAX_CELL_CHARS + 1  # cut, with an ellipsis


def test_defect_2_pooled_queries_are_interrupted(database: Path) -> None:
    from tandem.apps.analyst.sandbox import QueryTimeoutError

    pool = SandboxPool(SandboxLimits(timeout_s=0.3))
    try:
        with pytest.raises(QueryTimeoutError):
            pool.run(database, "SELECT count(*) FROM t a, t b, t c, t d", {"t"})
    finally:
        pool.close()


def test_defect_6_tenant_names_that_sanitise_alike_do_not_share_datasets(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path / "datasets")
    upload = write(tmp_path, "u.csv", "a\n1\n2\n")
    mine = store.create("x y", "", [("u.csv", upload)])
    assert store.list("x_y") == []
    assert [d.id for d in store.list("x y")] == [mine.id]
    dotted = store.create("..", "", [("u.csv", upload)])
    folder = store.database("..", dotted.id).resolve()
    assert (tmp_path / "datasets").resolve() in folder.parents


def test_defect_12_empty_and_mismatched_csv_are_refused(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path / "datasets")
    with pytest.raises(DatasetError, match="empty"):
        store.create("acme", "", [("e.csv", write(tmp_path, "e.csv", ""))])
    with pytest.raises(DatasetError, match="line 3 has 3 fields"):
        store.create("acme", "", [("m.csv", write(tmp_path, "m.csv", "a,b\n1,2\n3,4,5\n6,7\n"))])
    with pytest.raises(DatasetError, match="no rows"):
        store.create("acme", "", [("h.csv", write(tmp_path, "h.csv", "a,b\n"))])
    assert store.list("acme") == []


def test_defect_12_broken_parquet_error_hides_server_paths(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path / "datasets")
    broken = write(tmp_path, "0.parquet", b"PAR1 this is not parquet PAR1")
    with pytest.raises(DatasetError) as caught:
        store.create("acme", "", [("sales.parquet", broken)])
    assert str(tmp_path) not in caught.value.message
    assert "sales.parquet" in caught.value.message


def _xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["region", "revenue"])
    sheet.append(["North", 10])
    sheet.append(["South", 20])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_defect_10_xlsx_uploads_over_http(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/v1/datasets", files=[("files", ("Sales.xlsx", _xlsx_bytes(), "application/octet-stream"))]
    )
    assert created.status_code == 201, created.text
    table = created.json()["tables"][0]
    assert table["rows"] == 2
    assert [c["name"] for c in table["columns"]] == ["region", "revenue"]


def test_defect_5_xlsx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (100 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200 * 1024
    store = DatasetStore(tmp_path / "datasets")
    with pytest.raises(DatasetError, match="expands to"):
        store.create("acme", "", [("bomb.xlsx", write(tmp_path, "b.xlsx", bomb.getvalue()))])


async def test_defect_8_and_12_bad_uploads_over_http_are_400(client: httpx.AsyncClient) -> None:
    for name, data in [
        ("empty.csv", b""),
        ("mismatch.csv", b"a,b\n1,2\n3\n4,5,6\n"),
        ("broken.parquet", b"PAR1xxxx"),
        ("broken.xlsx", b"PK\x03\x04 not really"),
    ]:
        response = await client.post("/v1/datasets", files=[("files", (name, data, "text/csv"))])
        assert response.status_code == 400, (name, response.text)
        error = response.json()["error"]
        assert name in error["message"]
        assert "/tmp" not in error["message"]


async def test_defect_8_csv_header_with_a_quote_is_not_a_500(client: httpx.AsyncClient) -> None:
    for header in (b'"a""b', b'a"b', b'"', b'x,"y""z"'):
        response = await client.post(
            "/v1/datasets", files=[("files", ("q.csv", header + b"\n1\n2\n", "text/csv"))]
        )
        assert response.status_code in (201, 400), (header, response.text)
        if response.status_code == 201:
            dataset = response.json()
            column = dataset["tables"][0]["columns"][0]["name"]
            sql = {"sql": f"SELECT count(*) AS n FROM q WHERE {_quote(column)} IS NOT NULL"}
            ran = await client.post(f"/v1/datasets/{dataset['id']}/query", json=sql)
            assert ran.status_code == 200, ran.text


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT length(replace(replace(repeat('a',1000),'a',repeat('b',1000)),'b',"
        "repeat('c',2000)))",
        "SELECT length(repeat(repeat(repeat('a',10000),10000),20))",
        "SELECT length(repeat(repeat('a',10000),10000))",
        "SELECT length(printf('%0*d', 300000000, 1))",
        "SELECT regexp_replace(repeat('a',10000),'a',repeat('b',10000),'g')",
        "SELECT lpad(repeat('x', 10), 10, repeat('y', 10))",
    ],
)
def test_probe_n1_nested_growing_calls_are_refused(sql: str) -> None:
    with pytest.raises(SandboxError):
        validate(sql, {"t"})


def test_probe_n3_deeply_nested_sql_is_a_400_not_a_500(database: Path) -> None:
    with pytest.raises(SandboxError, match="nested"):
        run(database, "SELECT " + "(" * 400 + "1" + ")" * 400, {"t"})
    assert run(database, "SELECT replace(CAST(id AS VARCHAR), '1', 'one') FROM t LIMIT 1", {"t"})
