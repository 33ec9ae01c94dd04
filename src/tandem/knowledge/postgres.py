"""Knowledge bases in the platform's PostgreSQL, so every replica serves the same ones.

Documents and chunks are rows of shared tables; keyword search is PostgreSQL's own full
text search (a generated `tsvector` of each chunk's section and text, a GIN index, ranked
with `ts_rank`); the chunks' embeddings are stored beside them. Each replica keeps the
vectors of recently searched knowledge bases in memory (one matrix product per query) and
reloads them when the knowledge base's generation counter, moved in the same transaction
as every change, is no longer the one it loaded: a document ingested on one replica is
found by the next search on any other, with no shared disk.

The tables are created on first use (like the SQLite files' schema), under an advisory
lock so replicas starting together do not race.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
import zlib
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, text

from tandem.errors import InvalidRequestError, NotFoundError
from tandem.knowledge.chunking import Chunk
from tandem.knowledge.store import (
    CANDIDATES,
    Document,
    Hit,
    VocabularyCache,
    fuse,
    hits,
    keyword_terms,
)
from tandem.knowledge.vectors import VectorCache, VectorIndex
from tandem.knowledge.vocabulary import Vocabulary
from tandem.store.engine import Database

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS knowledge_bases (
        id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL,
        created_at TEXT NOT NULL, generation BIGINT NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS knowledge_bases_tenant ON knowledge_bases (tenant)",
    """CREATE TABLE IF NOT EXISTS knowledge_documents (
        id TEXT PRIMARY KEY,
        kb_id TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        name TEXT NOT NULL, sha256 TEXT NOT NULL, chunks INTEGER NOT NULL,
        created_at TEXT NOT NULL, seq BIGSERIAL, UNIQUE (kb_id, name)
    )""",
    """CREATE TABLE IF NOT EXISTS knowledge_chunks (
        id BIGSERIAL PRIMARY KEY,
        kb_id TEXT NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        document_id TEXT NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
        position INTEGER NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL,
        embedding BYTEA NOT NULL,
        terms TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('english', section), 'B') || to_tsvector('english', text)
        ) STORED
    )""",
    "CREATE INDEX IF NOT EXISTS knowledge_chunks_kb ON knowledge_chunks (kb_id, id)",
    "CREATE INDEX IF NOT EXISTS knowledge_chunks_document ON knowledge_chunks (document_id)",
    "CREATE INDEX IF NOT EXISTS knowledge_chunks_terms ON knowledge_chunks USING GIN (terms)",
)
_LOCK = zlib.crc32(b"tandem knowledge schema")
_KB_ID = r"kb_[0-9a-f]{16}"


class SharedKnowledgeBase:
    """One knowledge base in the shared tables, opened for one use."""

    def __init__(
        self,
        db: Database,
        kb_id: str,
        name: str,
        generation: int,
        vectors: VectorCache,
        vocabularies: VocabularyCache,
    ) -> None:
        self.db = db
        self.kb_id = kb_id
        self._name = name
        self._generation = generation
        self.vectors = vectors
        self.vocabularies = vocabularies

    @property
    def ident(self) -> str:
        """Names this knowledge base in caches."""
        return f"postgresql:{self.kb_id}"

    @property
    def name(self) -> str:
        """The knowledge base's name."""
        return self._name

    @property
    def generation(self) -> int:
        """Moves on every change to the chunks, whichever replica made it: as read when this
        handle was opened, or as its own last change left it."""
        return self._generation

    def close(self) -> None:
        """Nothing is held open: each call borrows a pooled connection."""

    def documents(self) -> list[Document]:
        """Documents in the order they were added."""
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, name, sha256, chunks, created_at FROM knowledge_documents "
                    "WHERE kb_id = :kb ORDER BY seq"
                ),
                {"kb": self.kb_id},
            )
            return [Document(*row) for row in rows]

    def find(self, name: str) -> Document | None:
        """The document called `name`, if any."""
        with self.db.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT id, name, sha256, chunks, created_at FROM knowledge_documents "
                    "WHERE kb_id = :kb AND name = :name"
                ),
                {"kb": self.kb_id, "name": name},
            ).first()
        return Document(*row) if row else None

    def put(
        self, name: str, data: bytes, chunks: list[Chunk], vectors: npt.NDArray[np.float32]
    ) -> Document:
        """Add a document, replacing one of the same name (its old chunks go), in one
        transaction that also moves the generation."""
        document = Document(
            f"doc_{uuid.uuid4().hex[:16]}",
            name,
            hashlib.sha256(data).hexdigest(),
            len(chunks),
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self.db.engine.begin() as connection:
            self._bump(connection)  # locks the row: writers of one knowledge base take turns
            connection.execute(
                text("DELETE FROM knowledge_documents WHERE kb_id = :kb AND name = :name"),
                {"kb": self.kb_id, "name": name},
            )
            connection.execute(
                text(
                    "INSERT INTO knowledge_documents (id, kb_id, name, sha256, chunks, created_at) "
                    "VALUES (:id, :kb, :name, :sha256, :chunks, :created_at)"
                ),
                {
                    "id": document.id,
                    "kb": self.kb_id,
                    "name": name,
                    "sha256": document.sha256,
                    "chunks": document.chunks,
                    "created_at": document.created_at,
                },
            )
            if chunks:
                connection.execute(
                    text(
                        "INSERT INTO knowledge_chunks "
                        "(kb_id, document_id, position, section, text, embedding) "
                        "VALUES (:kb, :document, :position, :section, :text, :embedding)"
                    ),
                    [
                        {
                            "kb": self.kb_id,
                            "document": document.id,
                            "position": piece.position,
                            "section": piece.section,
                            "text": piece.text,
                            "embedding": vector.astype("<f4").tobytes(),
                        }
                        for piece, vector in zip(chunks, vectors, strict=True)
                    ],
                )
        return document

    def delete(self, document_id: str) -> None:
        """Remove a document and its chunks."""
        with self.db.engine.begin() as connection:
            self._bump(connection)
            gone = connection.execute(
                text("DELETE FROM knowledge_documents WHERE id = :id AND kb_id = :kb"),
                {"id": document_id, "kb": self.kb_id},
            ).rowcount
            if not gone:
                raise NotFoundError(f"no document '{document_id}'", param="document")

    def _bump(self, connection: Connection) -> None:
        moved = connection.execute(
            text(
                "UPDATE knowledge_bases SET generation = generation + 1 WHERE id = :kb "
                "RETURNING generation"
            ),
            {"kb": self.kb_id},
        ).scalar()
        if moved is None:
            raise NotFoundError(f"no knowledge base '{self.kb_id}'", param="knowledge_base")
        self._generation = int(moved)

    def search(self, query: str, vector: npt.NDArray[np.float32], top_k: int) -> list[Hit]:
        """Chunks ranked by reciprocal-rank fusion of PostgreSQL's text ranking and cosine
        similarity."""
        index = self.vectors.get(self.ident, self.generation, self._index, self._update)
        ranked = fuse(self._keyword(query), index, vector, top_k)
        if not ranked:
            return []
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT c.id, d.name, d.id, c.section, c.text, c.position "
                    "FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id "
                    "WHERE c.id = ANY(:ids)"
                ),
                {"ids": [rowid for rowid, _, _ in ranked]},
            ).all()
        return hits(ranked, [tuple(row) for row in rows])

    def vocabulary(self) -> Vocabulary:
        """The knowledge base's words and short forms (cached until the chunks change)."""
        return self.vocabularies.get(self.ident, self.generation, self._texts)

    def _texts(self) -> Vocabulary:
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT section, text FROM knowledge_chunks WHERE kb_id = :kb"),
                {"kb": self.kb_id},
            ).all()
        return Vocabulary.build(f"{section}\n{body}" for section, body in rows)

    def _index(self) -> VectorIndex:
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, embedding FROM knowledge_chunks WHERE kb_id = :kb ORDER BY id"),
                {"kb": self.kb_id},
            ).all()
        return VectorIndex.build([(int(rowid), bytes(blob)) for rowid, blob in rows])

    def _update(self, held: VectorIndex) -> VectorIndex:
        """`held` brought up to date: the chunk ids now (8 bytes each), then only the
        embeddings added since (ids are never reused, so a held one never changed)."""
        with self.db.engine.connect() as connection:
            current = np.fromiter(
                connection.execute(
                    text("SELECT id FROM knowledge_chunks WHERE kb_id = :kb ORDER BY id"),
                    {"kb": self.kb_id},
                ).scalars(),
                dtype=np.int64,
            )
            new = np.setdiff1d(current, held.ids, assume_unique=True)
            rows = (
                connection.execute(
                    text(
                        "SELECT id, embedding FROM knowledge_chunks "
                        "WHERE id = ANY(:ids) ORDER BY id"
                    ),
                    {"ids": [int(i) for i in new]},
                ).all()
                if new.size
                else []
            )
        return held.updated(current, [(int(rowid), bytes(blob)) for rowid, blob in rows])

    def _keyword(self, query: str) -> list[int]:
        terms = keyword_terms(query)
        if not terms:
            return []
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT c.id FROM knowledge_chunks c, to_tsquery('english', :q) query "
                    "WHERE c.kb_id = :kb AND c.terms @@ query "
                    "ORDER BY ts_rank(c.terms, query, 1) DESC, c.id LIMIT :n"
                ),
                {"q": " | ".join(terms), "kb": self.kb_id, "n": CANDIDATES},
            ).all()
        return [int(row[0]) for row in rows]


class SharedKnowledgeStore:
    """Knowledge bases per tenant in the platform's PostgreSQL."""

    def __init__(self, db: Database) -> None:
        if db.dialect != "postgresql":
            raise ValueError("shared knowledge bases need PostgreSQL")
        self.db = db
        self.vectors = VectorCache()
        self.vocabularies = VocabularyCache()
        self._ready = False
        self._lock = threading.Lock()

    def _schema(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            with self.db.engine.begin() as connection:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
                for statement in _SCHEMA:
                    connection.execute(text(statement))
            self._ready = True

    def create(self, tenant: str, name: str) -> str:
        """A new, empty knowledge base; its id."""
        if not name.strip() or len(name) > 200:
            raise InvalidRequestError("name must be 1-200 characters", param="name")
        self._schema()
        kb_id = f"kb_{uuid.uuid4().hex[:16]}"
        with self.db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO knowledge_bases VALUES (:id, :tenant, :name, :at, 0)"),
                {
                    "id": kb_id,
                    "tenant": tenant,
                    "name": name,
                    "at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
            )
        return kb_id

    def _row(self, tenant: str, kb_id: str) -> tuple[str, int]:
        self._schema()
        with self.db.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT name, generation FROM knowledge_bases "
                    "WHERE id = :id AND tenant = :tenant"
                ),
                {"id": kb_id, "tenant": tenant},
            ).first()
        if row is None:
            raise NotFoundError(f"no knowledge base '{kb_id}'", param="knowledge_base")
        return str(row[0]), int(row[1])

    def require(self, tenant: str, kb_id: str) -> str:
        """The knowledge base's name, or 404 if `tenant` has no such knowledge base."""
        return self._row(tenant, kb_id)[0]

    def open(self, tenant: str, kb_id: str) -> SharedKnowledgeBase:
        """An open knowledge base (its generation read now), or 404."""
        name, generation = self._row(tenant, kb_id)
        return SharedKnowledgeBase(
            self.db, kb_id, name, generation, self.vectors, self.vocabularies
        )

    def list(self, tenant: str) -> list[tuple[str, str]]:
        """(id, name) of a tenant's knowledge bases, oldest first."""
        self._schema()
        with self.db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, name FROM knowledge_bases WHERE tenant = :tenant "
                    "ORDER BY created_at, id"
                ),
                {"tenant": tenant},
            ).all()
        return [(str(kb_id), str(name)) for kb_id, name in rows]

    def delete(self, tenant: str, kb_id: str) -> None:
        """Remove a knowledge base with its documents and chunks."""
        self._schema()
        with self.db.engine.begin() as connection:
            gone = connection.execute(
                text("DELETE FROM knowledge_bases WHERE id = :id AND tenant = :tenant"),
                {"id": kb_id, "tenant": tenant},
            ).rowcount
        if not gone:
            raise NotFoundError(f"no knowledge base '{kb_id}'", param="knowledge_base")
        self.vectors.drop(f"postgresql:{kb_id}")
        self.vocabularies.drop(f"postgresql:{kb_id}")


__all__ = ["SharedKnowledgeBase", "SharedKnowledgeStore"]
