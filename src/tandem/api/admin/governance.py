"""Keys, usage, audit and budgets under /admin; every query is held to the caller's tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from tandem.api.admin.schemas import (
    AuditCheck,
    AuditList,
    BudgetView,
    CreateKey,
    IssuedKey,
    KeyList,
    KeyView,
    SetBudget,
    audit_view,
    key_view,
)
from tandem.api.bodies import JSONRoute
from tandem.api.deps import AdminDep, PlatformAdminDep, PlatformDep
from tandem.api.responses import JSONBytes
from tandem.governance.keys import KeySpec
from tandem.governance.principal import Principal
from tandem.governance.usage_report import summarize, to_csv

router = APIRouter(prefix="/admin", tags=["governance"], route_class=JSONRoute)


def _owned_tenant(admin: Principal, requested: str | None) -> str:
    # Tenant admins act on their own tenant; platform admins name one (or get their own).
    return admin.tenant_filter(requested) or admin.tenant


@router.post("/keys", status_code=201, responses={201: {"model": IssuedKey}})
async def create_key(body: CreateKey, admin: AdminDep, platform: PlatformDep) -> Response:
    """Issue a key; its secret is in this response only."""
    tenant = _owned_tenant(admin, body.tenant)
    spec = KeySpec(**{**body.model_dump(), "tenant": tenant})
    issued = platform.controls.keys.create(spec)
    platform.controls.audit.by(
        admin, tenant=tenant, action="key.create", target=issued.id,
        details={"scope": spec.scope, "project": spec.project, "name": spec.name},
    )  # fmt: skip
    row = platform.controls.keys.get(issued.id, tenant)
    return JSONBytes({**key_view(row), "key": issued.secret}, status_code=201)


@router.get("/keys", responses={200: {"model": KeyList}})
async def list_keys(admin: AdminDep, platform: PlatformDep, tenant: str | None = None) -> Response:
    """Keys of your tenant (platform admins: every tenant, or `?tenant=`)."""
    rows = platform.controls.keys.list(admin.tenant_filter(tenant))
    return JSONBytes({"object": "list", "data": [key_view(r) for r in rows]})


@router.get("/keys/{key_id}", responses={200: {"model": KeyView}})
async def get_key(key_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """One key's record."""
    return JSONBytes(key_view(platform.controls.keys.get(key_id, admin.tenant_filter(None))))


@router.post("/keys/{key_id}/revoke", responses={200: {"model": KeyView}})
async def revoke_key(key_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """Revoke a key."""
    row = platform.controls.keys.revoke(key_id, admin.tenant_filter(None))
    platform.controls.audit.by(admin, tenant=row.tenant, action="key.revoke", target=key_id)
    return JSONBytes(key_view(row))


@router.post("/keys/{key_id}/rotate", status_code=201, responses={201: {"model": IssuedKey}})
async def rotate_key(key_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """Replace a key with a new secret and the same rights; the old key is revoked."""
    issued = platform.controls.keys.rotate(key_id, admin.tenant_filter(None))
    row = platform.controls.keys.get(issued.id, None)
    platform.controls.audit.by(
        admin, tenant=row.tenant, action="key.rotate", target=key_id,
        details={"new_key": issued.id},
    )  # fmt: skip
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
    rows = summarize(
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
async def audit(
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
async def verify_audit(admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """Check the whole hash chain (platform admins: it spans every tenant)."""
    result = platform.controls.audit.verify()
    return JSONBytes({"ok": result.ok, "entries": result.entries, "problems": result.problems})


@router.put("/budgets/{project}", responses={200: {"model": BudgetView}})
async def set_budget(
    project: Annotated[str, Path(max_length=64)],
    body: SetBudget,
    admin: AdminDep,
    platform: PlatformDep,
) -> Response:
    """Set or clear (`null`) a project's monthly budget in USD."""
    tenant = _owned_tenant(admin, body.tenant)
    platform.controls.budgets.set_project_budget(tenant, project, body.budget_usd)
    platform.controls.audit.by(
        admin, tenant=tenant, action="budget.set", target=project,
        details={"budget_usd": body.budget_usd},
    )  # fmt: skip
    return JSONBytes({"tenant": tenant, "project": project, "budget_usd": body.budget_usd})
