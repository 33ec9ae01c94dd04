"""Identifiers and timestamps in OpenAI's shapes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def new_id(prefix: str, hex_chars: int = 32) -> str:
    """`prefix_` and random hex (OpenAI's ids look alike)."""
    digits = (uuid.uuid4().hex + uuid.uuid4().hex)[:hex_chars]
    return f"{prefix}_{digits}"


def utcnow() -> datetime:
    """Now, timezone-aware."""
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """`value` with a timezone (SQLite gives naive datetimes back: they are UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def unix(value: datetime | None) -> int | None:
    """Seconds since the epoch (None stays None)."""
    return None if value is None else int(aware(value).timestamp())
