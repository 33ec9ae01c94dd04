"""Knowledge bases: ingest throughput and retrieval latency.

Ingest: pages (about 2,400 characters of help-centre prose each) through the knowledge
service on the real embedding model (extract, chunk, embed, store), against the encoder
alone embedding the same chunks: the ratio is what ingestion adds on top of embedding.

Retrieval: a 10k-chunk knowledge base; hybrid search (BM25 + vectors, fused) as served,
against two baselines in the same run: BM25 alone (the floor), and the dense scan reading
every embedding from SQLite per query (what the vector cache replaces). The query's own
embedding is not included (it is the same for every variant; see bench/embeddings.py).

Search through the knowledge service at 10k and 100k chunks, end to end on the real
embedding model (query expansion from the knowledge base's vocabulary, the query's
embedding, fused search), with the reranker off and on (on: the sentences of 12 candidates
embedded and compared with the query; the embedding cache is cleared before every query so
each pays the full cost). The vocabulary is built once per knowledge base version, on the
first query; that first query is reported apart.

Run: python bench/knowledge_retrieval.py [--pages N] [--chunks N] [--queries N]
         [--sizes 10000 100000] [--service-queries N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile, print_table
from tandem.backends.bert_encoder import BertEncoder
from tandem.backends.minilm import packaged_model_dir
from tandem.config import DEFAULT_EMBEDDING_DEPLOYMENT, DeploymentConfig, Settings
from tandem.gateway.service import CallContext
from tandem.governance.principal import open_principal
from tandem.knowledge.chunking import Chunk, chunk
from tandem.knowledge.store import KnowledgeBase, KnowledgeStore
from tandem.platform import Platform

TOPICS = re.findall(
    r"\w+",
    "shipping returns refunds warranty repairs exchanges gift cards payments instalments "
    "tracking parcels carriers stores pickup rentals deposits sizing boots jackets tents "
    "sleeping bags accounts passwords privacy discounts students invoices corporate orders",
)
WORDS = re.findall(
    r"\w+",
    "the order arrives within business days and costs standard express overnight free over "
    "members receive points rewards expire months customers can request a label online "
    "store any item unused original packaging full refund processed card week team replies",
)


def page(rng: random.Random, n: int) -> str:
    """A help-centre page: a title, three sections of prose (about 2,400 characters)."""
    sections = []
    for s in range(3):
        topic = rng.choice(TOPICS)
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 18))).capitalize()
            + f" {topic} {rng.randint(1, 99)}."
            for _ in range(8)
        ]
        sections.append(f"## {topic.title()} {s}\n\n" + " ".join(sentences))
    return f"# Page {n}\n\n" + "\n\n".join(sections)


async def ingest_rate(root: Path, pages: list[str]) -> tuple[float, float, int]:
    """(pages/s through the knowledge service, pages/s of the encoder alone, chunks)."""
    settings = Settings(
        data_dir=root,
        builtin_deployments=False,
        log_level="warning",
        deployments=[
            DeploymentConfig.model_validate(
                {"name": DEFAULT_EMBEDDING_DEPLOYMENT, "backend": "minilm"}
            )
        ],
    )
    platform = Platform.build(settings)
    await platform.start()
    await platform.wait_started()
    try:
        ctx = CallContext(principal=open_principal(), request_id="bench")
        kb = platform.knowledge.store.create(ctx.principal.tenant, "ingest")
        files = [(f"page-{i}.md", text.encode()) for i, text in enumerate(pages)]
        started = time.perf_counter()
        results = await platform.knowledge.ingest(ctx, kb, files)
        service = time.perf_counter() - started
    finally:
        await platform.stop()
    assert all(r.status == "added" for r in results)
    texts = [f"{p.section}\n{p.text}" for text in pages for p in chunk(text)]
    encoder = BertEncoder(packaged_model_dir())
    started = time.perf_counter()
    for i in range(0, len(texts), 128):
        encoder.encode(texts[i : i + 128])
    alone = time.perf_counter() - started
    return len(pages) / service, len(pages) / alone, len(texts)


def build_kb(root: Path, chunks: int, rng: random.Random) -> KnowledgeBase:
    """A knowledge base of `chunks` chunks with random unit embeddings (384 dimensions)."""
    store = KnowledgeStore(root)
    kb_id = store.create("bench", "search")
    kb = store.open("bench", kb_id)
    per_doc = 5
    for d in range(chunks // per_doc):
        text = page(rng, d)
        pieces = [Chunk(i, f"Page {d}", text[i * 480 : (i + 1) * 480]) for i in range(per_doc)]
        vectors = np.random.default_rng(d).standard_normal((per_doc, 384)).astype(np.float32)
        kb.put(f"page-{d}.md", text.encode(), pieces, vectors)
    return kb


def dense_from_disk(kb: KnowledgeBase, vector: np.ndarray, n: int = 30) -> list[int]:
    """The dense ranking as first written: every embedding read from SQLite per query."""
    rows = kb.db.execute("SELECT id, embedding FROM chunks").fetchall()
    ids = np.array([r[0] for r in rows])
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
    similarity = (matrix @ vector) / np.maximum(np.linalg.norm(matrix, axis=1), 1e-9)
    return [int(ids[i]) for i in np.argsort(-similarity)[:n]]


async def service_search(
    root: Path, chunks: int, queries: int, rng: random.Random
) -> tuple[float, float, dict[bool, list[float]]]:
    """(seconds to build the knowledge base, first query's ms, per rerank setting: ms of
    each query) through the knowledge service on the real embedding model."""
    settings = Settings(
        data_dir=root,
        builtin_deployments=False,
        log_level="warning",
        deployments=[
            DeploymentConfig.model_validate(
                {"name": DEFAULT_EMBEDDING_DEPLOYMENT, "backend": "minilm"}
            )
        ],
    )
    platform = Platform.build(settings)
    await platform.start()
    await platform.wait_started()
    try:
        ctx = CallContext(principal=open_principal(), request_id="bench")
        store = platform.knowledge.store
        kb_id = store.create(ctx.principal.tenant, "search")
        started = time.perf_counter()
        with closing(store.open(ctx.principal.tenant, kb_id)) as kb:
            for d in range(chunks // 5):
                text = page(rng, d)
                pieces = [Chunk(i, f"Page {d}", text[i * 480 : (i + 1) * 480]) for i in range(5)]
                vectors = np.random.default_rng(d).standard_normal((5, 384)).astype(np.float32)
                kb.put(f"page-{d}.md", text.encode(), pieces, vectors)
        built = time.perf_counter() - started
        started = time.perf_counter()
        await platform.knowledge.search(ctx, kb_id, "how do refunds work", 5)
        first = (time.perf_counter() - started) * 1000
        results: dict[bool, list[float]] = {}
        for rerank in (False, True):
            samples = []
            for q in range(queries):
                question = f"how do {rng.choice(TOPICS)} work for {rng.choice(WORDS)} {q}"
                platform.knowledge._cache.clear()
                started = time.perf_counter()
                await platform.knowledge.search(ctx, kb_id, question, 5, rerank=rerank)
                samples.append((time.perf_counter() - started) * 1000)
            results[rerank] = samples
    finally:
        await platform.stop()
    return built, first, results


def latencies(fn: Callable[[int], object], queries: int) -> list[float]:
    fn(0)
    samples = []
    for q in range(queries):
        started = time.perf_counter()
        fn(q)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--service-queries", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        pages = [page(rng, i) for i in range(args.pages)]
        service, alone, texts = asyncio.run(ingest_rate(Path(tmp) / "ingest", pages))
        print_table(
            f"Ingest: {args.pages} pages, {texts} chunks, real embedding model",
            ["path", "pages/s", "chunks/s", "ratio"],
            [
                [
                    "knowledge service (extract, chunk, embed, store)",
                    f"{service:.1f}",
                    f"{service * texts / args.pages:.0f}",
                    f"{service / alone:.2f}",
                ],
                [
                    "encoder alone (baseline)",
                    f"{alone:.1f}",
                    f"{alone * texts / args.pages:.0f}",
                    "1.00",
                ],
            ],
        )
        kb = build_kb(Path(tmp) / "search", args.chunks, rng)
        with closing(kb):
            questions = [
                f"how do {rng.choice(TOPICS)} and {rng.choice(TOPICS)} work for {rng.choice(WORDS)}"
                for _ in range(args.queries)
            ]
            vectors = np.random.default_rng(1).standard_normal((args.queries, 384))
            vectors = vectors.astype(np.float32)
            variants = {
                "hybrid, cached vectors (served)": lambda q: kb.search(questions[q], vectors[q], 5),
                "BM25 alone (floor)": lambda q: kb._keyword(questions[q]),
                "dense read from SQLite per query": lambda q: dense_from_disk(kb, vectors[q]),
            }
            rows = []
            results = {name: latencies(fn, args.queries) for name, fn in variants.items()}
            served = percentile(results["hybrid, cached vectors (served)"], 50)
            for name, samples in results.items():
                p50 = percentile(samples, 50)
                rows.append(
                    [name, f"{p50:.2f}", f"{percentile(samples, 99):.2f}", f"{p50 / served:.2f}"]
                )
            print_table(
                f"Retrieval on {args.chunks:,} chunks, {args.queries} queries (ms)",
                ["variant", "p50", "p99", "p50 / served"],
                rows,
            )
        rows = []
        for size in args.sizes:
            built, first, found = asyncio.run(
                service_search(Path(tmp) / f"service-{size}", size, args.service_queries, rng)
            )
            for rerank, samples in found.items():
                p50, p99 = percentile(samples, 50), percentile(samples, 99)
                rows.append(
                    [
                        f"{size:,}",
                        "on" if rerank else "off",
                        f"{p50:.1f}",
                        f"{p99:.1f}",
                        f"{first:.0f}",
                        f"{built:.0f}",
                    ]
                )
        print_table(
            f"Search through the knowledge service, real query embedding, "
            f"{args.service_queries} queries per row (ms)",
            ["chunks", "reranker", "p50", "p99", "first query (vocabulary)", "build s"],
            rows,
        )


if __name__ == "__main__":
    main()
