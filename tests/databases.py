"""Real databases for tests: a SQLite file, or a fresh schema in the machine's PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

POSTGRES_URL = os.environ.get(
    "TANDEM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A SQLAlchemy URL whose connections live in a new, empty schema (dropped after)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A database URL of `kind` ('sqlite' or 'postgresql')."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'tandem.db'}"
    else:
        with postgres_schema() as url:
            yield url
