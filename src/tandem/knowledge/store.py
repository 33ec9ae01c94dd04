"""A knowledge base on disk: one SQLite file with documents, chunks, an FTS5 index (BM25)
and the chunks' embeddings; retrieval fuses keyword and vector rankings (RRF).

This is the embedded default. On PostgreSQL the same interface (`OpenKnowledgeBase`,
`KnowledgeBases`) is served from shared tables (see tandem.knowledge.postgres), so every
replica searches the same knowledge bases.

Each tenant's files live in a folder named from a digest of the tenant (see
tandem.store.paths). Earlier versions named it from a sanitised tenant name, which two
tenants could share; such a folder is left where it is and never read, because whose
knowledge bases it holds cannot be told from its name.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import uuid
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from tandem.errors import InvalidRequestError, NotFoundError
from tandem.knowledge.chunking import Chunk
from tandem.knowledge.generations import GenerationCache
from tandem.knowledge.vectors import VectorCache, VectorIndex
from tandem.knowledge.vocabulary import Vocabulary
from tandem.store.paths import tenant_folder

log = logging.getLogger(__name__)

RRF_K = 60
# Question words carry no topic; matching them lets BM25 rank noise above the answer.
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """
        a an the and or but if of to in on at by for with from as is are was were be been being do
        does did have has had i me my we our you your it its this that these those what which who
        whom how when where why can could would should will shall may might must not no so than
        then there here about into over any some all just also get got need want please
        """,
    )
)
CANDIDATES = 30
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, chunks INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, document_id TEXT NOT NULL, position INTEGER NOT NULL,
    section TEXT NOT NULL, text TEXT NOT NULL, embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks (document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, section, content='chunks', content_rowid='id', tokenize='porter unicode61'
);
"""


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk."""

    document: str
    document_id: str
    title: str
    chunk: str
    position: int
    score: float
    similarity: float = 0.0
    relevance: float = 0.0  # after reranking: sentence-level similarity blended in


@dataclass(frozen=True)
class Document:
    """A document in a knowledge base."""

    id: str
    name: str
    sha256: str
    chunks: int
    created_at: str


class OpenKnowledgeBase(Protocol):
    """A knowledge base opened for one use (close it after): a file, or shared tables."""

    @property
    def ident(self) -> str:
        """Names this knowledge base in caches (with `generation`, a cache key)."""
        ...

    @property
    def generation(self) -> int:
        """Moves on every change to the chunks."""
        ...

    @property
    def name(self) -> str:
        """The knowledge base's name."""
        ...

    def close(self) -> None:
        """Release what was opened."""

    def documents(self) -> list[Document]:
        """Documents in the order they were added."""
        ...

    def find(self, name: str) -> Document | None:
        """The document called `name`, if any."""
        ...

    def put(
        self, name: str, data: bytes, chunks: list[Chunk], vectors: npt.NDArray[np.float32]
    ) -> Document:
        """Add a document, replacing one of the same name."""
        ...

    def delete(self, document_id: str) -> None:
        """Remove a document and its chunks (404 if unknown)."""

    def search(self, query: str, vector: npt.NDArray[np.float32], top_k: int) -> list[Hit]:
        """Chunks ranked by keyword and vector rankings fused."""
        ...

    def vocabulary(self) -> Vocabulary:
        """The knowledge base's words and short forms."""
        ...


class KnowledgeBases(Protocol):
    """A tenant's knowledge bases: create, open, list, delete."""

    def create(self, tenant: str, name: str) -> str:
        """A new, empty knowledge base; its id."""
        ...

    def require(self, tenant: str, kb_id: str) -> object:
        """Raise 404 unless `tenant` has the knowledge base `kb_id`."""
        ...

    def open(self, tenant: str, kb_id: str) -> OpenKnowledgeBase:
        """An open knowledge base (close it after use), or 404."""
        ...

    def list(self, tenant: str) -> list[tuple[str, str]]:
        """(id, name) of a tenant's knowledge bases."""
        ...

    def delete(self, tenant: str, kb_id: str) -> None:
        """Remove a knowledge base and everything in it."""


def keyword_terms(query: str) -> list[str]:
    """The query's words that carry its topic (at most 32), for a keyword index."""
    terms = [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1 and t not in STOPWORDS]
    return terms[:32]


def fuse(
    keyword: list[int], index: VectorIndex, vector: npt.NDArray[np.float32], top_k: int
) -> list[tuple[int, float, float]]:
    """(chunk id, fused score, cosine) of the `top_k` best chunks: reciprocal-rank fusion of
    the keyword ranking and the vector ranking; each carries its cosine similarity to the
    query (an absolute relevance signal)."""
    similarity = dict(index.top(vector, CANDIDATES))
    scores: dict[int, float] = {}
    for ranking in (keyword, list(similarity)):
        for rank, rowid in enumerate(ranking):
            scores[rowid] = scores.get(rowid, 0.0) + 1.0 / (RRF_K + rank + 1)
    best = sorted(scores.items(), key=lambda item: -item[1])[:top_k]
    missing = [rowid for rowid, _ in best if rowid not in similarity]
    similarity.update(zip(missing, index.cosines(missing, vector), strict=True))
    return [(rowid, score, similarity[rowid]) for rowid, score in best]


def hits(
    ranked: list[tuple[int, float, float]], rows: Iterable[tuple[int, str, str, str, str, int]]
) -> list[Hit]:
    """Hits in `ranked` order from (chunk id, document, document id, section, text,
    position) rows; a chunk deleted meanwhile is left out."""
    found = {row[0]: row[1:] for row in rows}
    result = []
    for rowid, score, cosine in ranked:
        if rowid in found:
            document, document_id, title, text, position = found[rowid]
            result.append(
                Hit(document, document_id, title, text, position, round(score, 6), round(cosine, 4))
            )
    return result


class KnowledgeBase:
    """One knowledge base file. Not shared across threads: open one per use."""

    def __init__(
        self,
        path: Path,
        vectors: VectorCache | None = None,
        vocabularies: VocabularyCache | None = None,
    ) -> None:
        self.path = path
        self.vectors = vectors or VectorCache(capacity=1)
        self.vocabularies = vocabularies or VocabularyCache(capacity=1)
        self.db = sqlite3.connect(path)
        self.db.executescript(_SCHEMA)

    @property
    def ident(self) -> str:
        """The file's path: names this knowledge base in caches."""
        return str(self.path)

    @property
    def generation(self) -> int:
        """Moves on every change to the chunks (cached vectors older than it are stale)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def close(self) -> None:
        """Close the file."""
        self.db.close()

    @property
    def name(self) -> str:
        """The knowledge base's name."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'name'").fetchone()
        return str(row[0]) if row else ""

    def documents(self) -> list[Document]:
        """Documents in the order they were added."""
        rows = self.db.execute(
            "SELECT id, name, sha256, chunks, created_at FROM documents ORDER BY created_at"
        )
        return [Document(*row) for row in rows]

    def find(self, name: str) -> Document | None:
        """The document called `name`, if any."""
        row = self.db.execute(
            "SELECT id, name, sha256, chunks, created_at FROM documents WHERE name = ?", (name,)
        ).fetchone()
        return Document(*row) if row else None

    def put(
        self, name: str, data: bytes, chunks: list[Chunk], vectors: npt.NDArray[np.float32]
    ) -> Document:
        """Add a document, replacing one of the same name (its old chunks go)."""
        digest = hashlib.sha256(data).hexdigest()
        old = self.find(name)
        document = Document(
            f"doc_{uuid.uuid4().hex[:16]}",
            name,
            digest,
            len(chunks),
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self.db:
            self._bump()
            if old is not None:
                self._delete_chunks(old.id)
                self.db.execute("DELETE FROM documents WHERE id = ?", (old.id,))
            self.db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                (document.id, name, digest, len(chunks), document.created_at),
            )
            for piece, vector in zip(chunks, vectors, strict=True):
                cursor = self.db.execute(
                    "INSERT INTO chunks (document_id, position, section, text, embedding) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        document.id,
                        piece.position,
                        piece.section,
                        piece.text,
                        vector.astype("<f4").tobytes(),
                    ),
                )
                self.db.execute(
                    "INSERT INTO chunks_fts (rowid, text, section) VALUES (?, ?, ?)",
                    (cursor.lastrowid, piece.text, piece.section),
                )
        return document

    def delete(self, document_id: str) -> None:
        """Remove a document and its chunks."""
        with self.db:
            if (
                self.db.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
                is None
            ):
                raise NotFoundError(f"no document '{document_id}'", param="document")
            self._bump()
            self._delete_chunks(document_id)
            self.db.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def _delete_chunks(self, document_id: str) -> None:
        rows = self.db.execute(
            "SELECT id, text, section FROM chunks WHERE document_id = ?", (document_id,)
        ).fetchall()
        for rowid, text, section in rows:
            self.db.execute(
                "INSERT INTO chunks_fts (chunks_fts, rowid, text, section) "
                "VALUES ('delete', ?, ?, ?)",
                (rowid, text, section),
            )
        self.db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))

    def search(self, query: str, vector: npt.NDArray[np.float32], top_k: int) -> list[Hit]:
        """Chunks ranked by reciprocal-rank fusion of BM25 and cosine similarity."""
        index = self.vectors.get(self.ident, self.generation, self._index)
        ranked = fuse(self._keyword(query), index, vector, top_k)
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self.db.execute(
            "SELECT c.id, d.name, d.id, c.section, c.text, c.position FROM chunks c "
            f"JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
            [rowid for rowid, _, _ in ranked],
        )
        return hits(ranked, rows)

    def vocabulary(self) -> Vocabulary:
        """The knowledge base's words and short forms (cached until the chunks change)."""
        return self.vocabularies.get(self.ident, self.generation, self._texts)

    def _texts(self) -> Vocabulary:
        rows = self.db.execute("SELECT section, text FROM chunks")
        return Vocabulary.build(f"{section}\n{text}" for section, text in rows)

    def _index(self) -> VectorIndex:
        return VectorIndex.build(
            self.db.execute("SELECT id, embedding FROM chunks ORDER BY id").fetchall()
        )

    def _keyword(self, query: str) -> list[int]:
        terms = keyword_terms(query)
        if not terms:
            return []
        expression = " OR ".join(f'"{t}"' for t in terms)
        rows = self.db.execute(
            "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? "
            "ORDER BY bm25(chunks_fts) LIMIT ?",
            (expression, CANDIDATES),
        ).fetchall()
        return [r[0] for r in rows]


class VocabularyCache(GenerationCache[Vocabulary]):
    """Vocabularies of the most recently searched knowledge bases, per generation."""


class KnowledgeStore:
    """Knowledge bases per tenant, one file each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vectors = VectorCache()
        self.vocabularies = VocabularyCache()
        self._warned: set[str] = set()

    def _path(self, tenant: str, kb_id: str) -> Path:
        if not re.fullmatch(r"kb_[0-9a-f]{16}", kb_id):
            raise NotFoundError(f"no knowledge base '{kb_id}'", param="knowledge_base")
        return self._folder(tenant) / f"{kb_id}.db"

    def _folder(self, tenant: str) -> Path:
        if tenant not in self._warned:  # once per tenant and process: the check costs a stat
            self._warned.add(tenant)
            legacy = self.root / re.sub(r"[^A-Za-z0-9_.-]", "_", tenant)
            if (
                legacy.resolve().parent == self.root.resolve()
                and not re.fullmatch(r"t[0-9a-f]{32}", legacy.name)  # a new-style folder
                and any(legacy.glob("kb_*.db"))
            ):
                log.warning(
                    "knowledge bases in the old folder %s are not served to tenant %r: tenants "
                    "whose names sanitise alike shared it; move them by hand",
                    legacy,
                    tenant,
                )
        return tenant_folder(self.root, tenant)

    def create(self, tenant: str, name: str) -> str:
        """A new, empty knowledge base; its id."""
        if not name.strip() or len(name) > 200:
            raise InvalidRequestError("name must be 1-200 characters", param="name")
        kb_id = f"kb_{uuid.uuid4().hex[:16]}"
        path = self._path(tenant, kb_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(KnowledgeBase(path)) as kb, kb.db:
            kb.db.execute("INSERT INTO meta VALUES ('name', ?)", (name,))
            kb.db.execute(
                "INSERT INTO meta VALUES ('created_at', ?)",
                (datetime.now(UTC).isoformat(timespec="seconds"),),
            )
        return kb_id

    def require(self, tenant: str, kb_id: str) -> Path:
        """The file of a knowledge base of `tenant`, or 404."""
        path = self._path(tenant, kb_id)
        if not path.is_file():
            raise NotFoundError(f"no knowledge base '{kb_id}'", param="knowledge_base")
        return path

    def open(self, tenant: str, kb_id: str) -> KnowledgeBase:
        """An open knowledge base (close it after use), or 404."""
        return KnowledgeBase(self.require(tenant, kb_id), self.vectors, self.vocabularies)

    def list(self, tenant: str) -> list[tuple[str, str]]:
        """(id, name) of a tenant's knowledge bases."""
        folder = self._folder(tenant)
        found = []
        for path in sorted(folder.glob("kb_*.db")) if folder.is_dir() else []:
            with closing(KnowledgeBase(path)) as kb:
                found.append((path.stem, kb.name))
        return found

    def delete(self, tenant: str, kb_id: str) -> None:
        """Remove a knowledge base and its file."""
        path = self.require(tenant, kb_id)
        self.vectors.drop(str(path))
        self.vocabularies.drop(str(path))
        path.unlink()


__all__ = [
    "Document",
    "Hit",
    "KnowledgeBase",
    "KnowledgeBases",
    "KnowledgeStore",
    "OpenKnowledgeBase",
]
