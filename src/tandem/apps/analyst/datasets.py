"""Datasets: uploaded files become DuckDB tables, profiled, kept per tenant.

Each dataset is a folder under DATA_DIR/datasets/<tenant>/<id>/ holding `data.duckdb`
(one table per file), `meta.json` and, once the user gives one, `semantic.json`. Ingestion
copes with the usual mess of business files: dates in common formats, currency symbols,
thousands separators, percentages.

With shared files (the platform on PostgreSQL), the database holds the three files and the
folder is only this replica's cache of `data.duckdb`: a dataset made on one replica is
listed, described and queried on every other.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from tandem.apps.analyst.loading import (
    DatasetError,
    check_csv,
    check_table,
    clean_numbers,
    month_columns,
    xlsx_to_csv,
)
from tandem.apps.analyst.sandbox import SandboxLimits, jsonable, loading_connection
from tandem.apps.analyst.sql import ident
from tandem.errors import InvalidRequestError, NotFoundError, PayloadTooLargeError
from tandem.store.paths import tenant_folder
from tandem.store.shared_files import SharedFiles

SUFFIXES = {".csv", ".tsv", ".parquet", ".xlsx", ".json", ".jsonl", ".ndjson"}
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 20
SAMPLE_ROWS = 5
MAX_LISTED_VALUES = 60  # text columns with at most this many values list them (for filters)
LOAD_TIMEOUT_S = 120.0
# Loading runs under the sandbox's locks too; only the upload's own files may be read.
LOAD_LIMITS = SandboxLimits(timeout_s=LOAD_TIMEOUT_S, memory_limit="1GB")
Progress = Callable[[str], None]


@dataclass
class ColumnProfile:
    """One column's type and statistics."""

    name: str
    type: str
    nulls: int
    distinct: int
    min: Any = None
    max: Any = None
    values: list[str] | None = None


@dataclass
class TableProfile:
    """One table's shape, columns and a few rows."""

    name: str
    source: str
    rows: int
    columns: list[ColumnProfile] = field(default_factory=list)
    sample: list[list[Any]] = field(default_factory=list)


@dataclass
class Dataset:
    """A tenant's dataset and the profile of its tables."""

    id: str
    tenant: str
    name: str
    created_at: str
    tables: list[TableProfile] = field(default_factory=list)

    @property
    def table_names(self) -> set[str]:
        """Names of the dataset's tables."""
        return {t.name for t in self.tables}

    def to_json(self) -> dict[str, Any]:
        """The dataset as JSON."""
        return {"object": "dataset", **asdict(self)}


def table_name(filename: str, taken: set[str]) -> str:
    """A SQL identifier from a file name, unique within the dataset."""
    stem = Path(filename).stem.lower()
    name = re.sub(r"[^a-z0-9_]+", "_", stem).strip("_") or "table"
    if name[0].isdigit():
        name = f"t_{name}"
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


class DatasetStore:
    """Creates, lists and deletes datasets: on disk, or in shared files."""

    def __init__(self, root: Path, shared: SharedFiles | None = None) -> None:
        self.root = root
        self.shared = shared

    def _dir(self, tenant: str, dataset_id: str) -> Path:
        if not re.fullmatch(r"ds_[0-9a-f]{16}", dataset_id):
            raise NotFoundError(f"no dataset '{dataset_id}'", param="dataset")
        return tenant_folder(self.root, tenant) / dataset_id

    def create(
        self,
        tenant: str,
        name: str,
        files: list[tuple[str, Path]],
        progress: Progress | None = None,
    ) -> Dataset:
        """Load files (original name, local path) into a new dataset."""
        if not files:
            raise InvalidRequestError("upload at least one file", param="files")
        if len(files) > MAX_FILES:
            raise InvalidRequestError(f"at most {MAX_FILES} files per dataset", param="files")
        dataset = Dataset(
            id=f"ds_{uuid.uuid4().hex[:16]}",
            tenant=tenant,
            name=name or files[0][0],
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        folder = self._dir(tenant, dataset.id)
        folder.mkdir(parents=True)
        readable = [str(p) for _, p in files] + [
            str(p.with_name(p.name + ".csv")) for _, p in files
        ]
        try:
            connection = loading_connection(folder / "data.duckdb", LOAD_LIMITS, readable)
            timer = threading.Timer(LOAD_TIMEOUT_S, connection.interrupt)
            timer.start()
            try:
                for original, path in files:
                    if progress:
                        progress(original)
                    table = table_name(original, dataset.table_names)
                    try:
                        _load(connection, table, original, path)
                        dataset.tables.append(_profile(connection, table, original))
                    except duckdb.InterruptException as exc:
                        raise DatasetError(
                            f"{original}: loading took longer than {LOAD_TIMEOUT_S:g} s and "
                            "was stopped; split the file or upload Parquet",
                            param="files",
                        ) from exc
                    except duckdb.Error as exc:
                        raise DatasetError(
                            f"{original}: cannot be profiled: {str(exc).splitlines()[0]}",
                            param="files",
                        ) from exc
            finally:
                timer.cancel()
                connection.close()
            meta = json.dumps(dataset.to_json(), default=str)
            if self.shared is not None:
                self.shared.upload(
                    tenant, f"datasets/{dataset.id}/data.duckdb", folder / "data.duckdb"
                )
                self.shared.put(tenant, f"datasets/{dataset.id}/meta.json", meta.encode())
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            if self.shared is not None:
                self.shared.delete(tenant, f"datasets/{dataset.id}/")
            raise
        (folder / "meta.json").write_text(meta)
        return dataset

    def get(self, tenant: str, dataset_id: str) -> Dataset:
        """A tenant's dataset, or 404 (another tenant's dataset does not exist for you)."""
        text = self._read(tenant, dataset_id, "meta.json")
        if text is None:
            raise NotFoundError(f"no dataset '{dataset_id}'", param="dataset")
        return _from_json(json.loads(text))

    def _read(self, tenant: str, dataset_id: str, name: str) -> str | None:
        path = self._dir(tenant, dataset_id) / name
        if self.shared is not None:
            data = self.shared.read(tenant, f"datasets/{dataset_id}/{name}")
            return data.decode() if data is not None else None
        return path.read_text() if path.is_file() else None

    def database(self, tenant: str, dataset_id: str) -> Path:
        """Where a dataset's DuckDB file lives on this machine (call `get` first to know it
        exists); with shared files, a copy is fetched the first time."""
        path = self.database_path(tenant, dataset_id)
        if self.shared is not None and not path.is_file():
            found = self.shared.local(tenant, f"datasets/{dataset_id}/data.duckdb", path)
            if found is None:
                raise NotFoundError(f"no dataset '{dataset_id}'", param="dataset")
        return path

    def database_path(self, tenant: str, dataset_id: str) -> Path:
        """Where the dataset's DuckDB file is (or would be) on this machine."""
        return self._dir(tenant, dataset_id) / "data.duckdb"

    def semantic_model(self, tenant: str, dataset_id: str) -> dict[str, Any] | None:
        """The semantic model the user gave (as JSON), or None."""
        text = self._read(tenant, dataset_id, "semantic.json")
        return json.loads(text) if text is not None else None

    def set_semantic_model(self, tenant: str, dataset_id: str, model: dict[str, Any]) -> None:
        """Replace the user's semantic model."""
        text = json.dumps(model)
        if self.shared is not None:
            self.shared.put(tenant, f"datasets/{dataset_id}/semantic.json", text.encode())
        else:
            (self._dir(tenant, dataset_id) / "semantic.json").write_text(text)

    def list(self, tenant: str) -> list[Dataset]:
        """A tenant's datasets, newest first."""
        if self.shared is not None:
            texts = [
                data.decode()
                for _, data in self.shared.read_matching(tenant, "datasets/", "/meta.json")
            ]
        else:
            folder = tenant_folder(self.root, tenant)
            texts = (
                [meta.read_text() for meta in folder.glob("ds_*/meta.json")]
                if folder.is_dir()
                else []
            )
        found = [_from_json(json.loads(text)) for text in texts]
        return sorted(found, key=lambda d: d.created_at, reverse=True)

    def delete(self, tenant: str, dataset_id: str) -> None:
        """Remove a dataset and its files."""
        self.get(tenant, dataset_id)
        if self.shared is not None:
            self.shared.delete(tenant, f"datasets/{dataset_id}/")
        shutil.rmtree(self._dir(tenant, dataset_id), ignore_errors=self.shared is not None)


def _load(connection: duckdb.DuckDBPyConnection, table: str, original: str, path: Path) -> None:
    suffix = Path(original).suffix.lower()
    if suffix not in SUFFIXES:
        raise DatasetError(
            f"{original}: unsupported type; use {', '.join(sorted(SUFFIXES))}", param="files"
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PayloadTooLargeError(f"{original}: larger than {MAX_FILE_BYTES // 2**20} MiB")
    if size == 0:
        raise DatasetError(f"{original}: the file is empty", param="files")
    target = ident(table)
    try:
        if suffix in (".csv", ".tsv"):
            check_csv(path, original, "\t" if suffix == ".tsv" else None)
            options = ", delim='\t'" if suffix == ".tsv" else ""
            connection.execute(
                f"CREATE TABLE {target} AS SELECT * FROM read_csv(?, auto_detect=true, "
                f"sample_size=-1, header=true, strict_mode=true{options})",
                [str(path)],
            )
        elif suffix == ".parquet":
            connection.execute(
                f"CREATE TABLE {target} AS SELECT * FROM read_parquet(?)", [str(path)]
            )
        elif suffix in (".json", ".jsonl", ".ndjson"):
            connection.execute(
                f"CREATE TABLE {target} AS SELECT * FROM read_json_auto(?)", [str(path)]
            )
        else:
            converted = path.with_name(path.name + ".csv")
            xlsx_to_csv(path, converted, original)
            connection.execute(
                f"CREATE TABLE {target} AS SELECT * FROM read_csv(?, auto_detect=true, "
                "sample_size=-1, header=true)",
                [str(converted)],
            )
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        # DuckDB's message names the server's temporary file; the user knows it by its name.
        reason = str(exc).splitlines()[0].replace(str(path.parent), "").replace(path.name, original)
        raise DatasetError(f"{original}: cannot be read: {reason}", param="files") from exc
    check_table(connection, table, original)
    clean_numbers(connection, table)
    month_columns(connection, table)


def _profile(connection: duckdb.DuckDBPyConnection, table: str, source: str) -> TableProfile:
    target = ident(table)
    rows = connection.execute(f"SELECT count(*) FROM {target}").fetchone()
    profile = TableProfile(name=table, source=source, rows=int(rows[0]) if rows else 0)
    for column, kind, *_ in connection.execute(f"DESCRIBE {target}").fetchall():
        col = ident(column)
        orderable = not kind.startswith(("STRUCT", "MAP", "LIST")) and not kind.endswith("[]")
        stats = connection.execute(
            f"SELECT count(*) - count({col}), count(DISTINCT {col})"
            + (f", min({col}), max({col})" if orderable else ", NULL, NULL")
            + f" FROM {target}"
        ).fetchone()
        assert stats is not None
        values = None
        if kind == "VARCHAR" and int(stats[1]) <= MAX_LISTED_VALUES:
            rows_ = connection.execute(
                f"SELECT DISTINCT {col} FROM {target} WHERE {col} IS NOT NULL "
                f"ORDER BY 1 LIMIT {MAX_LISTED_VALUES}"
            ).fetchall()
            values = [str(r[0]) for r in rows_]
        profile.columns.append(
            ColumnProfile(
                name=column,
                type=kind,
                nulls=int(stats[0]),
                distinct=int(stats[1]),
                min=jsonable(stats[2]),
                max=jsonable(stats[3]),
                values=values,
            )
        )
    sample = connection.execute(f"SELECT * FROM {target} LIMIT {SAMPLE_ROWS}").fetchall()
    profile.sample = [[jsonable(v) for v in row] for row in sample]
    return profile


def _from_json(data: dict[str, Any]) -> Dataset:
    tables = [
        TableProfile(
            name=t["name"],
            source=t["source"],
            rows=t["rows"],
            columns=[ColumnProfile(**c) for c in t["columns"]],
            sample=t["sample"],
        )
        for t in data["tables"]
    ]
    return Dataset(
        id=data["id"],
        tenant=data["tenant"],
        name=data["name"],
        created_at=data["created_at"],
        tables=tables,
    )


AHEAD_DAYS = 7


def data_today(dataset: Dataset) -> date:
    """Relative periods count from today, or from the data's last date when it ends earlier.

    The data's last date is the latest of its date columns' maxima, leaving out dates that
    do not say when the data was made: dates scheduled ahead (a column that starts no
    earlier than another date of its table and runs more than a week past it: an
    appointment after its booking, a check-out after a check-in), birth dates, and a
    lookup table's date that runs more than a week past every date of the largest table."""
    ends: list[tuple[date, int]] = []
    for table in dataset.tables:
        spans: list[tuple[date, date]] = []
        for column in table.columns:
            if not column.type.upper().startswith(("DATE", "TIMESTAMP")) or not column.max:
                continue
            if re.search(r"birth|\bdob\b", column.name, re.I):
                continue
            try:
                high = date.fromisoformat(str(column.max)[:10])
                low = date.fromisoformat(str(column.min)[:10]) if column.min else high
            except ValueError:
                continue
            spans.append((low, high))
        for low, high in spans:
            ahead = any(
                low >= other_low and (high - other_high).days > AHEAD_DAYS
                for other_low, other_high in spans
            )
            if not ahead:
                ends.append((high, table.rows))
    real = date.today()
    if not ends:
        return real
    ends.sort(reverse=True)
    largest = max(rows for _, rows in ends)
    while len(ends) > 1 and (ends[0][0] - ends[1][0]).days > AHEAD_DAYS and ends[0][1] < largest:
        ends.pop(0)
    return min(real, ends[0][0])
