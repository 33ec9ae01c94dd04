"""/healthz (process alive), /readyz (deployments able to serve), /metrics (Prometheus)."""

from __future__ import annotations

import time
from typing import Literal

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.responses import Response

from tandem.http.deps import PlatformDep
from tandem.http.responses import JSONBytes

router = APIRouter(tags=["ops"])


class Health(BaseModel):
    """The process is serving."""

    status: Literal["ok"]


class DeploymentReadiness(BaseModel):
    """One deployment's state, and the fallback that serves for it when it cannot."""

    state: Literal["ready", "loading", "cooling_down"]
    served_by: str | None


class Readiness(BaseModel):
    """Whether each deployment can serve."""

    status: Literal["ready", "loading", "degraded", "unavailable"]
    deployments: dict[str, bool]
    details: dict[str, DeploymentReadiness]


_NOT_READY = {
    "model": Readiness,
    "description": "Some deployment can serve neither itself nor through a fallback.",
}


@router.get("/healthz", responses={200: {"model": Health}})
async def healthz() -> Response:
    """The process is up and serving HTTP."""
    return JSONBytes({"status": "ok"})


@router.get("/readyz", responses={200: {"model": Readiness}, 503: _NOT_READY})
async def readyz(platform: PlatformDep) -> Response:
    """Ready when every deployment can serve, itself or through a healthy fallback; a
    deployment whose only backend is failing (cooling down, or its server not answering) is
    not ready."""
    await platform.deployments.probe.refresh(platform.deployments)
    now = time.monotonic()
    table = {d.name: d for d in platform.deployments}
    details: dict[str, dict[str, str | None]] = {}
    for name, deployment in table.items():
        state = deployment.state(now)
        served_by = (
            name
            if state == "ready"
            else next(
                (f for f in deployment.config.fallbacks if f in table and table[f].serving(now)),
                None,
            )
        )
        details[name] = {"state": state, "served_by": served_by}
    unserved = [n for n, d in details.items() if d["served_by"] is None]
    if not unserved:
        status = "ready" if all(d["state"] == "ready" for d in details.values()) else "degraded"
    elif any(details[n]["state"] == "loading" for n in unserved):
        status = "loading"
    else:
        status = "unavailable"
    return JSONBytes(
        {
            "status": status,
            "deployments": {n: d["served_by"] is not None for n, d in details.items()},
            "details": details,
        },
        status_code=200 if not unserved else 503,
    )


@router.get("/metrics")
async def metrics(platform: PlatformDep) -> Response:
    """Prometheus exposition."""
    return Response(generate_latest(platform.metrics.registry), media_type=CONTENT_TYPE_LATEST)
