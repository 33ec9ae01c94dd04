"""Every way out of the SQL sandbox is refused with a clear error; ordinary queries run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tandem.apps.analyst.sandbox import (
    QueryTimeoutError,
    SandboxError,
    SandboxLimits,
    run,
    validate,
)

TABLES = {"sales", "customers"}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE sales AS SELECT range AS id, range % 7 AS customer_id, "
        "(range * 1.25)::DECIMAL(10,2) AS amount, DATE '2024-01-01' + range::INTEGER AS day "
        "FROM range(3000)"
    )
    connection.execute(
        "CREATE TABLE customers AS SELECT range AS id, 'c' || range AS name FROM range(7)"
    )
    connection.close()
    return path


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "tables"),
        ("SELECT * FROM read_csv_auto('data.csv')", "tables"),
        ("SELECT * FROM '/etc/passwd'", "files"),
        ("SELECT * FROM 'https://example.com/x.parquet'", "files"),
        ("COPY sales TO '/tmp/out.csv'", "SELECT"),
        ("COPY (SELECT * FROM sales) TO 'out.parquet'", "SELECT"),
        ("INSTALL httpfs", "SELECT"),
        ("LOAD httpfs", "SELECT"),
        ("ATTACH '/tmp/other.duckdb' AS other", "SELECT"),
        ("SELECT 1; SELECT 2", "one statement"),
        ("SELECT * FROM sales; DROP TABLE sales", "one statement"),
        ("PRAGMA database_list", "SELECT"),
        ("SET enable_external_access = true", "SELECT"),
        ("EXPORT DATABASE '/tmp/dump'", "parse"),
        ("CREATE TABLE x AS SELECT 1", "SELECT"),
        ("DELETE FROM sales", "SELECT"),
        ("SELECT * FROM main.sales", "qualified"),
        ("SELECT * FROM other_table", "unknown table"),
        ("SELECT getenv('HOME')", "getenv"),
        ("SELECT current_setting('memory_limit')", "current_setting"),
        ("SELECT * FROM duckdb_settings()", "tables"),
        ("SELECT * FROM glob('/etc/*')", "tables"),
        ("SELECT * FROM sales WHERE 'x' = '/etc/shadow'", "files"),
        ("SELECT * FROM query('SELECT 1')", "tables"),
    ],
)
def test_escape_attempts_are_refused(sql: str, reason: str, database: Path) -> None:
    with pytest.raises(SandboxError) as caught:
        run(database, sql, TABLES)
    assert reason.lower() in caught.value.message.lower()
    assert caught.value.status_code == 400


def test_ordinary_queries_run(database: Path) -> None:
    result = run(
        database,
        "WITH t AS (SELECT customer_id, sum(amount) AS total FROM sales GROUP BY 1) "
        "SELECT c.name, t.total FROM t JOIN customers c ON c.id = t.customer_id ORDER BY 2 DESC",
        TABLES,
    )
    assert result.columns == ["name", "total"]
    assert len(result.rows) == 7
    assert isinstance(result.rows[0][1], float)


def test_rows_are_capped_and_counted(database: Path) -> None:
    result = run(database, "SELECT * FROM sales", TABLES, SandboxLimits(max_rows=50))
    assert len(result.rows) == 50
    assert result.total_rows == 3000
    assert result.truncated
    assert result.rows[0][3] == "2024-01-01"  # dates as ISO text


def test_long_queries_are_interrupted(database: Path) -> None:
    slow = "SELECT count(*) FROM sales a, sales b, sales c"
    with pytest.raises(QueryTimeoutError):
        run(database, slow, TABLES, SandboxLimits(timeout_s=0.5))


def test_the_connection_itself_refuses_file_access(database: Path) -> None:
    # Even if validation were bypassed, the connection cannot read files or change settings.
    connection = duckdb.connect(
        str(database),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )
    with pytest.raises(duckdb.Error):
        connection.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        connection.execute("SET enable_external_access = true")
    connection.close()


def test_validation_accepts_unions_and_ctes() -> None:
    validate("SELECT id FROM sales UNION ALL SELECT id FROM customers", TABLES)
    validate("WITH x AS (SELECT 1 AS a) SELECT a FROM x", TABLES)
