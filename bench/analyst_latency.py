"""Analyst latency: planning vs execution, and sandboxed execution vs raw DuckDB.

On the seeded retail dataset (eval/analyst/generate.py), every evaluation question is
planned and its SQL run both ways in the same run, taking turns query by query: through
the sandbox (validation, locked connection, caps, the deadline watchdog), and on a raw
DuckDB connection to a copy of the same file. Goal: sandbox <= 1.1x raw.

Run: python bench/analyst_latency.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))
from analyst.generate import generate

from common import ROOT, percentile, print_table
from tandem.apps.analyst.compile import Compiler
from tandem.apps.analyst.datasets import DatasetStore, data_today
from tandem.apps.analyst.linking import Lexicon
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.sandbox import SandboxPool, validate
from tandem.apps.analyst.semantic import propose


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    questions = [
        json.loads(x)["q"]
        for x in (ROOT / "eval/analyst/questions.jsonl").read_text().splitlines()
        if x.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "files")
        store = DatasetStore(Path(tmp) / "datasets")
        started = time.perf_counter()
        files = [(p.name, p) for p in sorted((Path(tmp) / "files").glob("*.csv"))]
        dataset = store.create("bench", "retail", files)
        ingest_s = time.perf_counter() - started
        database = store.database("bench", dataset.id)
        model = propose(dataset)
        columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
        today = data_today(dataset)
        links: list[float] = []
        plans: list[float] = []
        sqls: list[str] = []
        for question in questions:
            t0 = time.perf_counter()
            Lexicon(model).link(question.lower())
            links.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            plan = parse(question, model, columns, today)
            sql = Compiler(model, columns).sql(plan) if isinstance(plan, Plan) else None
            # parse links again itself: planning is the rest
            plans.append(max(0.0, time.perf_counter() - t0 - links[-1]))
            if sql:
                sqls.append(sql)
        # DuckDB refuses two configurations of one file in a process: the raw connection
        # reads a copy, so the two take turns query by query under the same machine load.
        copy = Path(tmp) / "raw-copy.duckdb"
        shutil.copyfile(database, copy)
        raw = duckdb.connect(str(copy), read_only=True)
        pool = SandboxPool()
        direct: list[float] = []
        sandboxed: list[float] = []
        checks: list[float] = []
        for sql in sqls:  # warm both connections and caches before measuring
            raw.execute(sql).fetchall()
            pool.run(database, sql, dataset.table_names)
        for _ in range(args.rounds):
            for sql in sqls:
                t0 = time.perf_counter()
                raw.execute(sql).fetchall()
                t1 = time.perf_counter()
                validate(sql, dataset.table_names).sql(dialect="duckdb")
                t2 = time.perf_counter()
                pool.run(database, sql, dataset.table_names)
                t3 = time.perf_counter()
                direct.append(t1 - t0)
                checks.append(t2 - t1)
                sandboxed.append(max(0.0, (t3 - t2) - (t2 - t1)))  # run() validates again
        raw.close()
        pool.close()

    def cells(samples: list[float]) -> list[str]:
        return [f"{percentile(samples, 50) * 1000:.2f}", f"{percentile(samples, 99) * 1000:.2f}"]

    ratio = percentile(sandboxed, 50) / percentile(direct, 50)
    print_table(
        f"Analyst on the retail dataset (3 tables, 3,230 rows; ingest {ingest_s:.2f} s), "
        f"{len(sqls)} questions x {args.rounds}",
        ["step", "p50 ms", "p99 ms", "ratio to raw DuckDB (p50)"],
        [
            ["link (question -> semantic-model names)", *cells(links), "-"],
            ["plan (linked question -> plan -> SQL)", *cells(plans), "-"],
            ["validate (sqlglot parse + checks)", *cells(checks), "-"],
            ["execute, raw DuckDB", *cells(direct), "1.00"],
            [
                "execute, sandboxed (locked connection, caps, timer)",
                *cells(sandboxed),
                f"{ratio:.2f}",
            ],
        ],
    )


if __name__ == "__main__":
    main()
