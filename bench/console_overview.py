"""Console overview: a year of ledger rows read from the hourly rollups vs the same totals
summed from the raw ledger, in the same run on the same database (SQLite by default, or
PostgreSQL with --postgres URL). Also how long rolling the ledger up takes.

Run: python bench/console_overview.py [--rows 1000000] [--repeats 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_table
from tandem.governance.ledger import UsageEvent, UsageLedger
from tandem.governance.rollups import Rollups
from tandem.store.engine import Database, database_url
from tandem.store.models import UsageRecord

YEAR = timedelta(days=365)


def fill(ledger: UsageLedger, rows: int, end: datetime) -> None:
    """`rows` requests spread over the year before `end`: 20 tenants of 3 keys each, 6
    deployments."""
    chance = random.Random(7)
    start = (end - YEAR).timestamp()
    span = YEAR.total_seconds()
    batch: list[UsageEvent] = []
    for i in range(rows):
        tenant = chance.randrange(20)
        batch.append(
            UsageEvent(
                request_id=f"bench-{i}",
                ts=start + chance.random() * span,
                tenant=f"tenant-{tenant}",
                project="default",
                key_id=f"key-{tenant}-{chance.randrange(3)}",
                deployment=f"model-{chance.randrange(6)}",
                operation=chance.choice(["chat", "chat", "embeddings"]),
                prompt_tokens=chance.randrange(1, 800),
                completion_tokens=chance.randrange(0, 300),
                latency_ms=chance.expovariate(1 / 300),
                status="ok" if chance.random() > 0.02 else "error",
                cost_usd=chance.random() / 1000,
            )
        )
        if len(batch) == 20_000:
            ledger._insert_events(batch)
            batch = []
    if batch:
        ledger._insert_events(batch)


def raw_overview_query(db: Database, tenant: str | None, since: datetime, until: datetime) -> int:
    """The same per-hour, per-deployment totals straight from the ledger (the baseline the
    benchmark compares the rollups with); the number of groups."""
    hour = (
        func.strftime("%Y-%m-%d %H", UsageRecord.ts)
        if db.dialect == "sqlite"
        else (func.date_trunc("hour", UsageRecord.ts))
    )
    query = select(
        hour,
        UsageRecord.deployment,
        UsageRecord.status,
        func.count(),
        func.sum(UsageRecord.prompt_tokens),
        func.sum(UsageRecord.completion_tokens),
        func.sum(UsageRecord.cost_usd),
        func.sum(UsageRecord.latency_ms),
    ).where(UsageRecord.ts >= since, UsageRecord.ts < until)
    if tenant is not None:
        query = query.where(UsageRecord.tenant == tenant)
    query = query.group_by(hour, UsageRecord.deployment, UsageRecord.status)
    with db.session() as session:
        return len(session.execute(query).all())


def timed(work: object, repeats: int) -> float:
    """The median seconds of `repeats` runs."""
    assert callable(work)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(args.postgres or database_url(None, folder))
        db.upgrade()
        ledger = UsageLedger(db, folder / "ledger")
        (folder / "ledger").mkdir()
        end = datetime.now(UTC)
        started = time.perf_counter()
        fill(ledger, args.rows, end)
        filled = time.perf_counter() - started
        rollups = Rollups(db)
        started = time.perf_counter()
        rolled = rollups.roll_all(budget_s=3600)
        roll_s = time.perf_counter() - started
        since = end - YEAR
        cases = [("every tenant", None), ("one tenant", "tenant-3")]
        rows = []
        for label, tenant in cases:
            rollup_s = timed(
                lambda t=tenant: rollups.overview(tenant=t, since=since, until=end), args.repeats
            )
            day = timed(
                lambda t=tenant: rollups.overview(
                    tenant=t, since=end - timedelta(days=1), until=end
                ),
                args.repeats,
            )
            rows.append([f"{label}, last 24 h", f"{day * 1000:.1f}", "", ""])
            raw_s = timed(lambda t=tenant: raw_overview_query(db, t, since, end), args.repeats)
            rows.append(
                [label, f"{rollup_s * 1000:.1f}", f"{raw_s * 1000:.1f}", f"{raw_s / rollup_s:.1f}x"]
            )
        print_table(
            f"Overview of a year, {args.rows:,} ledger rows ({db.dialect}; inserted in "
            f"{filled:.1f} s, {rolled:,} rolled up in {roll_s:.1f} s)",
            ["scope", "rollups ms", "raw ledger ms", "rollups faster by"],
            rows,
        )


if __name__ == "__main__":
    main()
