"""Both knowledge-base stores behave alike: a SQLite file per base, and shared PostgreSQL
tables that two platform processes (replicas) read and write together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tandem.errors import NotFoundError
from tandem.knowledge.chunking import chunk
from tandem.knowledge.postgres import SharedKnowledgeStore
from tandem.knowledge.store import KnowledgeBases, KnowledgeStore
from tandem.store.engine import Database
from tests.databases import postgres_schema

PAGES = {
    "refunds.md": "# Refunds\n\nA refund reaches your card within 5 business days.",
    "shipping.md": "# Shipping\n\nExpress delivery costs 9 euros and takes one day.",
    "warranty.md": "# Warranty\n\nLaptops carry a two year warranty against defects.",
}


def _vector(seed: int) -> npt.NDArray[np.float32]:
    vector = np.zeros(8, dtype=np.float32)
    vector[seed] = 1.0
    return vector


def _add(kb: object, name: str, seed: int) -> str:
    pieces = chunk(PAGES[name])
    vectors = np.stack([_vector(seed)] * len(pieces))
    return kb.put(name, PAGES[name].encode(), pieces, vectors).id  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[KnowledgeBases]]:
    """Two stores over the same knowledge bases, as two replicas would hold them."""
    if request.param == "sqlite":
        yield [KnowledgeStore(tmp_path / "kb"), KnowledgeStore(tmp_path / "kb")]
        return
    with postgres_schema() as url:
        databases = [Database(url), Database(url)]
        try:
            yield [SharedKnowledgeStore(db) for db in databases]
        finally:
            for db in databases:
                db.dispose()


def test_keyword_and_vector_rankings_are_fused(stores: list[KnowledgeBases]) -> None:
    store = stores[0]
    kb_id = store.create("acme", "help")
    with closing(store.open("acme", kb_id)) as kb:
        for seed, name in enumerate(PAGES):
            _add(kb, name, seed)
        by_words = kb.search("how long does a refund take", _vector(5), 3)
        by_vector = kb.search("zzz", _vector(2), 3)
        assert [d.name for d in kb.documents()] == list(PAGES)
        assert kb.name == "help"
    assert by_words[0].document == "refunds.md"
    assert by_words[0].title == "Refunds"
    assert by_vector[0].document == "warranty.md"
    assert by_vector[0].similarity == pytest.approx(1.0)


def test_a_document_added_by_one_replica_is_found_by_the_other(
    stores: list[KnowledgeBases],
) -> None:
    one, other = stores
    kb_id = one.create("acme", "help")
    with closing(one.open("acme", kb_id)) as kb:
        _add(kb, "refunds.md", 0)
    with closing(other.open("acme", kb_id)) as kb:
        assert [h.document for h in kb.search("refund card", _vector(0), 5)] == ["refunds.md"]
        before = kb.generation
    with closing(one.open("acme", kb_id)) as kb:
        shipping = _add(kb, "shipping.md", 1)
        kb.delete(next(d.id for d in kb.documents() if d.name == "refunds.md"))
    with closing(other.open("acme", kb_id)) as kb:
        assert kb.generation > before
        # The other replica's cached vectors and vocabulary were of the old generation.
        assert [h.document_id for h in kb.search("refund express", _vector(0), 5)] == [shipping]
        assert "express" in kb.vocabulary().words


def test_replacing_a_document_replaces_its_chunks(stores: list[KnowledgeBases]) -> None:
    store = stores[0]
    kb_id = store.create("acme", "help")
    with closing(store.open("acme", kb_id)) as kb:
        _add(kb, "refunds.md", 0)
        pieces = chunk("# Refunds\n\nRefunds now take 10 business days.")
        kb.put("refunds.md", b"v2", pieces, np.stack([_vector(0)] * len(pieces)))
        found = kb.search("refund business days", _vector(0), 5)
        assert len(kb.documents()) == 1
    assert [h.chunk for h in found] == ["Refunds now take 10 business days."]


def test_tenants_see_only_their_own(stores: list[KnowledgeBases]) -> None:
    store = stores[0]
    mine = store.create("acme", "mine")
    store.create("globex", "theirs")
    assert store.list("acme") == [(mine, "mine")]
    for call in (store.open, store.require, store.delete):
        with pytest.raises(NotFoundError):
            call("globex", mine)
    with closing(store.open("acme", mine)) as kb, pytest.raises(NotFoundError):
        kb.delete("doc_0000000000000000")


def test_a_deleted_knowledge_base_is_gone_for_every_replica(
    stores: list[KnowledgeBases],
) -> None:
    one, other = stores
    kb_id = one.create("acme", "help")
    with closing(other.open("acme", kb_id)) as kb:
        _add(kb, "refunds.md", 0)
    one.delete("acme", kb_id)
    assert other.list("acme") == []
    with pytest.raises(NotFoundError):
        other.open("acme", kb_id)


def test_an_updated_index_equals_a_reloaded_one() -> None:
    from tandem.knowledge.vectors import VectorIndex

    rng = np.random.default_rng(5)
    rows = [(i, rng.standard_normal(8).astype("<f4").tobytes()) for i in range(1, 21)]
    held = VectorIndex.build(rows)
    kept = [r for r in rows if r[0] % 3]  # some chunks deleted
    added = [(i, rng.standard_normal(8).astype("<f4").tobytes()) for i in (25, 22, 30)]
    now = sorted(kept + added)
    updated = held.updated(np.array([r[0] for r in now], dtype=np.int64), sorted(added))
    reloaded = VectorIndex.build(now)
    assert updated.ids.tolist() == reloaded.ids.tolist()
    np.testing.assert_allclose(updated.matrix, reloaded.matrix)
    query = rng.standard_normal(8).astype(np.float32)
    assert updated.top(query, 5) == reloaded.top(query, 5)
    assert updated.cosines([22, 30], query) == reloaded.cosines([22, 30], query)
