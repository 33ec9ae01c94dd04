"""The file checks and clean-ups of loading: a CSV's header and fields, an .xlsx workbook
converted to CSV (refusing archive bombs), numbers written as text ("$1,200", "12%") made
numbers, and text months ("2024-03") made dates."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from tandem.apps.analyst.sql import ident
from tandem.archives import ArchiveRefusedError, check_archive
from tandem.errors import InvalidRequestError

MAX_XLSX_ROWS = 1_000_000
MAX_XLSX_COLUMNS = 1_000
_NUMBER_TEXT = re.compile(
    r"^\s*\(?[-+]?\s*[$€£¥₹]?\s*-?\d{1,3}(?:[,\s]\d{3})*(?:\.\d+)?\s*\)?\s*%?\s*$|^\s*[-+]?[$€£¥₹]?\s*\d+(?:\.\d+)?\s*%?\s*$"
)


class DatasetError(InvalidRequestError):
    """A file that cannot become a table (400, naming the file)."""

    code = "invalid_file"


def month_columns(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Text months ("2024-03", a pay or billing period) become dates on the month's first day,
    so periods and grains apply to them like any date (an answer shows them as 2024-03)."""
    target = ident(table)
    for column, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        if kind != "VARCHAR":
            continue
        col = ident(column)
        total, months = connection.execute(
            f"SELECT count({col}), count(*) FILTER (WHERE regexp_full_match(trim({col}), "
            f"'(19|20)[0-9]{{2}}-(0[1-9]|1[0-2])')) FROM {target}"
        ).fetchone() or (0, 0)
        if total and total == months:
            connection.execute(
                f"ALTER TABLE {target} ALTER {col} SET DATA TYPE DATE "
                f"USING CAST(strptime(trim({col}), '%Y-%m') AS DATE)"
            )


def check_csv(path: Path, original: str, delimiter: str | None) -> None:
    """Refuse a delimited file whose rows do not have the header's number of fields."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        head = handle.read(64 * 1024)
        if not head.strip():
            raise DatasetError(f"{original}: the file has no header and no rows", param="files")
        handle.seek(0)
        try:
            dialect: type[csv.Dialect] | str = (
                "excel-tab" if delimiter else csv.Sniffer().sniff(head, delimiters=",;|\t")
            )
        except csv.Error:
            dialect = "excel"
        try:
            reader = csv.reader(handle, dialect)
            header = next(reader, None)
            if not header or not any(field.strip() for field in header):
                raise DatasetError(f"{original}: the first line is not a header", param="files")
            for line, row in enumerate(reader, start=2):
                if row and len(row) != len(header):
                    raise DatasetError(
                        f"{original}: line {line} has {len(row)} fields but the header has "
                        f"{len(header)}; fix the row or quote fields that contain the delimiter",
                        param="files",
                    )
        except csv.Error as exc:
            raise DatasetError(
                f"{original}: not a readable CSV file: {exc}", param="files"
            ) from exc


def check_table(connection: duckdb.DuckDBPyConnection, table: str, original: str) -> None:
    counted = connection.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()
    if not counted or not counted[0]:
        raise DatasetError(f"{original}: has a header but no rows", param="files")


def xlsx_to_csv(source: Path, target: Path, original: str) -> None:
    from openpyxl import load_workbook

    try:
        check_archive(source, original)  # a few KB of zip can expand to gigabytes of XML
    except ArchiveRefusedError as exc:
        raise DatasetError(exc.message, param="files") from exc
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DatasetError(f"{original}: not a readable .xlsx file", param="files") from exc
    try:
        if not workbook.worksheets:
            raise DatasetError(f"{original}: the workbook has no sheets", param="files")
        sheet = workbook.worksheets[0]
        with target.open("w", newline="") as handle:
            writer = csv.writer(handle)
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_XLSX_ROWS or len(row) > MAX_XLSX_COLUMNS:
                    raise DatasetError(
                        f"{original}: more than {MAX_XLSX_ROWS} rows or {MAX_XLSX_COLUMNS} "
                        "columns; export the sheet as CSV",
                        param="files",
                    )
                writer.writerow(["" if v is None else v for v in row])
    except DatasetError:
        raise
    except Exception as exc:  # a broken part inside a readable archive
        raise DatasetError(f"{original}: not a readable .xlsx file", param="files") from exc
    finally:
        workbook.close()


def clean_numbers(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Text columns that are really amounts ("$1,234.50", "12%", "(300)") become numbers."""
    target = ident(table)
    columns = connection.execute(f"DESCRIBE {target}").fetchall()
    for column, kind, *_ in columns:
        if kind != "VARCHAR":
            continue
        col = ident(column)
        query = (
            f"SELECT {col} FROM {target} WHERE {col} IS NOT NULL AND trim({col}) <> '' LIMIT 1000"
        )
        values = [v[0] for v in connection.execute(query).fetchall()]
        if len(values) < 3 or sum(bool(_NUMBER_TEXT.match(v)) for v in values) < 0.95 * len(values):
            continue
        percent = sum(v.strip().endswith("%") for v in values) > len(values) / 2
        digits = f"regexp_replace({col}, '[^0-9.\\-]', '', 'g')"
        negative = f"CASE WHEN trim({col}) LIKE '(%)' THEN -1 ELSE 1 END"
        value = f"TRY_CAST(nullif({digits}, '') AS DOUBLE) * {negative}"
        if percent:
            value = f"({value}) / 100.0"
        connection.execute(f"ALTER TABLE {target} ALTER {col} SET DATA TYPE DOUBLE USING {value}")
