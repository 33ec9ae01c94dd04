"""The hourly rollups count every ledger row once, on SQLite and PostgreSQL: rows written
late, rolls repeated, and two replicas rolling at once; the overview read from them equals
the same figures summed from the ledger."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tandem.governance.ledger import UsageEvent, UsageLedger
from tandem.governance.rollups import Rollups, percentile_label
from tandem.governance.usage_report import summarize
from tandem.store.engine import Database

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _events(n: int, seed: int, offset: int = 0) -> list[UsageEvent]:
    chance = random.Random(seed)
    events = []
    for i in range(n):
        at = START + timedelta(minutes=chance.randrange(0, 60 * 30))
        events.append(
            UsageEvent(
                request_id=f"r{seed}-{offset + i}",
                ts=at.timestamp(),
                tenant=chance.choice(["acme", "globex"]),
                project="default",
                key_id=chance.choice(["k1", "k2", None]),
                deployment=chance.choice(["smollm2", "gpt"]),
                operation="chat",
                prompt_tokens=chance.randrange(1, 500),
                completion_tokens=chance.randrange(0, 200),
                latency_ms=chance.choice([10.0, 80.0, 300.0, 2500.0, 30000.0]),
                status=chance.choice(["ok", "ok", "ok", "error", "rate_limited"]),
                cost_usd=chance.random() / 100,
            )
        )
    return events


def _database(tmp_path: Path, db_url: str) -> tuple[Database, UsageLedger]:
    db = Database(db_url)
    (tmp_path / "ledger").mkdir(exist_ok=True)
    db.upgrade()
    return db, UsageLedger(db, tmp_path / "ledger")


def test_rollups_equal_the_ledger_and_count_each_row_once(tmp_path: Path, db_url: str) -> None:
    db, ledger = _database(tmp_path, db_url)
    first = _events(700, seed=1)
    ledger._insert_events(first)
    rollups = Rollups(db, batch=128)  # several batches
    other_replica = Rollups(Database(db.url), batch=100)
    rollups.roll_all()
    other_replica.roll_all()
    ledger._insert_events(first[:50])  # a replayed journal: duplicates the ledger ignores
    ledger._insert_events(_events(300, seed=2))  # rows written late, for earlier hours
    for _ in range(3):
        other_replica.roll()
        rollups.roll()
    rollups.roll_all()
    until = START + timedelta(days=2)
    for tenant in ("acme", "globex", None):
        overview = rollups.overview(tenant=tenant, since=START, until=until)
        raw = summarize(db, tenant=tenant, group_by=["deployment"], since=START, until=until)
        assert overview.requests == sum(r["requests"] for r in raw)
        assert overview.errors == sum(r["errors"] for r in raw)
        assert overview.prompt_tokens == sum(r["prompt_tokens"] for r in raw)
        assert abs(overview.cost_usd - sum(r["cost_usd"] for r in raw)) < 1e-6
        by_name = {d.deployment: d.requests for d in overview.deployments}
        assert by_name == {r["deployment"]: r["requests"] for r in raw}
    everything = rollups.overview(tenant=None, since=START, until=until)
    assert everything.requests == 1000
    assert sum(point[1] for point in everything.series) == 1000
    assert everything.grain == "hour"
    assert len(everything.series) == 48


def test_long_ranges_are_days_and_bounded(tmp_path: Path, db_url: str) -> None:
    db, ledger = _database(tmp_path, db_url)
    ledger._insert_events(_events(50, seed=3))
    rollups = Rollups(db)
    rollups.roll_all()
    year = rollups.overview(
        tenant=None, since=START - timedelta(days=3000), until=START + timedelta(days=5)
    )
    assert year.grain == "day"
    assert year.until - year.since <= timedelta(days=400)


def test_percentiles_read_the_latency_buckets() -> None:
    assert percentile_label([0] * 12, 0.5) == "n/a"
    counts = [0] * 12
    counts[2], counts[11] = 90, 10  # 90 requests at <= 100 ms, 10 beyond 25.6 s
    assert percentile_label(counts, 0.5) == "≤ 100 ms"
    assert percentile_label(counts, 0.95) == "> 25,600 ms"
