"""Retrieval and answering for the support assistant: a message's meaning for handoff,
passages per part of the question, whether the knowledge base covers the question's
subject, the extractive answer and the check that a model's answer may replace it."""

from __future__ import annotations

import asyncio
import re
from contextlib import closing
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.apps.support import compose, evidence, grounding, scope
from tandem.apps.support.handoff import Reason
from tandem.apps.support.intents import IntentIndex, all_examples
from tandem.apps.support.question import parts
from tandem.gateway.service import CallContext
from tandem.knowledge.service import KnowledgeService
from tandem.knowledge.store import Hit

RETRIEVE = 6
PASSAGES = 3
MAX_PASSAGES = 5  # a multi-part question may draw on a passage per part
# A model's sentence must mean what its supporting unit says (all-MiniLM-L6-v2 cosine).
ENTAILED_SIMILARITY = 0.72
# The facts a model's answer must keep: amounts, percentages and durations.
_FACT = re.compile(
    r"[$£€]\s?\d+(?:[.,]\d+)*|\b(?:USD|GBP|EUR|AUD|CAD|NZD)\s?\d+(?:[.,]\d+)*"
    r"|\d+(?:[.,]\d+)*\s?(?:%|p\b)|\d+(?:[.,]\d+)?\s?(?:business |working |"
    r"calendar )?(?:days?|hours?|weeks?|months?|years?|minutes?)\b",
    re.IGNORECASE,
)


@dataclass
class Draft:
    """An answer before it is stored: its text, the passages it cites, how it was made."""

    text: str
    used: list[Hit]
    method: str
    facts: frozenset[str] = frozenset()  # amounts and durations the core of it states


class Answerer:
    """The steps of answering that need the knowledge base and the embedding model."""

    def __init__(self, knowledge: KnowledgeService) -> None:
        self.knowledge = knowledge
        self._intents: IntentIndex | None = None
        self._intents_lock = asyncio.Lock()
        # Embeddings of the last knowledge base's words, keyed by (file, generation).
        self._words: dict[tuple[str, int], npt.NDArray[np.float32]] = {}

    async def meaning(self, ctx: CallContext, text: str) -> dict[Reason, float]:
        """How much nearer the message is to each handoff reason's examples than to
        ordinary questions (see `intents.py`)."""
        async with self._intents_lock:
            if self._intents is None:
                self._intents = IntentIndex(await self.knowledge.embed(ctx, all_examples()))
        vector = (await self.knowledge.embed(ctx, [text]))[0]
        return self._intents.margins(vector)

    async def retrieve(self, ctx: CallContext, kb_id: str, query: str) -> list[Hit]:
        """Reranked passages for the query (already expanded, see `KnowledgeService.expand`),
        and for each of its parts when it has several: the whole query's best first, then
        each part's best not yet among them."""
        search = self.knowledge.search
        found = await search(ctx, kb_id, query, RETRIEVE, rerank=True, expand=False)
        pieces = parts(query)
        if len(pieces) < 2:
            return found
        seen = {(h.document_id, h.position) for h in found[:PASSAGES]}
        extra: list[Hit] = []
        for piece in pieces:
            for hit in (await search(ctx, kb_id, piece, 3, rerank=True, expand=False))[:2]:
                if (hit.document_id, hit.position) not in seen:
                    seen.add((hit.document_id, hit.position))
                    extra.append(hit)
                    break
        rest = [h for h in found[PASSAGES:] if (h.document_id, h.position) not in seen]
        return found[:PASSAGES] + extra + rest

    @staticmethod
    def passages(query: str, hits: list[Hit]) -> list[Hit]:
        """The passages an answer may draw on."""
        count = PASSAGES + (len(parts(query)) - 1 if len(parts(query)) > 1 else 0)
        return hits[: min(count, MAX_PASSAGES)]

    async def out_of_scope(
        self, ctx: CallContext, kb_id: str, question: str, hits: list[Hit]
    ) -> bool:
        """Whether the question's subject is one the knowledge base never writes about: words
        it never uses, with no word of close meaning either, that carry the question's
        meaning (see `scope.py`). `hits` were retrieved for it (nothing is not in scope)."""
        if not hits:
            return True
        tenant = ctx.principal.tenant

        def read() -> tuple[list[str], list[str], tuple[str, int]]:
            with closing(self.knowledge.store.open(tenant, kb_id)) as kb:
                vocabulary = kb.vocabulary()
                key = (kb.ident, kb.generation)
                words = [] if key in self._words else scope.vocabulary_words(vocabulary)
                return scope.unknown_subjects(question, vocabulary), words, key

        missing, words, key = await asyncio.to_thread(read)
        if not missing:
            return False
        if key not in self._words:
            self._words = {key: await self.knowledge.embed(ctx, words or ["-"])}
        vectors = await self.knowledge.embed(ctx, missing)
        alone = [
            w
            for w, far in zip(
                missing, scope.without_synonym(vectors, self._words[key]), strict=True
            )
            if far or scope.branded(question, w)
        ]
        if not alone:
            return False
        texts = [
            question,
            scope.without(question, alone),
            *(scope.without(question, [w]) for w in alone),
        ]
        embedded = await self.knowledge.embed(ctx, texts)
        change = scope.changes_subject(embedded[0], embedded[1])
        if change >= scope.SUBJECT:
            return True
        if change >= scope.OFFERED_SUBJECT and any(scope.offered(question, w) for w in alone):
            return True
        return any(
            scope.named(question, w)
            and scope.changes_subject(embedded[0], v) >= scope.NAMED_SUBJECT
            for w, v in zip(alone, embedded[2:], strict=True)
        )

    async def extract(self, ctx: CallContext, question: str, passages: list[Hit]) -> Draft:
        """The passages' own units that cover the question, each with its citation."""
        candidates = evidence.sentences(passages)
        if not candidates:
            return Draft(f"{passages[0].chunk.strip()} [1]", passages[:1], "extractive")
        pieces = parts(question)
        texts = [question, *pieces, *(f"{c.lead} {c.text}".strip() for c in candidates)]
        vectors = _unit(await self.knowledge.embed(ctx, texts))
        asked, wanted, rows = vectors[0], vectors[1 : 1 + len(pieces)], vectors[1 + len(pieces) :]
        scored = compose.score(question, candidates, rows @ asked, rows @ wanted.T, len(passages))
        chosen, core = compose.select(pieces, scored)
        picked = [candidates[i] for i in chosen]
        facts = frozenset(f for i in core for f in _facts(candidates[i].text))
        used: list[Hit] = []
        for unit in picked:
            if passages[unit.source] not in used:
                used.append(passages[unit.source])
        number = {u.source: used.index(passages[u.source]) + 1 for u in picked}
        text = compose.render(picked, number)
        if not text:
            return Draft(f"{passages[0].chunk.strip()} [1]", passages[:1], "extractive")
        return Draft(text, used, "extractive", facts)

    async def entailed(
        self, ctx: CallContext, answer: str, passages: list[Hit], floor: Draft
    ) -> bool:
        """Whether a model's answer may replace the extractive one: grounded sentence by
        sentence, each meaning what a unit of its cited passage says, and carrying every
        amount and duration the extractive answer (`floor`) found for the question."""
        if not grounding.grounded(answer, passages) or not floor.facts <= _facts(answer):
            return False
        sentences = grounding.claims(answer)
        units = [
            [
                u
                for n in cites
                if 1 <= n <= len(passages)
                for u in grounding.passage_units(passages[n - 1])
            ]
            for _, cites in sentences
        ]
        flat = [u for group in units for u in group]
        vectors = _unit(await self.knowledge.embed(ctx, [s for s, _ in sentences] + flat))
        claims, rows, start = vectors[: len(sentences)], vectors[len(sentences) :], 0
        for claim, group in zip(claims, units, strict=True):
            block = rows[start : start + len(group)]
            start += len(group)
            if not len(group) or float(np.max(block @ claim)) < ENTAILED_SIMILARITY:
                return False
        return True


def _facts(text: str) -> set[str]:
    return {" ".join(f.lower().split()) for f in _FACT.findall(text)}


def _unit(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    result: npt.NDArray[np.float32] = vectors / (
        np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    )
    return result
