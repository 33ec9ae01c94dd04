"""Files every replica must read, kept in the platform database.

On PostgreSQL, a dataset's DuckDB file, its semantic model and the charts drawn for its
answers are rows of `shared_files` (split into parts, so a large file is never one huge
value), so a dataset uploaded through one replica is queried on any other with no shared
disk. A replica copies a file into its own cache folder the first time it needs a path on
disk (DuckDB opens files, not bytes); the files copied so never change once written (a
replaced semantic model is read from the database each time), so a copy is never stale.
Every read is filtered by tenant: another tenant's file does not exist for you.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select

from tandem.store.engine import Database
from tandem.store.models import SharedFile

PART_BYTES = 8 * 1024 * 1024


class SharedFiles:
    """Files by path (`datasets/ds_…/data.duckdb`, `charts/ch_….png`) per tenant."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, tenant: str, path: str, data: bytes) -> None:
        """Store (or replace) a small file given as bytes."""
        pieces = [data[i : i + PART_BYTES] for i in range(0, max(len(data), 1), PART_BYTES)]
        self._store(tenant, path, iter(pieces))

    def upload(self, tenant: str, path: str, source: Path) -> None:
        """Store (or replace) a file from local disk, one part in memory at a time."""
        with source.open("rb") as handle:
            first = handle.read(PART_BYTES)
            self._store(
                tenant, path, itertools.chain([first], iter(lambda: handle.read(PART_BYTES), b""))
            )

    def _store(self, tenant: str, path: str, pieces: Iterator[bytes]) -> None:
        now = datetime.now(UTC)
        with self.db.session() as session, session.begin():
            session.execute(delete(SharedFile).where(SharedFile.path == path))
            for part, data in enumerate(pieces):
                session.add(
                    SharedFile(path=path, part=part, tenant=tenant, data=data, updated_at=now)
                )
                session.flush()  # sent now: the next part replaces this one in memory

    def read(self, tenant: str, path: str) -> bytes | None:
        """The file's bytes, or None when `tenant` has no such file."""
        with self.db.session() as session:
            parts = session.scalars(
                select(SharedFile.data)
                .where(SharedFile.path == path, SharedFile.tenant == tenant)
                .order_by(SharedFile.part)
            ).all()
        return b"".join(parts) if parts else None

    def read_matching(self, tenant: str, prefix: str, suffix: str) -> list[tuple[str, bytes]]:
        """(path, bytes) of the tenant's one-part files under `prefix` ending in `suffix`."""
        with self.db.session() as session:
            rows = session.execute(
                select(SharedFile.path, SharedFile.data)
                .where(
                    SharedFile.tenant == tenant,
                    SharedFile.path.startswith(prefix, autoescape=True),
                    SharedFile.path.endswith(suffix, autoescape=True),
                    SharedFile.part == 0,
                )
                .order_by(SharedFile.path)
            ).all()
        return [(str(path), bytes(data)) for path, data in rows]

    def local(self, tenant: str, path: str, target: Path) -> Path | None:
        """`target`, a local copy of the file (made on first use), or None when the tenant
        has no such file."""
        if target.is_file():
            return target
        with self.db.session() as session:
            ids = session.scalars(
                select(SharedFile.part)
                .where(SharedFile.path == path, SharedFile.tenant == tenant)
                .order_by(SharedFile.part)
            ).all()
            if not ids:
                return None
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    for part in ids:  # one part in memory at a time
                        data = session.scalar(
                            select(SharedFile.data).where(
                                SharedFile.path == path, SharedFile.part == part
                            )
                        )
                        handle.write(data or b"")
                os.replace(temporary, target)  # readers see the whole file or none
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return target

    def delete(self, tenant: str, prefix: str) -> None:
        """Remove the tenant's files under `prefix`."""
        with self.db.session() as session, session.begin():
            session.execute(
                delete(SharedFile).where(
                    SharedFile.tenant == tenant,
                    SharedFile.path.startswith(prefix, autoescape=True),
                )
            )
