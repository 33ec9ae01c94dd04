"""Deployment management at run time: /admin/deployments (platform admins)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from tandem.config import DeploymentConfig
from tandem.http.bodies import JSONRoute
from tandem.http.deps import PlatformAdminDep, PlatformDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes
from tandem.routing.deployments import describe

router = APIRouter(prefix="/admin", tags=["admin"], route_class=JSONRoute)


@router.get("/deployments")
async def list_deployments(admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """Every deployment with its state."""
    return JSONBytes({"object": "list", "data": [describe(d) for d in platform.deployments]})


@router.get("/deployments/{name}")
async def get_deployment(name: str, admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """One deployment with its state."""
    return JSONBytes(describe(platform.deployments.get(name)))


@router.post("/deployments", status_code=201, responses=errors(409))
async def add_deployment(
    config: DeploymentConfig, admin: PlatformAdminDep, platform: PlatformDep
) -> Response:
    """Add a deployment; it is kept across restarts."""
    deployment = await platform.add_deployment(config, admin)
    return JSONBytes(describe(deployment), status_code=201)


@router.delete("/deployments/{name}")
async def remove_deployment(name: str, admin: PlatformAdminDep, platform: PlatformDep) -> Response:
    """Remove a deployment added at run time."""
    await platform.remove_deployment(name, admin)
    return JSONBytes({"id": name, "deleted": True})
