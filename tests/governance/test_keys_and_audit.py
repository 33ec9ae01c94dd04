"""Keys and the audit log on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tandem.errors import AuthenticationError, NotFoundError
from tandem.governance.audit import AuditLog
from tandem.governance.keys import KeySpec, KeyStore, hash_secret
from tandem.store.engine import Database
from tandem.store.models import ApiKey, AuditEntry


@pytest.fixture
def db(db_url: str) -> Database:
    database = Database(db_url)
    database.upgrade()
    return database


def test_secret_is_stored_hashed_and_verifies(db: Database) -> None:
    store = KeyStore(db)
    issued = store.create(KeySpec(tenant="acme", project="web", rpm=10, deployments=["smollm2"]))
    assert issued.secret.startswith("sk-")
    with db.session() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.id == issued.id))
    assert row is not None
    assert issued.secret not in (row.secret_hash, row.prefix)
    assert row.secret_hash == hash_secret(issued.secret)
    principal = store.verify(issued.secret)
    assert (principal.tenant, principal.project, principal.rpm) == ("acme", "web", 10)
    assert principal.may_use("smollm2")
    assert not principal.may_use("other")


@pytest.mark.parametrize("bad", ["", "sk-", "not-a-key", "sk-000000000000_wrong", "sk-abc_def"])
def test_wrong_keys_are_refused(db: Database, bad: str) -> None:
    store = KeyStore(db)
    store.create(KeySpec(tenant="acme"))
    with pytest.raises(AuthenticationError):
        store.verify(bad)


def test_right_prefix_wrong_secret_is_refused(db: Database) -> None:
    store = KeyStore(db)
    issued = store.create(KeySpec(tenant="acme"))
    with pytest.raises(AuthenticationError):
        store.verify(issued.secret[:-4] + "AAAA")


def test_revoke_takes_effect_at_once(db: Database) -> None:
    store = KeyStore(db)
    issued = store.create(KeySpec(tenant="acme"))
    store.verify(issued.secret)
    store.revoke(issued.id, "acme")
    with pytest.raises(AuthenticationError):
        store.verify(issued.secret)


def test_rotate_keeps_rights_and_revokes_the_old_secret(db: Database) -> None:
    store = KeyStore(db)
    old = store.create(KeySpec(tenant="acme", scope="admin", tpm=500, budget_usd=3.0))
    new = store.rotate(old.id, "acme")
    principal = store.verify(new.secret)
    assert (principal.scope, principal.tpm, principal.budget_usd) == ("admin", 500, 3.0)
    with pytest.raises(AuthenticationError):
        store.verify(old.secret)


def test_expired_key_is_refused(db: Database) -> None:
    store = KeyStore(db)
    issued = store.create(
        KeySpec(tenant="acme", expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    with pytest.raises(AuthenticationError) as caught:
        store.verify(issued.secret)
    assert caught.value.code == "expired_api_key"


def test_tenant_scoped_operations_do_not_cross_tenants(db: Database) -> None:
    store = KeyStore(db)
    theirs = store.create(KeySpec(tenant="globex"))
    with pytest.raises(NotFoundError):
        store.revoke(theirs.id, "acme")
    with pytest.raises(NotFoundError):
        store.get(theirs.id, "acme")
    assert [k.tenant for k in store.list("acme")] == []


def test_audit_chain_verifies_and_detects_edits_and_deletions(db: Database) -> None:
    audit = AuditLog(db)
    for i in range(5):
        audit.append(tenant="acme", actor="key:1", action="key.create", target=f"k{i}")
    assert audit.verify().ok
    assert audit.verify().entries == 5
    with db.session() as session, session.begin():
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(target="forged"))
    edited = audit.verify()
    assert not edited.ok
    assert any("entry 2" in p and "edited" in p for p in edited.problems)


def test_audit_chain_detects_a_deleted_entry(db: Database) -> None:
    audit = AuditLog(db)
    for i in range(4):
        audit.append(tenant="acme", actor="cli", action="budget.set", target=f"p{i}")
    with db.session() as session, session.begin():
        session.delete(session.get(AuditEntry, 3))
    result = audit.verify()
    assert not result.ok
    assert any("entry 4" in p and "chain broken" in p for p in result.problems)


def test_audit_lists_only_the_asked_tenant(db: Database) -> None:
    audit = AuditLog(db)
    audit.append(tenant="acme", actor="a", action="x")
    audit.append(tenant="globex", actor="b", action="y")
    assert [e.tenant for e in audit.list("acme")] == ["acme"]
    assert len(audit.list(None)) == 2
