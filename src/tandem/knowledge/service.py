"""Ingesting documents and searching knowledge bases, with embeddings from the platform's
own embedding deployment (so keys, quotas and the ledger apply).

Ingestion is kept from starving everyone else: each upload request has a time budget
(INGEST_BUDGET_S), its parsing runs in a worker thread that polls the budget between pages
and sections, it stops when the request is cancelled (the route cancels it when the client
leaves), and across all tenants at most INGEST_PARSERS documents are parsed and
INGEST_EMBEDDERS ingestion batches of INGEST_BATCH texts are embedding at once: the
embedding backend serves calls in arrival order, so an interactive search or /v1/embeddings
call waits behind one small batch rather than a whole book.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from tandem.errors import InvalidRequestError, PayloadTooLargeError, TandemError
from tandem.gateway.service import CallContext, ModelService
from tandem.knowledge.budget import Budget
from tandem.knowledge.chunking import Chunk, chunk
from tandem.knowledge.extract import extract
from tandem.knowledge.rerank import rerank, units
from tandem.knowledge.store import Hit, KnowledgeBases
from tandem.wire import EmbeddingRequest

T = TypeVar("T")

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
EMBED_BATCH = 128  # interactive calls (search, support): one round trip where possible
INGEST_BATCH = 8  # an interactive call waits behind at most one batch: the backend queues FIFO
INGEST_EMBEDDERS = 1
INGEST_PARSERS = 2
INGEST_BUDGET_S = 300.0
# Interactive embeddings (queries, the sentences of retrieved passages) repeat: the same
# passages come back for related questions, and reranking and answer composition embed the
# same sentences. Cached per service; a miss goes through the embedding deployment.
EMBED_CACHE = 20_000
RERANK_CANDIDATES = 12


IngestStatus = Literal["added", "replaced", "unchanged", "failed"]


@dataclass(frozen=True)
class IngestResult:
    """What happened to one uploaded file."""

    name: str
    status: IngestStatus
    document_id: str | None = None
    chunks: int = 0
    error: str | None = None


async def _within(budget: Budget, work: Awaitable[T]) -> T:
    """Await `work`, giving up (and cancelling it) when the budget runs out."""
    try:
        return await asyncio.wait_for(work, budget.remaining())
    except TimeoutError:
        raise budget.overrun() from None


class KnowledgeService:
    """Knowledge bases of a tenant: ingest, list, search."""

    def __init__(
        self,
        store: KnowledgeBases,
        models: ModelService,
        deployment: str,
        *,
        budget_s: float = INGEST_BUDGET_S,
        parsers: int = INGEST_PARSERS,
        embedders: int = INGEST_EMBEDDERS,
    ) -> None:
        self.store = store
        self.models = models
        self.deployment = deployment
        self.budget_s = budget_s
        self._parse_slots = asyncio.Semaphore(parsers)
        self._embed_slots = asyncio.Semaphore(embedders)
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    async def embed(self, ctx: CallContext, texts: list[str]) -> npt.NDArray[np.float32]:
        """Embeddings of `texts` in batches, as one float32 matrix (recent ones cached)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            for text, row in zip(batch, await self._embed_batch(ctx, batch), strict=True):
                self._cache[text] = np.asarray(row, dtype=np.float32)
        found = []
        for text in texts:
            self._cache.move_to_end(text)
            found.append(self._cache[text])
        while len(self._cache) > EMBED_CACHE:
            self._cache.popitem(last=False)
        if not found:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack(found).astype(np.float32)

    async def _embed_batch(self, ctx: CallContext, texts: list[str]) -> list[Any]:
        request = EmbeddingRequest(input=texts, encoding_format="float")
        reply = await self.models.embed(ctx, request, self.deployment)
        return [item["embedding"] for item in reply["data"]]

    async def _embed_for_ingest(
        self, ctx: CallContext, texts: list[str], budget: Budget
    ) -> npt.NDArray[np.float32]:
        rows: list[Any] = []
        for start in range(0, len(texts), INGEST_BATCH):
            budget.check()
            async with self._embed_slots:
                budget.check()
                batch = texts[start : start + INGEST_BATCH]
                rows.extend(await _within(budget, self._embed_batch(ctx, batch)))
        return np.asarray(rows, dtype=np.float32)

    async def ingest(
        self, ctx: CallContext, kb_id: str, files: list[tuple[str, bytes]]
    ) -> list[IngestResult]:
        """Add files; an unchanged file is a no-op, a changed one replaces its chunks, and a
        broken one fails alone. Cancelling the call stops the work, threads included."""
        tenant = ctx.principal.tenant
        with closing(self.store.open(tenant, kb_id)) as kb:
            known = {d.name: d.sha256 for d in kb.documents()}
        budget = Budget(self.budget_s)
        results = []
        try:
            for name, data in files:
                try:
                    result = await self._one(
                        ctx, tenant, kb_id, name, data, known.get(name), budget
                    )
                except TandemError as exc:
                    result = IngestResult(name, "failed", error=exc.message)
                results.append(result)
        finally:
            budget.cancel()  # a worker thread still parsing for this call stops at its next check
        return results

    async def _one(
        self,
        ctx: CallContext,
        tenant: str,
        kb_id: str,
        name: str,
        data: bytes,
        known: str | None,
        budget: Budget,
    ) -> IngestResult:
        if len(data) > MAX_DOCUMENT_BYTES:
            raise PayloadTooLargeError(f"{name}: larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
        if known == hashlib.sha256(data).hexdigest():
            return IngestResult(name, "unchanged")
        budget.check()
        pieces = await self._parse(name, data, budget)
        if not pieces:
            raise InvalidRequestError(f"{name}: no text to index", param="files")
        texts = [f"{p.section}\n{p.text}".strip() for p in pieces]
        vectors = await self._embed_for_ingest(ctx, texts, budget)
        budget.check()

        def store() -> str:
            with closing(self.store.open(tenant, kb_id)) as kb:
                return kb.put(name, data, pieces, vectors).id

        document_id = await asyncio.to_thread(store)
        return IngestResult(name, "replaced" if known else "added", document_id, len(pieces))

    async def _parse(self, name: str, data: bytes, budget: Budget) -> list[Chunk]:
        """Extract and chunk in a worker thread; its slot is freed when the thread ends, not
        when we stop waiting for it, so abandoned parses cannot pile up."""

        def work() -> list[Chunk]:
            return chunk(extract(name, data, budget.check), budget.check)

        await _within(budget, self._parse_slots.acquire())
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, contextvars.copy_context().run, work)
        future.add_done_callback(self._parsed)
        return await _within(budget, asyncio.shield(future))

    def _parsed(self, future: asyncio.Future[list[Chunk]]) -> None:
        self._parse_slots.release()
        if not future.cancelled():
            future.exception()  # retrieved: nobody may be waiting for an abandoned parse

    async def expand(self, ctx: CallContext, kb_id: str, query: str) -> str:
        """The query read in the knowledge base's own words: short forms ("amex"), chat
        shorthand ("b4") and misspellings followed by what they stand for."""

        def work() -> str:
            with closing(self.store.open(ctx.principal.tenant, kb_id)) as kb:
                return kb.vocabulary().expand(query)

        return await asyncio.to_thread(work)

    async def search(
        self,
        ctx: CallContext,
        kb_id: str,
        query: str,
        top_k: int,
        *,
        rerank: bool = False,
        expand: bool = True,
    ) -> list[Hit]:
        """The best chunks for `query`: BM25 and vectors fused over the query read in the
        knowledge base's own words (unless `expand` is off: the caller expanded it), then,
        with `rerank`, reordered by their best sentence."""
        if not query.strip():
            raise InvalidRequestError("query must not be empty", param="query")
        tenant = ctx.principal.tenant
        expanded = await self.expand(ctx, kb_id, query) if expand else query
        vector = (await self.embed(ctx, [expanded]))[0]
        wanted = max(top_k, RERANK_CANDIDATES) if rerank else top_k

        def find() -> list[Hit]:
            with closing(self.store.open(tenant, kb_id)) as kb:
                return kb.search(expanded, vector, wanted)

        hits = await asyncio.to_thread(find)
        if not rerank or not hits:
            return hits
        return (await self.rerank(ctx, vector, hits))[:top_k]

    async def rerank(
        self, ctx: CallContext, vector: npt.NDArray[np.float32], hits: list[Hit]
    ) -> list[Hit]:
        """`hits` reordered by sentence-level similarity to the query's `vector`."""
        pieces = [units(h.chunk) for h in hits]
        flat = [u for p in pieces for u in p]
        matrix = await self.embed(ctx, flat) if flat else np.zeros((0, 0), dtype=np.float32)
        per_hit, start = [], 0
        for p in pieces:
            per_hit.append(matrix[start : start + len(p)])
            start += len(p)
        return rerank(vector, hits, per_hit)
