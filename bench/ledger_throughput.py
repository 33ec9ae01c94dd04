"""Usage-ledger write throughput: Tandem's journal + batched writer vs one INSERT per request.

Both write the same events to the same kind of database in the same run. The "request path"
column is what a request pays (Tandem: two journal appends; naive: a committed INSERT).

Run: python bench/ledger_throughput.py [--events N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_table
from tandem.governance.ledger import UsageEvent, UsageLedger
from tandem.store.engine import Database
from tandem.store.models import UsageRecord


def events(n: int) -> list[UsageEvent]:
    """Distinct ledger events."""
    return [
        UsageEvent(
            request_id=uuid.uuid4().hex,
            ts=time.time(),
            tenant="acme",
            project="web",
            key_id="k1",
            deployment="smollm2",
            operation="chat",
            prompt_tokens=40,
            completion_tokens=60,
            latency_ms=120.0,
            status="ok",
            cost_usd=0.0001,
        )
        for _ in range(n)
    ]


async def tandem_ledger(
    db: Database, journal: Path, batch: list[UsageEvent]
) -> tuple[float, float]:
    """Seconds spent on the request path, and seconds until every row is in the database."""
    ledger = UsageLedger(db, journal)
    await ledger.start()
    started = time.perf_counter()
    for event in batch:
        ledger.admit(event)
        ledger.record(event)
    on_path = time.perf_counter() - started
    await ledger.stop()
    return on_path, time.perf_counter() - started


def naive(db: Database, batch: list[UsageEvent]) -> float:
    """One committed INSERT per request (what a ledger on the request path would cost)."""
    started = time.perf_counter()
    for event in batch:
        with db.session() as session, session.begin():
            session.add(UsageRecord(**event.row()))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = {"sqlite": f"sqlite:///{tmp}/bench.db"}
        if args.postgres:
            targets["postgresql"] = args.postgres
        for name, url in targets.items():
            db = Database(url)
            db.upgrade()
            on_path, total = asyncio.run(tandem_ledger(db, Path(tmp) / name, events(args.events)))
            naive_s = naive(db, events(args.events // 5))  # slow: a fifth of the events
            naive_rate = (args.events // 5) / naive_s
            rows.append(
                [
                    name,
                    f"{args.events / total:,.0f}",
                    f"{naive_rate:,.0f}",
                    f"{(args.events / total) / naive_rate:.1f}x",
                    f"{on_path / args.events * 1e6:.1f}",
                    f"{naive_s / (args.events // 5) * 1e6:.0f}",
                ]
            )
            with db.engine.begin() as conn:
                conn.execute(UsageRecord.__table__.delete())
            db.dispose()
    print_table(
        f"Usage ledger, {args.events} events",
        [
            "database",
            "rows/s Tandem",
            "rows/s naive",
            "speed-up",
            "µs on path Tandem",
            "µs on path naive",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
