"""The audit log: append-only, each entry hash-chained to the one before it.

An edited entry no longer matches its hash; a deleted one breaks the chain of the next.
Appends are serialised per database (an advisory lock on PostgreSQL, SQLite's write lock),
so replicas sharing a database extend one chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tandem.governance.principal import Principal
from tandem.store.engine import Database
from tandem.store.models import AuditEntry

GENESIS = "0" * 64
_PG_LOCK = 7_245_319  # an arbitrary constant naming the audit chain's advisory lock


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    payload = json.dumps(entry, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _canonical(row: AuditEntry) -> dict[str, Any]:
    ts = row.ts if row.ts.tzinfo else row.ts.replace(tzinfo=UTC)
    return {
        "id": row.id,
        "ts": ts.isoformat(),
        "tenant": row.tenant,
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "details": row.details,
    }


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking the chain."""

    ok: bool
    entries: int
    problems: list[str]


class AuditLog:
    """Appends, lists and verifies audit entries."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def append(
        self,
        *,
        tenant: str,
        actor: str,
        action: str,
        target: str = "",
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Add an entry at the end of the chain."""
        with self.db.session() as session, session.begin():
            self._lock(session)
            row = AuditEntry(
                ts=datetime.now(UTC).replace(microsecond=0),
                tenant=tenant,
                actor=actor,
                action=action,
                target=target,
                details=details or {},
                prev_hash="",
                hash="",
            )
            session.add(row)
            session.flush()  # assigns the id (which the hash covers) and takes the write lock
            last = session.scalar(
                select(AuditEntry.hash)
                .where(AuditEntry.id < row.id)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            )
            row.prev_hash = last or GENESIS
            row.hash = entry_hash(row.prev_hash, _canonical(row))
        return row

    def _lock(self, session: Session) -> None:
        # PostgreSQL hands out ids before commit, so appends take a lock; on SQLite the
        # INSERT above already holds the single write lock until commit.
        if self.db.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})

    def by(
        self,
        principal: Principal,
        *,
        action: str,
        target: str = "",
        details: dict[str, Any] | None = None,
        tenant: str | None = None,
    ) -> AuditEntry:
        """Record what `principal` did (in its own tenant unless another is named)."""
        return self.append(
            tenant=tenant or principal.tenant,
            actor=principal.actor,
            action=action,
            target=target,
            details=details,
        )

    def list(
        self,
        tenant: str | None,
        limit: int = 100,
        action: str | None = None,
        before: int | None = None,
    ) -> list[AuditEntry]:
        """Newest entries first, of one tenant or (None) every tenant; `before` pages on
        (the entries older than that id)."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if before is not None:
            query = query.where(AuditEntry.id < before)
        if tenant is not None:
            query = query.where(AuditEntry.tenant == tenant)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        with self.db.session() as session:
            return list(session.scalars(query))

    def verify(self) -> VerifyResult:
        """Walk the whole chain; report edited, deleted or reordered entries."""
        problems: list[str] = []
        prev = GENESIS
        count = 0
        with self.db.session() as session:
            for row in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
                count += 1
                if row.prev_hash != prev:
                    problems.append(
                        f"entry {row.id}: chain broken (an entry before it is missing or changed)"
                    )
                if entry_hash(row.prev_hash, _canonical(row)) != row.hash:
                    problems.append(f"entry {row.id}: contents do not match its hash (edited)")
                prev = row.hash
        return VerifyResult(ok=not problems, entries=count, problems=problems)
