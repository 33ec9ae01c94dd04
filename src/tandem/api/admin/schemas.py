"""Wire models of the governance admin routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tandem.store.models import ApiKey, AuditEntry
from tandem.wire import JSONObject


class CreateKey(BaseModel):
    """Body of POST /admin/keys."""

    model_config = ConfigDict(extra="forbid")

    tenant: str | None = Field(default=None, max_length=64, description="default: your tenant")
    project: str = Field(default="default", max_length=64)
    name: str = Field(default="", max_length=128)
    scope: Literal["user", "admin"] = "user"
    deployments: list[str] | None = None
    rpm: int | None = Field(default=None, ge=1)
    tpm: int | None = Field(default=None, ge=1)
    budget_usd: float | None = Field(default=None, ge=0)
    expires_at: datetime | None = None


class SetBudget(BaseModel):
    """Body of PUT /admin/budgets/{project}."""

    model_config = ConfigDict(extra="forbid")

    budget_usd: float | None = Field(ge=0)
    tenant: str | None = None


def key_view(row: ApiKey) -> JSONObject:
    """A key's record, never its secret."""
    return {
        "id": row.id,
        "prefix": f"sk-{row.prefix}",
        "tenant": row.tenant,
        "project": row.project,
        "name": row.name,
        "scope": row.scope,
        "deployments": row.deployments,
        "rpm": row.rpm,
        "tpm": row.tpm,
        "budget_usd": row.budget_usd,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "revoked": row.revoked_at is not None,
        "created_at": row.created_at.isoformat(),
    }


def audit_view(row: AuditEntry) -> JSONObject:
    """An audit entry as JSON."""
    return {
        "id": row.id,
        "ts": row.ts.isoformat(),
        "tenant": row.tenant,
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "details": row.details,
        "hash": row.hash,
    }
