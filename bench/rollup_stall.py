"""How long rolling up the usage ledger holds the GIL away from the event loop.

Fills a SQLite ledger with `--rows` rows over the last two hours, then rolls them up in a
worker thread (as the console does every 10 s) while another thread asks to run every
1 ms, as the event loop would. Prints the roll's wall and CPU time and how late that
thread ran. Run it on two checkouts (PYTHONPATH=OTHER/src) to compare before and after.

Run: python bench/rollup_stall.py [--rows N]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from pathlib import Path

from tandem.governance.ledger import UsageEvent, UsageLedger
from tandem.governance.rollups import Rollups
from tandem.store.engine import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'tandem.db'}")
        db.upgrade()
        ledger = UsageLedger(db, Path(tmp) / "ledger")
        chance = random.Random(1)
        events = [
            UsageEvent(
                request_id=f"r{i}",
                ts=time.time() - chance.randrange(0, 7200),
                tenant="acme",
                project="p",
                key_id=chance.choice(["k1", "k2", None]),
                deployment="mock",
                operation="chat",
                prompt_tokens=10,
                completion_tokens=20,
                latency_ms=chance.choice([5.0, 40.0, 300.0, 2500.0]),
                status="ok",
            )
            for i in range(args.rows)
        ]
        for start in range(0, len(events), 500):
            ledger._insert_events(events[start : start + 500])
        rollups = Rollups(db)
        rollups.roll()  # the first roll only sets the watermark
        lags: list[float] = []
        done = threading.Event()

        def ticker() -> None:
            while not done.is_set():
                asked = time.perf_counter()
                time.sleep(0.001)
                lags.append(time.perf_counter() - asked - 0.001)

        thread = threading.Thread(target=ticker)
        thread.start()
        started, cpu = time.perf_counter(), time.thread_time()
        rolled = rollups.roll()
        wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
        done.set()
        thread.join()
        db.dispose()
    print(
        f"rolled {rolled} rows: {wall * 1e3:.0f} ms wall, {cpu * 1e3:.0f} ms CPU; "
        f"a 1 ms ticker ran up to {max(lags) * 1e3:.1f} ms late, "
        f"{sum(lag > 0.005 for lag in lags)} times over 5 ms"
    )


if __name__ == "__main__":
    main()
