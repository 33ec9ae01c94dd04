"""Running untrusted SQL safely: one read-only SELECT over the dataset's own tables.

Two walls. First, the statement is parsed (sqlglot) and refused unless it is a single
SELECT whose every table is one of the dataset's, calling no function that reaches files,
the network, settings or extensions, and holding no string that names a file. Second, it
runs on a read-only DuckDB connection with external access, extension loading and
configuration changes disabled, memory and threads capped, interrupted at the time limit,
and its rows capped.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tandem.apps.analyst.watchdog import WATCHDOG
from tandem.errors import InvalidRequestError, TandemError

# Functions that read files or URLs, touch settings or the catalogue, or run SQL text.
_FORBIDDEN_FUNCTIONS = re.compile(
    r"^(?:read_\w+|.*_scan|glob|query|query_table|sniff_csv|parquet_\w+|iceberg_\w+|delta_\w+"
    r"|getenv|current_setting|set_\w+|load_\w+|install_\w+|duckdb_\w+|pragma_\w+|which_secret"
    r"|json_execute_serialized_sql|sql_auto_complete|enable_\w+|disable_\w+|checkpoint"
    r"|force_checkpoint|attach|detach|export_\w+|import_\w+|copy_\w+|http\w*|s3\w*|md5_number"
    r"|system|shell|pg_\w+|sqlite_\w+|mysql_\w+"
    # Generators whose one call builds a value of any size, in one allocation that neither
    # the memory limit nor the interrupt can reach (range(300000000) grew a server to 15 GB).
    r"|range|generate_series|generate_subscripts|list_resize|array_resize|repeat_row"
    r"|list_range|unnest_range)$",
    re.IGNORECASE,
)
# Functions whose output grows with an argument: allowed only with a small literal there.
_SIZED_FUNCTIONS = {"repeat": 1, "lpad": 1, "rpad": 1, "bar": 3}
_FORMAT_FUNCTIONS = {"printf", "format"}
_WIDE = re.compile(r"\d{5,}|\*")  # widths of 10000+, or given as an argument
_GROWING = {"repeat", "lpad", "rpad", "replace", "regexp_replace", "printf", "format", "bar"}
MAX_SIZED_ARGUMENT = 10_000
_FILE_LIKE = re.compile(
    r"(?:^[/\\~]|^[a-z]:[\\/]|://|\.(?:csv|tsv|parquet|json|jsonl|ndjson|db|duckdb|sqlite|xlsx?"
    r"|txt|gz|zst|arrow)$)",
    re.IGNORECASE,
)
MAX_CELL_CHARS = 10_000  # a longer text value is cut, with an ellipsis
_ALLOWED_ROOTS = (exp.Select, exp.Union, exp.Except, exp.Intersect)
_FORBIDDEN_NODES = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Copy,
    exp.Command,
    exp.Pragma,
    exp.Set,
    exp.Use,
    exp.Merge,
    exp.Into,
    exp.TruncateTable,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.Export,
    exp.LoadData,
)


class SandboxError(InvalidRequestError):
    """SQL refused by the sandbox (400, with the reason)."""

    code = "sql_refused"


class QueryTimeoutError(TandemError):
    """The query ran past its time limit and was interrupted (408)."""

    status_code = 408
    error_type = "invalid_request_error"
    code = "query_timeout"
    azure_code = "Timeout"


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one query."""

    timeout_s: float = 10.0
    max_rows: int = 1000
    memory_limit: str = "512MB"
    threads: int = 2
    max_bytes: int = 8 * 1024 * 1024  # of cell values in one result


@dataclass(frozen=True)
class QueryResult:
    """Rows of a query, capped, with the total count."""

    columns: list[str]
    types: list[str]
    rows: list[list[Any]]
    total_rows: int
    truncated: bool


def validate(sql: str, tables: set[str]) -> exp.Expression:
    """The parsed statement, or SandboxError saying why it may not run."""
    if len(sql) > 20_000:
        raise SandboxError("the SQL is longer than 20000 characters", param="sql")
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except RecursionError as exc:
        raise SandboxError("the SQL is nested too deeply", param="sql") from exc
    except SqlglotError as exc:
        raise SandboxError(
            f"the SQL does not parse: {str(exc).splitlines()[0]}", param="sql"
        ) from exc
    if len(statements) != 1:
        raise SandboxError("exactly one statement is allowed", param="sql")
    tree = statements[0]
    if not isinstance(tree, _ALLOWED_ROOTS):
        raise SandboxError("only a SELECT query is allowed", param="sql")
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    allowed = {t.lower() for t in tables}
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise SandboxError(f"{type(node).__name__.upper()} is not allowed", param="sql")
        if isinstance(node, exp.Table):
            _check_table(node, allowed, ctes)
        elif isinstance(node, exp.Func):
            _check_function(node)
        elif isinstance(node, exp.With) and node.args.get("recursive"):
            raise SandboxError("recursive CTEs are not allowed", param="sql")
        elif isinstance(node, exp.Literal) and node.is_string and _FILE_LIKE.search(node.this):
            raise SandboxError("strings that name files or URLs are not allowed", param="sql")
    return tree


def _function_name(node: exp.Func) -> str:
    return (node.sql_name() if not isinstance(node, exp.Anonymous) else str(node.this)).lower()


def _grows(node: object) -> bool:
    """Whether a call's output can be many times larger than its inputs."""
    if isinstance(node, (exp.Repeat, exp.Pad)):
        return True
    return isinstance(node, exp.Func) and _function_name(node) in _GROWING


def _check_growth(node: exp.Func) -> None:
    # One growing call is bounded by its literal size; a growing call inside another
    # multiplies (repeat(repeat(...)), replace(x, 'a', repeat(...))) and builds a value
    # in one allocation that neither the memory limit nor the interrupt reaches.
    if not _grows(node):
        return
    for inner in node.iter_expressions():
        if any(_grows(n) for n in inner.walk()):
            raise SandboxError(
                f"{_function_name(node)}() may not take the result of another "
                "repeat/pad/replace/format call here",
                param="sql",
            )


def _check_function(node: exp.Func) -> None:
    _check_growth(node)
    name = node.sql_name() if not isinstance(node, exp.Anonymous) else str(node.this)
    if _FORBIDDEN_FUNCTIONS.match(name) or isinstance(node, exp.GenerateSeries):
        raise SandboxError(f"the function {name.lower()} is not allowed", param="sql")
    if name.lower() in _FORMAT_FUNCTIONS:
        given = node.expressions if isinstance(node, exp.Anonymous) else [node.this]
        pattern = given[0] if given else None
        literal = isinstance(pattern, exp.Literal) and pattern.is_string
        if not literal or _WIDE.search(str(pattern.this if pattern is not None else "")):
            raise SandboxError(
                f"{name.lower()}() takes a literal format with widths below 10000 here",
                param="sql",
            )
        return
    size = _size_argument(node)
    if size is _UNSIZED:
        return
    if not (
        isinstance(size, exp.Literal)
        and not size.is_string
        and abs(float(size.this)) <= MAX_SIZED_ARGUMENT
    ):
        raise SandboxError(
            f"{name.lower()}() takes a literal size of at most {MAX_SIZED_ARGUMENT} here",
            param="sql",
        )


_UNSIZED = exp.Null()


def _size_argument(node: exp.Func) -> exp.Expression | None:
    """The argument that sets the size of a function's output, or _UNSIZED."""
    if isinstance(node, exp.Repeat):
        return node.args.get("times")
    if isinstance(node, exp.Pad):
        return node.args.get("expression")
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in _SIZED_FUNCTIONS:
        position = _SIZED_FUNCTIONS[str(node.this).lower()]
        return node.expressions[position] if position < len(node.expressions) else None
    return _UNSIZED


def _check_table(node: exp.Table, allowed: set[str], ctes: set[str]) -> None:
    if node.args.get("db") or node.args.get("catalog"):
        raise SandboxError("tables may not be qualified with a schema or database", param="sql")
    target = node.this
    if not isinstance(target, exp.Identifier):
        raise SandboxError("only the dataset's tables may be queried", param="sql")
    name = target.name.lower()
    if target.quoted and _FILE_LIKE.search(target.name):
        raise SandboxError("strings that name files or URLs are not allowed", param="sql")
    if name not in allowed and name not in ctes:
        raise SandboxError(
            f"unknown table '{target.name}'; this dataset has: {', '.join(sorted(allowed))}",
            param="sql",
        )


def locked_config(limits: SandboxLimits) -> dict[str, Any]:
    """DuckDB settings for any connection that touches user data: no files, no network, no
    extensions, capped memory and threads, and no way to change any of it."""
    return {
        **_NO_EXTENSIONS,
        "enable_external_access": False,
        "memory_limit": limits.memory_limit,
        "max_temp_directory_size": "1GiB",  # spilling is allowed, within a bound
        "threads": limits.threads,
        "lock_configuration": True,
    }


_NO_EXTENSIONS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}


def loading_connection(
    database: Path, limits: SandboxLimits, readable: Sequence[str]
) -> duckdb.DuckDBPyConnection:
    """A writable connection that may read only the files in `readable` (an upload's own),
    locked like the sandbox's; DuckDB takes allowed paths only once the database is open."""
    connection = duckdb.connect(
        str(database),
        config={**_NO_EXTENSIONS, "memory_limit": limits.memory_limit, "threads": limits.threads},
    )
    try:
        connection.execute("SET allowed_paths = ?", [list(readable)])
        connection.execute("SET enable_external_access = false")
        connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


def _connect(database: Path, limits: SandboxLimits) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(database), read_only=True, config=locked_config(limits))


def _execute(
    connection: duckdb.DuckDBPyConnection, query: str, limits: SandboxLimits
) -> QueryResult:
    armed = WATCHDOG.arm(limits.timeout_s, connection.interrupt)
    try:
        cursor = connection.execute(query)
        columns = [d[0] for d in cursor.description or []]
        types = [str(d[1]) for d in cursor.description or []]
        fetched = cursor.fetchmany(limits.max_rows + 1)
        rows = _capped(fetched[: limits.max_rows], limits.max_bytes)
        truncated = len(fetched) > len(rows)
        total = len(fetched)
        if len(fetched) > limits.max_rows:
            counted = connection.execute(f"SELECT count(*) FROM ({query}) AS q").fetchone()
            total = int(counted[0]) if counted else total
        return QueryResult(
            columns=columns, types=types, rows=rows, total_rows=total, truncated=truncated
        )
    except duckdb.InterruptException as exc:
        raise QueryTimeoutError(
            f"the query ran past {limits.timeout_s:g} s and was stopped"
        ) from exc
    except duckdb.Error as exc:
        raise SandboxError(f"the query failed: {str(exc).splitlines()[0]}", param="sql") from exc
    finally:
        WATCHDOG.disarm(armed)


def _checked_sql(sql: str, tables: set[str]) -> str:
    """The validated statement as DuckDB text."""
    try:
        return validate(sql, tables).sql(dialect="duckdb")
    except RecursionError as exc:
        raise SandboxError("the SQL is nested too deeply", param="sql") from exc


def _capped(fetched: list[tuple[Any, ...]], max_bytes: int) -> list[list[Any]]:
    """Rows as JSON values, long texts cut, stopping before `max_bytes` of values."""
    rows: list[list[Any]] = []
    used = 0
    for raw in fetched:
        row = []
        for value in raw:
            cell = jsonable(value)
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                cell = cell[:MAX_CELL_CHARS] + "…"
            used += len(cell) if isinstance(cell, str) else len(repr(cell))
            row.append(cell)
        if used > max_bytes:
            break
        rows.append(row)
    return rows


def run(
    database: Path, sql: str, tables: set[str], limits: SandboxLimits = SandboxLimits()
) -> QueryResult:
    """Validate and run `sql` on a fresh locked connection (call from a worker thread)."""
    query = _checked_sql(sql, tables)
    connection = _connect(database, limits)
    try:
        return _execute(connection, query, limits)
    finally:
        connection.close()


class SandboxPool:
    """Locked read-only connections kept open per dataset; each query gets its own cursor,
    so opening a database is paid once, not per question."""

    def __init__(self, limits: SandboxLimits = SandboxLimits(), size: int = 32) -> None:
        self.limits = limits
        self.size = size
        self._open: OrderedDict[Path, duckdb.DuckDBPyConnection] = OrderedDict()
        self._lock = threading.Lock()

    def run(
        self, database: Path, sql: str, tables: set[str], max_rows: int | None = None
    ) -> QueryResult:
        """Validate and run `sql` (call from a worker thread)."""
        limits = self.limits if max_rows is None else replace(self.limits, max_rows=max_rows)
        query = _checked_sql(sql, tables)
        with self._lock:
            base = self._open.get(database)
            if base is None:
                base = _connect(database, self.limits)
                self._open[database] = base
                while len(self._open) > self.size:
                    self._open.popitem(last=False)[1].close()
            self._open.move_to_end(database)
            cursor = base.cursor()
        try:
            return _execute(cursor, query, limits)
        finally:
            cursor.close()

    def forget(self, database: Path) -> None:
        """Close a dataset's connection (before its files are deleted)."""
        with self._lock:
            connection = self._open.pop(database, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """Close every connection."""
        with self._lock:
            while self._open:
                self._open.popitem()[1].close()


def jsonable(value: Any) -> Any:
    """Values JSON can carry: decimals as floats, dates as ISO text, bytes as hex."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
