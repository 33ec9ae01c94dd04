"""Keys, usage, audit and budgets under /admin; every query is held to the caller's tenant."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from tandem.api.admin.schemas import (
    AuditCheck,
    AuditList,
    BudgetList,
    BudgetView,
    CreateKey,
    IssuedKey,
    KeyList,
    KeyView,
    SetBudget,
    SetTenantBudget,
    audit_view,
    key_view,
)
from tandem.governance.budgets import Budget, list_budgets
from tandem.governance.keys import KeySpec
from tandem.governance.principal import Principal
from tandem.governance.usage_report import summarize, to_csv
from tandem.http.bodies import JSONRoute
from tandem.http.deps import AdminDep, PlatformAdminDep, PlatformDep
from tandem.http.responses import JSONBytes

router = APIRouter(prefix="/admin", tags=["governance"], route_class=JSONRoute)


def _owned_tenant(admin: Principal, requested: str | None) -> str:
    # Tenant admins act on their own tenant; platform admins name one (or get their own).
    return admin.tenant_filter(requested) or admin.tenant


@router.post("/keys", status_code=201, responses={201: {"model": IssuedKey}})
def create_key(body: CreateKey, admin: AdminDep, platform: PlatformDep) -> Response:
    """Issue a key; its secret is in this response only."""
    tenant = _owned_tenant(admin, body.tenant)
    spec = KeySpec(**{**body.model_dump(), "tenant": tenant})
    issued, row = platform.controls.issue_key(admin, spec)
    return JSONBytes({**key_view(row), "key": issued.secret}, status_code=201)


@router.get("/keys", responses={200: {"model": KeyList}})
def list_keys(admin: AdminDep, platform: PlatformDep, tenant: str | None = None) -> Response:
    """Keys of your tenant (platform admins: every tenant, or `?tenant=`)."""
    rows = platform.controls.keys.list(admin.tenant_filter(tenant))
    return JSONBytes({"object": "list", "data": [key_view(r) for r in rows]})


@router.get("/keys/{key_id}", responses={200: {"model": KeyView}})
def get_key(key_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """One key's record."""
    return JSONBytes(key_view(platform.controls.keys.get(key_id, admin.tenant_filter(None))))


@router.post("/keys/{key_id}/revoke", responses={200: {"model": KeyView}})
def revoke_key(key_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """Revoke a key."""
    row = platform.controls.revoke_key(admin, key_id, admin.tenant_filter(None))
    return JSONBytes(key_view(row))


@router.post("/keys/{key_id}/rotate", status_code=201, responses={201: {"model": IssuedKey}})
def rotate_key(key_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """Replace a key with a new secret and the same rights; the old key is revoked."""
    issued, row = platform.controls.rotate_key(admin, key_id, admin.tenant_filter(None))
    return JSONBytes({**key_view(row), "key": issued.secret}, status_code=201)


@router.get("/usage")
async def usage(
    admin: AdminDep,
    platform: PlatformDep,
    group_by: Annotated[list[str] | None, Query()] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    tenant: str | None = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Usage totals, grouped (`group_by=day&group_by=deployment`), as JSON or CSV."""
    groups = group_by or ["day"]
    await platform.controls.ledger.flush()
    rows = await asyncio.to_thread(
        summarize,
        platform.controls.db,
        tenant=admin.tenant_filter(tenant),
        group_by=groups,
        since=since,
        until=until,
    )
    if format == "csv":
        return Response(to_csv(rows, groups), media_type="text/csv")
    return JSONBytes({"object": "list", "group_by": groups, "data": rows})


@router.get("/audit", responses={200: {"model": AuditList}})
def audit(
    admin: AdminDep,
    platform: PlatformDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    action: str | None = None,
    tenant: str | None = None,
) -> Response:
    """Audit entries of your tenant, newest first."""
    rows = platform.controls.audit.list(admin.tenant_filter(tenant), limit=limit, action=action)
    return JSONBytes({"object": "list", "data": [audit_view(r) for r in rows]})


@router.get("/audit/verify", responses={200: {"model": AuditCheck}})
def verify_audit(admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """Check the whole hash chain (platform admins: it spans every tenant)."""
    result = platform.controls.audit.verify()
    return JSONBytes({"ok": result.ok, "entries": result.entries, "problems": result.problems})


@router.get("/budgets", responses={200: {"model": BudgetList}})
def budgets(admin: AdminDep, platform: PlatformDep, tenant: str | None = None) -> Response:
    """Budgets of your tenant's projects and of the tenant itself (platform admins: every
    tenant, or `?tenant=`); a key's own budget is in its record."""
    rows = list_budgets(platform.controls.db, admin.tenant_filter(tenant))
    return JSONBytes({"object": "list", "data": [_budget_view(t, p, b) for t, p, b in rows]})


@router.put("/budgets/{project}", responses={200: {"model": BudgetView}})
def set_budget(
    project: Annotated[str, Path(max_length=64)],
    body: SetBudget,
    admin: AdminDep,
    platform: PlatformDep,
) -> Response:
    """Set a project's monthly budget in USD and/or tokens (`null` or left out: no limit of
    that kind; both: no budget)."""
    tenant = _owned_tenant(admin, body.tenant)
    budget = Budget(body.budget_usd, body.budget_tokens)
    platform.controls.set_budget(admin, tenant, project, budget)
    return JSONBytes(_budget_view(tenant, project, budget))


@router.put("/tenants/{tenant}/budget", responses={200: {"model": BudgetView}})
def set_tenant_budget(
    tenant: Annotated[str, Path(min_length=1, max_length=64)],
    body: SetTenantBudget,
    admin: PlatformAdminDep,
    platform: PlatformDep,
) -> Response:
    """Set a whole tenant's monthly budget in USD and/or tokens (platform admins)."""
    budget = Budget(body.budget_usd, body.budget_tokens)
    platform.controls.set_budget(admin, tenant, None, budget)
    return JSONBytes(_budget_view(tenant, None, budget))


def _budget_view(tenant: str, project: str | None, budget: Budget) -> dict[str, object]:
    return {
        "tenant": tenant,
        "project": project,
        "budget_usd": budget.usd,
        "budget_tokens": budget.tokens,
    }
