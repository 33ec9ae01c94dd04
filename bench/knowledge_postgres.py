"""Knowledge search on PostgreSQL (shared by replicas) against the embedded SQLite file.

The same knowledge base (help-centre pages cut into chunks of about 480 characters, random
384-dimension embeddings) is written to both stores; then the same queries (words and a
vector) run against each: keyword ranking (FTS5 BM25 / PostgreSQL `ts_rank` over a GIN
index), vector ranking (the in-memory matrix, loaded once per generation), fused. Reported
side by side: rows written per second, search p50/p99 in ms, and the ratio PostgreSQL /
SQLite. A third column shows a search on PostgreSQL right after another replica changed
the knowledge base (the vectors are reloaded: the cost of freshness).

Run: python bench/knowledge_postgres.py [--sizes 10000 100000] [--queries N]
     (PostgreSQL from TANDEM_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1/test)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile, print_table
from knowledge_retrieval import TOPICS, WORDS, page
from tandem.knowledge.chunking import Chunk
from tandem.knowledge.postgres import SharedKnowledgeStore
from tandem.knowledge.store import KnowledgeBases, KnowledgeStore
from tandem.store.engine import Database

POSTGRES = os.environ.get("TANDEM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PER_DOC = 50  # ten pages per document: fewer transactions to fill 100k chunks


def fill(store: KnowledgeBases, chunks: int) -> tuple[str, float]:
    """A knowledge base of `chunks` chunks; (its id, chunks written per second)."""
    kb_id = store.create("bench", "search")
    rng = random.Random(7)
    started = time.perf_counter()
    with closing(store.open("bench", kb_id)) as kb:
        for d in range(chunks // PER_DOC):
            text = "\n\n".join(page(rng, d * 10 + p) for p in range(PER_DOC // 5))
            pieces = [Chunk(i, f"Page {d}", text[i * 480 : (i + 1) * 480]) for i in range(PER_DOC)]
            vectors = np.random.default_rng(d).standard_normal((PER_DOC, 384)).astype(np.float32)
            kb.put(f"page-{d}.md", text.encode(), pieces, vectors)
    return kb_id, chunks / (time.perf_counter() - started)


def latencies(run: Callable[[int], object], queries: int) -> list[float]:
    run(0)  # loads the vectors and warms the caches
    samples = []
    for q in range(queries):
        started = time.perf_counter()
        run(q)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def searcher(store: KnowledgeBases, kb_id: str) -> Callable[[int], object]:
    rng = random.Random(11)
    vectors = np.random.default_rng(3).standard_normal((64, 384)).astype(np.float32)

    def run(q: int) -> object:
        question = f"how do {rng.choice(TOPICS)} work for {rng.choice(WORDS)} members"
        with closing(store.open("bench", kb_id)) as kb:
            return kb.search(question, vectors[q % 64], 12)

    return run


def after_change(
    writer: KnowledgeBases, reader: KnowledgeBases, kb_id: str
) -> Callable[[int], object]:
    """A search by `reader` right after `writer` (another replica) added a document."""
    search = searcher(reader, kb_id)

    def run(q: int) -> object:
        with closing(writer.open("bench", kb_id)) as kb:
            vector = np.ones((1, 384), np.float32)
            kb.put("extra.md", f"{q}".encode(), [Chunk(0, "Extra", f"extra {q}")], vector)
        return search(q)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        db = Database(f"{POSTGRES}?options=-csearch_path%3D{schema}")
        try:
            with tempfile.TemporaryDirectory() as tmp:
                sqlite = KnowledgeStore(Path(tmp))
                shared, other = SharedKnowledgeStore(db), SharedKnowledgeStore(db)
                lite_id, lite_rate = fill(sqlite, size)
                pg_id, pg_rate = fill(shared, size)
                lite = latencies(searcher(sqlite, lite_id), args.queries)
                pg = latencies(searcher(shared, pg_id), args.queries)

                fresh = latencies(after_change(other, shared, pg_id), max(5, args.queries // 20))
        finally:
            db.dispose()
            with psycopg.connect(POSTGRES, autocommit=True) as connection:
                connection.execute(f"DROP SCHEMA {schema} CASCADE")
        for name, samples, rate in (("SQLite file", lite, lite_rate), ("PostgreSQL", pg, pg_rate)):
            rows.append(
                [
                    f"{size:,}",
                    name,
                    f"{rate:,.0f}",
                    f"{percentile(samples, 50):.1f}",
                    f"{percentile(samples, 99):.1f}",
                    f"{percentile(samples, 50) / percentile(lite, 50):.2f}x",
                ]
            )
        rows.append(
            [
                f"{size:,}",
                "PostgreSQL, changed by another replica first",
                "",
                f"{percentile(fresh, 50):.1f}",
                f"{percentile(fresh, 99):.1f}",
                f"{percentile(fresh, 50) / percentile(lite, 50):.2f}x",
            ]
        )
    print_table(
        "Knowledge search: PostgreSQL vs SQLite",
        ["chunks", "store", "chunks written/s", "search p50 ms", "p99 ms", "p50 vs SQLite"],
        rows,
    )


if __name__ == "__main__":
    main()
