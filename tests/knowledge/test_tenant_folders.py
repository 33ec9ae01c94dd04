"""Knowledge-base folders per tenant: named by digest, so names cannot collide or escape."""

from __future__ import annotations

import logging
import re
from contextlib import closing
from pathlib import Path

import pytest

from tandem.errors import NotFoundError
from tandem.knowledge.store import KnowledgeBase, KnowledgeStore
from tandem.store.paths import tenant_folder


def test_tenant_names_that_sanitise_alike_do_not_share_knowledge_bases(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path / "knowledge")
    spaced = store.create("x y", "spaced")
    underscored = store.create("x_y", "underscored")
    assert store.list("x y") == [(spaced, "spaced")]
    assert store.list("x_y") == [(underscored, "underscored")]
    with pytest.raises(NotFoundError):
        store.open("x_y", spaced)
    with pytest.raises(NotFoundError):
        store.require("x y", underscored)


@pytest.mark.parametrize("tenant", ["..", "../..", "../outside", "/", ".", "", "a/../../b"])
def test_dotdot_tenant_stays_inside_root(tmp_path: Path, tenant: str) -> None:
    root = tmp_path / "data" / "knowledge"
    store = KnowledgeStore(root)
    kb_id = store.create(tenant, "mine")
    path = store.require(tenant, kb_id)
    assert path.resolve().parent.parent == root.resolve()
    assert path.parent == tenant_folder(root, tenant)
    # Nothing was written beside the root, and the tenant sees only its own base.
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["knowledge"]
    assert store.list(tenant) == [(kb_id, "mine")]
    others = {"..", "../..", "../outside", "/", ".", "", "a/../../b"} - {tenant}
    assert all(store.list(other) == [] for other in others)


def test_old_sanitised_folder_is_left_alone_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "knowledge"
    legacy = root / "x_y"  # where "x y" and "x_y" both wrote before
    legacy.mkdir(parents=True)
    kb_file = legacy / "kb_0123456789abcdef.db"
    with closing(KnowledgeBase(kb_file)) as kb, kb.db:
        kb.db.execute("INSERT INTO meta VALUES ('name', 'shared')")
    store = KnowledgeStore(root)
    with caplog.at_level(logging.WARNING, logger="tandem.knowledge.store"):
        assert store.list("x y") == []
        assert store.list("x_y") == []
        with pytest.raises(NotFoundError):
            store.open("x y", "kb_0123456789abcdef")
    assert kb_file.is_file()  # neither adopted nor removed
    warned = [r.getMessage() for r in caplog.records if "not served" in r.getMessage()]
    assert len(warned) == 2  # once per tenant
    assert all(str(legacy) in message for message in warned)


def test_folder_names_are_fixed_length_digests(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path)
    store.create("Ünïcode tenant / with slashes", "kb")
    (folder,) = tmp_path.iterdir()
    assert re.fullmatch(r"t[0-9a-f]{32}", folder.name)
