"""Ingesting documents and searching knowledge bases, with embeddings from the platform's
own embedding deployment (so keys, quotas and the ledger apply)."""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.api.openai.service import CallContext, ModelService
from tandem.errors import InvalidRequestError, PayloadTooLargeError, TandemError
from tandem.knowledge.chunking import chunk
from tandem.knowledge.extract import extract
from tandem.knowledge.store import Hit, KnowledgeStore
from tandem.wire import EmbeddingRequest

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
EMBED_BATCH = 128


@dataclass(frozen=True)
class IngestResult:
    """What happened to one uploaded file."""

    name: str
    status: str  # added, replaced, unchanged, failed
    document_id: str | None = None
    chunks: int = 0
    error: str | None = None


class KnowledgeService:
    """Knowledge bases of a tenant: ingest, list, search."""

    def __init__(self, store: KnowledgeStore, models: ModelService, deployment: str) -> None:
        self.store = store
        self.models = models
        self.deployment = deployment

    async def embed(self, ctx: CallContext, texts: list[str]) -> npt.NDArray[np.float32]:
        """Embeddings of `texts` in batches, as one float32 matrix."""
        rows: list[Any] = []
        for start in range(0, len(texts), EMBED_BATCH):
            request = EmbeddingRequest(
                input=texts[start : start + EMBED_BATCH], encoding_format="float"
            )
            reply = await self.models.embed(ctx, request, self.deployment)
            rows.extend(item["embedding"] for item in reply["data"])
        return np.asarray(rows, dtype=np.float32)

    async def ingest(
        self, ctx: CallContext, kb_id: str, files: list[tuple[str, bytes]]
    ) -> list[IngestResult]:
        """Add files; an unchanged file is a no-op, a changed one replaces its chunks, and a
        broken one fails alone."""
        tenant = ctx.principal.tenant
        with closing(self.store.open(tenant, kb_id)) as kb:
            known = {d.name: d.sha256 for d in kb.documents()}
        results = []
        for name, data in files:
            try:
                results.append(await self._one(ctx, tenant, kb_id, name, data, known.get(name)))
            except TandemError as exc:
                results.append(IngestResult(name, "failed", error=exc.message))
        return results

    async def _one(
        self, ctx: CallContext, tenant: str, kb_id: str, name: str, data: bytes, known: str | None
    ) -> IngestResult:
        if len(data) > MAX_DOCUMENT_BYTES:
            raise PayloadTooLargeError(f"{name}: larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
        if known == hashlib.sha256(data).hexdigest():
            return IngestResult(name, "unchanged")
        text = await asyncio.to_thread(extract, name, data)
        pieces = chunk(text)
        if not pieces:
            raise InvalidRequestError(f"{name}: no text to index", param="files")
        vectors = await self.embed(ctx, [f"{p.section}\n{p.text}".strip() for p in pieces])

        def store() -> str:
            with closing(self.store.open(tenant, kb_id)) as kb:
                return kb.put(name, data, pieces, vectors).id

        document_id = await asyncio.to_thread(store)
        return IngestResult(name, "replaced" if known else "added", document_id, len(pieces))

    async def search(self, ctx: CallContext, kb_id: str, query: str, top_k: int) -> list[Hit]:
        """The best chunks for `query` (BM25 and vectors, fused)."""
        if not query.strip():
            raise InvalidRequestError("query must not be empty", param="query")
        vector = (await self.embed(ctx, [query]))[0]

        def find() -> list[Hit]:
            with closing(self.store.open(ctx.principal.tenant, kb_id)) as kb:
                return kb.search(query, vector, top_k)

        return await asyncio.to_thread(find)
