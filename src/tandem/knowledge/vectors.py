"""Chunk embeddings held in memory per knowledge base, so a query is one matrix product
instead of reading every vector from disk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.errors import InvalidRequestError
from tandem.knowledge.generations import GenerationCache


@dataclass(frozen=True)
class VectorIndex:
    """Unit-length embeddings of a knowledge base's chunks, with their row ids."""

    ids: npt.NDArray[np.int64]
    matrix: npt.NDArray[np.float32]

    @classmethod
    def build(cls, rows: list[tuple[int, bytes]]) -> VectorIndex:
        """From (chunk id, little-endian float32 blob) rows."""
        if not rows:
            return cls(np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return cls(ids, (matrix / np.maximum(norms, 1e-9)).astype(np.float32))

    def updated(self, current: npt.NDArray[np.int64], rows: list[tuple[int, bytes]]) -> VectorIndex:
        """This index with the chunks not in `current` dropped and `rows` (the chunks
        added since) appended: what a reload would give, at the cost of the new rows."""
        fresh = VectorIndex.build(rows)
        keep = np.isin(self.ids, current)
        if not fresh.ids.size:
            return VectorIndex(self.ids[keep], self.matrix[keep])
        if not keep.any() or self.matrix.shape[1] != fresh.matrix.shape[1]:
            return fresh
        ids = np.concatenate([self.ids[keep], fresh.ids])
        matrix = np.vstack([self.matrix[keep], fresh.matrix])
        order = np.argsort(ids, kind="stable")  # `cosines` looks ids up by binary search
        return VectorIndex(ids[order], matrix[order])

    def similarities(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine similarity of `vector` to every chunk, in row order."""
        if self.matrix.shape[0] and self.matrix.shape[1] != vector.shape[0]:
            raise InvalidRequestError("the embedding model changed since documents were added")
        unit = vector / (np.linalg.norm(vector) or 1.0)
        result: npt.NDArray[np.float32] = self.matrix @ unit.astype(np.float32)
        return result

    def cosines(self, ids: list[int], vector: npt.NDArray[np.float32]) -> list[float]:
        """Cosine similarity of `vector` to the chunks `ids` (which must be in the index)."""
        if not ids:
            return []
        rows = np.searchsorted(self.ids, ids)
        unit = vector / (np.linalg.norm(vector) or 1.0)
        return [float(c) for c in self.matrix[rows] @ unit.astype(np.float32)]

    def top(self, vector: npt.NDArray[np.float32], n: int) -> list[tuple[int, float]]:
        """The `n` most similar chunks as (id, cosine), best first."""
        if not len(self.ids):
            return []
        scores = self.similarities(vector)
        n = min(n, len(scores))
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best])]
        return [(int(self.ids[i]), float(scores[i])) for i in best]


class VectorCache(GenerationCache[VectorIndex]):
    """The most recently used knowledge bases' indexes, rebuilt when their generation moves."""
