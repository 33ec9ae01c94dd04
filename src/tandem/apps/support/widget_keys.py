"""Publishable keys for the chat widget: public by design, so each one is limited to one
knowledge base and the web origins allowed to embed it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from tandem.apps.support.conversations import new_id
from tandem.errors import (
    AuthenticationError,
    InvalidRequestError,
    PermissionDeniedError,
)
from tandem.governance.audit import AuditLog
from tandem.governance.principal import Principal
from tandem.store.engine import Database
from tandem.store.models import WidgetKey
from tandem.store.owned import owned

PREFIX = "pk_"


def normalise_origin(origin: str) -> str:
    """`scheme://host[:port]` in lower case, or a 400 for anything else."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise InvalidRequestError(
            f"'{origin}' is not an origin like https://www.example.com", param="allowed_origins"
        )
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class WidgetKeys:
    """Create, list, revoke and resolve publishable keys."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def create(
        self, actor: Principal, knowledge_base: str, origins: list[str], name: str = ""
    ) -> tuple[WidgetKey, str]:
        """A new key of the actor's tenant and its secret (shown once; only its hash is
        kept), recorded in the audit log."""
        tenant = actor.tenant
        allowed = sorted({normalise_origin(o) for o in origins})
        if not allowed:
            raise InvalidRequestError("list at least one allowed origin", param="allowed_origins")
        secret = PREFIX + secrets.token_hex(20)
        row = WidgetKey(
            id=new_id("wk"),
            key_hash=_digest(secret),
            tenant=tenant,
            knowledge_base=knowledge_base,
            allowed_origins=allowed,
            name=name[:128],
            created_at=datetime.now(UTC),
        )
        with self.db.session() as session, session.begin():
            session.add(row)
        self.audit.by(actor, action="widget_key.create", target=row.id)
        return row, secret

    def list(self, tenant: str) -> list[WidgetKey]:
        """A tenant's keys, newest first."""
        with self.db.session() as session:
            query = select(WidgetKey).where(WidgetKey.tenant == tenant)
            return list(session.scalars(query.order_by(WidgetKey.created_at.desc())))

    def revoke(self, actor: Principal, key_id: str) -> WidgetKey:
        """Stop a key of the actor's tenant from working, recorded in the audit log."""
        with self.db.session() as session, session.begin():
            row = owned(
                session.get(WidgetKey, key_id), actor.tenant, "widget key", key_id, "key_id"
            )
            row.revoked_at = row.revoked_at or datetime.now(UTC)
        self.audit.by(actor, action="widget_key.revoke", target=row.id)
        return row

    def resolve(self, secret: str | None, origin: str | None) -> WidgetKey:
        """The live key behind `secret`, if `origin` may use it (401/403 otherwise)."""
        if not secret or not secret.startswith(PREFIX):
            raise AuthenticationError("a publishable widget key is required")
        with self.db.session() as session:
            row = session.scalar(select(WidgetKey).where(WidgetKey.key_hash == _digest(secret)))
        if row is None or row.revoked_at is not None:
            raise AuthenticationError("the widget key is not valid")
        try:
            allowed = origin is not None and normalise_origin(origin) in row.allowed_origins
        except InvalidRequestError:
            allowed = False
        if not allowed:
            raise PermissionDeniedError(f"origin '{origin or 'none'}' may not use this widget key")
        return row
