"""The second retrieval stage: candidates from the fused BM25 + vector ranking, reordered by
how well their best sentence matches the query.

A chunk embedding averages a whole section, so the one sentence that answers a question can
be drowned by its neighbours; the shipped MiniLM compares the query with each sentence (or
list item, or table row) of the candidates instead, and the chunk's own similarity and its
first-stage rank still count.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from tandem.knowledge.store import Hit
from tandem.knowledge.text import split_sentences

SENTENCE_WEIGHT = 0.55
CHUNK_WEIGHT = 0.35
RANK_WEIGHT = 0.1
MIN_UNIT_CHARS = 12


def units(chunk: str) -> list[str]:
    """The readable units of a chunk: its sentences, list items and table rows."""
    found: list[str] = []
    for line in chunk.split("\n"):
        line = line.strip().removeprefix("- ")
        if not line:
            continue
        pieces = [line] if "; " in line and ": " in line else split_sentences(line)
        found.extend(p for p in pieces if len(p) >= MIN_UNIT_CHARS)
    return found


def rerank(
    query: npt.NDArray[np.float32], hits: list[Hit], unit_vectors: list[npt.NDArray[np.float32]]
) -> list[Hit]:
    """`hits` reordered, each with its `relevance`; `unit_vectors[i]` embeds `units()` of
    hit i (rows; empty when the chunk has none)."""
    unit = query / (np.linalg.norm(query) + 1e-9)
    scored = []
    for rank, (hit, matrix) in enumerate(zip(hits, unit_vectors, strict=True)):
        best = hit.similarity
        if matrix.size:
            rows = matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9)
            best = float(np.max(rows @ unit))
        prior = 1.0 - rank / max(len(hits), 1)
        relevance = SENTENCE_WEIGHT * best + CHUNK_WEIGHT * hit.similarity + RANK_WEIGHT * prior
        scored.append(replace(hit, relevance=round(relevance, 4)))
    return sorted(scored, key=lambda h: -h.relevance)
