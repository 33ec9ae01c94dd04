"""The usage ledger: batched writes, shutdown flush, crash recovery, exactly one row each."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
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


async def test_unflushed_requests_are_pending_for_budgets(db: Database, tmp_path: Path) -> None:
    ledger = UsageLedger(db, tmp_path / "ledger", flush_interval_s=60)
    await ledger.start()
    ledger.record(event("c1", cost=0.25))
    ledger.record(event("c2", cost=0.5))
    pending = ledger.pending()
    assert [e.request_id for e in pending] == ["c1", "c2"]
    assert sum(e.cost_usd for e in pending) == pytest.approx(0.75)
    await ledger.stop()
    assert ledger.pending() == []  # written on stop


async def test_a_live_writers_journal_is_never_replayed(db: Database, tmp_path: Path) -> None:
    # Another worker (or a replica on a shared folder, where process ids repeat) starting up
    # must leave a running process's journal alone, even with the same process id.
    journal_dir = tmp_path / "ledger"
    running = UsageLedger(db, journal_dir, flush_interval_s=60)
    await running.start()
    running.admit(event("in-flight"))
    starting = UsageLedger(db, journal_dir)
    assert starting.recover() == 0
    assert rows(db) == {}
    running.record(event("in-flight"))
    await running.stop()
    assert rows(db) == {"in-flight": "ok"}


_WRITER = """
import sys, time
from pathlib import Path
from tandem.governance.ledger import UsageEvent, UsageLedger

ledger = UsageLedger(None, Path(sys.argv[1]))  # journals only: this process never flushes
for i in range(int(sys.argv[2])):
    e = UsageEvent(request_id=f"{sys.argv[3]}-{i}", ts=time.time(), tenant="acme",
                   project="p", key_id="k1", deployment="d", operation="chat")
    ledger.admit(e)
    if i % 2 == 0:
        ledger.record(UsageEvent(**{**e.__dict__, "status": "ok"}))
print("ready", flush=True)
time.sleep(120)
"""


def test_journals_of_several_writers_are_replayed_once_each_after_they_die(
    db: Database, tmp_path: Path
) -> None:
    journal_dir = tmp_path / "ledger"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(journal_dir), "10", f"w{n}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    try:
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready"
        assert UsageLedger(db, journal_dir).recover() == 0  # both alive: nothing is theirs
        writers[0].send_signal(signal.SIGKILL)
        writers[0].wait()
        assert UsageLedger(db, journal_dir).recover() == 10
        assert UsageLedger(db, journal_dir).recover() == 0
        found = rows(db)
        assert sorted(found) == sorted(f"w0-{i}" for i in range(10))
        assert [found[f"w0-{i}"] for i in range(10)] == ["ok", "interrupted"] * 5
        assert len(list(journal_dir.glob("*.jsonl"))) == 1  # the live writer's journal stays
    finally:
        for writer in writers:
            writer.kill()
            writer.wait()
