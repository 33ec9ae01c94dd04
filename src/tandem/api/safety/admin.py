"""Safety administration: policies per deployment (platform admins) and the review queue
(tenant admins, for their tenant)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from tandem.api.safety.schemas import ReviewDecision
from tandem.errors import NotFoundError
from tandem.http.bodies import JSONRoute
from tandem.http.deps import AdminDep, PlatformAdminDep, PlatformDep
from tandem.http.responses import JSONBytes
from tandem.safety.policy import DEFAULT, SafetyPolicy
from tandem.safety.review import Decision
from tandem.store.models import ReviewItem
from tandem.wire import JSONObject

router = APIRouter(prefix="/admin", tags=["safety admin"], route_class=JSONRoute)


def review_view(row: ReviewItem) -> JSONObject:
    """A review item as JSON."""
    return {
        "id": row.id,
        "tenant": row.tenant,
        "kind": row.kind,
        "deployment": row.deployment,
        "request_id": row.request_id,
        "content": row.content,
        "findings": row.findings,
        "status": row.status,
        "reviewer": row.reviewer,
        "note": row.note,
        "created_at": row.created_at.isoformat(),
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
    }


@router.get("/safety/policies")
def list_policies(admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """Stored policies, and the one in force when none is stored."""
    stored = platform.safety.policies.list()
    data = {name: p.model_dump(mode="json") for name, p in stored.items()}
    data.setdefault(DEFAULT, SafetyPolicy().model_dump(mode="json"))
    return JSONBytes({"object": "list", "data": data})


@router.get("/safety/policies/{deployment}", responses={200: {"model": SafetyPolicy}})
def get_policy(deployment: str, admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """The policy in force for a deployment."""
    return JSONBytes(platform.safety.policies.for_deployment(deployment).model_dump(mode="json"))


@router.put("/safety/policies/{deployment}", responses={200: {"model": SafetyPolicy}})
def put_policy(
    deployment: str, policy: SafetyPolicy, admin: PlatformAdminDep, platform: PlatformDep
) -> Response:
    """Set a deployment's policy ('default' for every deployment without one)."""
    if deployment != DEFAULT:
        platform.deployments.get(deployment)
    platform.safety.set_policy(admin, deployment, policy)
    return JSONBytes(policy.model_dump(mode="json"))


@router.delete("/safety/policies/{deployment}")
def delete_policy(deployment: str, admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """Remove a stored policy (the deployment falls back to the default)."""
    if not platform.safety.delete_policy(admin, deployment):
        raise NotFoundError(f"no policy is stored for '{deployment}'", param="deployment")
    return JSONBytes({"deployment": deployment, "deleted": True})


@router.get("/review")
def list_review(
    admin: AdminDep, platform: PlatformDep, status: str | None = "pending", limit: int = 100
) -> Response:
    """Review items of your tenant, newest first (`status=all` for every status)."""
    items = platform.safety.review.list(
        admin.tenant_filter(None), None if status == "all" else status, min(max(limit, 1), 1000)
    )
    return JSONBytes({"object": "list", "data": [review_view(i) for i in items]})


@router.get("/review/{item_id}")
def get_review(item_id: str, admin: AdminDep, platform: PlatformDep) -> Response:
    """One review item."""
    return JSONBytes(review_view(platform.safety.review.get(item_id, admin.tenant_filter(None))))


def _decide(
    item_id: str, decision: Decision, body: ReviewDecision, admin: AdminDep, platform: PlatformDep
) -> Response:
    return JSONBytes(review_view(platform.safety.decide(admin, item_id, decision, body.note)))


@router.post("/review/{item_id}/approve")
def approve(
    item_id: str, admin: AdminDep, platform: PlatformDep, body: ReviewDecision | None = None
) -> Response:
    """Mark an item as acceptable (a false positive, or fine in context)."""
    return _decide(item_id, "approved", body or ReviewDecision(), admin, platform)


@router.post("/review/{item_id}/reject")
def reject(
    item_id: str, admin: AdminDep, platform: PlatformDep, body: ReviewDecision | None = None
) -> Response:
    """Confirm an item as a violation."""
    return _decide(item_id, "rejected", body or ReviewDecision(), admin, platform)
