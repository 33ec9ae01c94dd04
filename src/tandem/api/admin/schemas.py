"""Wire models of the governance admin routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tandem.store.models import ApiKey, AuditEntry
from tandem.wire import JSONObject

# Limits are stored in 32-bit integer columns (PostgreSQL INTEGER); budgets bounded likewise,
# so a huge number is a 400 here, not an overflow in the database.
MAX_LIMIT = 2**31 - 1
MAX_BUDGET_USD = 1e12
MAX_BUDGET_TOKENS = 10**15  # a BIGINT column


class CreateKey(BaseModel):
    """Body of POST /admin/keys."""

    model_config = ConfigDict(extra="forbid")

    tenant: str | None = Field(default=None, max_length=64, description="default: your tenant")
    project: str = Field(default="default", max_length=64)
    name: str = Field(default="", max_length=128)
    scope: Literal["user", "admin"] = "user"
    deployments: list[str] | None = None
    rpm: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    tpm: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    budget_usd: float | None = Field(default=None, ge=0, le=MAX_BUDGET_USD)
    budget_tokens: int | None = Field(default=None, ge=0, le=MAX_BUDGET_TOKENS)
    expires_at: datetime | None = None


class SetBudget(BaseModel):
    """Body of PUT /admin/budgets/{project}: the monthly limits, each null (or left out)
    for none; both null removes the budget."""

    model_config = ConfigDict(extra="forbid")

    budget_usd: float | None = Field(default=None, ge=0, le=MAX_BUDGET_USD)
    budget_tokens: int | None = Field(default=None, ge=0, le=MAX_BUDGET_TOKENS)
    tenant: str | None = Field(default=None, max_length=64)


class SetTenantBudget(BaseModel):
    """Body of PUT /admin/tenants/{tenant}/budget: the whole tenant's monthly limits."""

    model_config = ConfigDict(extra="forbid")

    budget_usd: float | None = Field(default=None, ge=0, le=MAX_BUDGET_USD)
    budget_tokens: int | None = Field(default=None, ge=0, le=MAX_BUDGET_TOKENS)


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
        "budget_tokens": row.budget_tokens,
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


class KeyView(BaseModel):
    """An API key's record (never its secret)."""

    id: str
    prefix: str
    tenant: str
    project: str
    name: str
    scope: str
    deployments: list[str] | None
    rpm: int | None
    tpm: int | None
    budget_usd: float | None
    budget_tokens: int | None
    expires_at: str | None
    revoked: bool
    created_at: str


class IssuedKey(KeyView):
    """A new key's record with its secret, shown this once."""

    key: str


class KeyList(BaseModel):
    """Keys of a tenant."""

    object: Literal["list"]
    data: list[KeyView]


class AuditView(BaseModel):
    """One entry of the hash-chained audit log."""

    id: int
    ts: str
    tenant: str
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    hash: str


class AuditList(BaseModel):
    """Audit entries, newest first."""

    object: Literal["list"]
    data: list[AuditView]


class AuditCheck(BaseModel):
    """The result of checking the audit log's hash chain."""

    ok: bool
    entries: int
    problems: list[str]


class BudgetView(BaseModel):
    """A project's (or, with project null, a whole tenant's) monthly budget."""

    tenant: str
    project: str | None
    budget_usd: float | None
    budget_tokens: int | None


class BudgetList(BaseModel):
    """Budgets of projects and (project null) of whole tenants."""

    object: Literal["list"]
    data: list[BudgetView]
