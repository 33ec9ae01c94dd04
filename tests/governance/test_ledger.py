"""The usage ledger: batched writes, shutdown flush, crash recovery, exactly one row each."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tandem.governance.ledger import UsageEvent, UsageLedger
from tandem.store.engine import Database
from tandem.store.models import UsageRecord


@pytest.fixture
def db(db_url: str) -> Database:
    database = Database(db_url)
    database.upgrade()
    return database


def event(request_id: str, status: str = "ok", cost: float = 0.0) -> UsageEvent:
    return UsageEvent(
        request_id=request_id,
        ts=time.time(),
        tenant="acme",
        project="p",
        key_id="k1",
        deployment="smollm2",
        operation="chat",
        prompt_tokens=10,
        completion_tokens=5,
        status=status,
        cost_usd=cost,
    )


def rows(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {r.request_id: r.status for r in session.scalars(select(UsageRecord))}


async def test_rows_are_written_in_batches_and_on_stop(db: Database, tmp_path: Path) -> None:
    ledger = UsageLedger(db, tmp_path / "ledger", flush_interval_s=60)
    await ledger.start()
    for i in range(25):
        ledger.admit(event(f"r{i}"))
        ledger.record(event(f"r{i}"))
    assert rows(db) == {}  # nothing on the request path touches the database
    await ledger.stop()
    assert len(rows(db)) == 25
    assert list((tmp_path / "ledger").glob("*.jsonl")) == []  # journals removed once flushed


async def test_requests_still_running_at_shutdown_are_recorded(
    db: Database, tmp_path: Path
) -> None:
    ledger = UsageLedger(db, tmp_path / "ledger")
    await ledger.start()
    ledger.admit(event("long"))
    await ledger.stop()
    assert rows(db) == {"long": "interrupted"}


def test_journal_of_a_dead_process_is_replayed_once(db: Database, tmp_path: Path) -> None:
    journal_dir = tmp_path / "ledger"
    journal_dir.mkdir()
    dead_pid = 999_999_999
    lines = [
        {"t": "a", **event("done-1").__dict__},
        {"t": "d", **event("done-1").__dict__},
        {"t": "a", **event("cut-off").__dict__},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + '\n{"t": "d", "request_'  # torn write
    (journal_dir / f"journal-{dead_pid}-abc.jsonl").write_text(text)
    ledger = UsageLedger(db, journal_dir)
    assert ledger.recover() == 2
    assert rows(db) == {"done-1": "ok", "cut-off": "interrupted"}
    assert ledger.recover() == 0  # the journal is gone; replaying again writes nothing


def test_replay_never_duplicates_rows(db: Database, tmp_path: Path) -> None:
    journal_dir = tmp_path / "ledger"
    journal_dir.mkdir()
    line = json.dumps({"t": "d", **event("same").__dict__}) + "\n"
    (journal_dir / "journal-999999998-a.jsonl").write_text(line)
    (journal_dir / "journal-999999997-b.jsonl").write_text(line)
    UsageLedger(db, journal_dir).recover()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(UsageRecord)) == 1


async def test_unflushed_cost_counts_for_budgets(db: Database, tmp_path: Path) -> None:
    ledger = UsageLedger(db, tmp_path / "ledger", flush_interval_s=60)
    await ledger.start()
    ledger.record(event("c1", cost=0.25))
    ledger.record(event("c2", cost=0.5))
    assert ledger.unflushed_cost(key_id="k1") == pytest.approx(0.75)
    assert ledger.unflushed_cost(project=("acme", "p")) == pytest.approx(0.75)
    assert ledger.unflushed_cost(key_id="other") == 0
    await ledger.stop()
