"""/healthz (process alive), /readyz (models loaded), /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from tandem.api.deps import PlatformDep
from tandem.api.responses import JSONBytes

router = APIRouter(tags=["ops"])


@router.get("/healthz")
async def healthz() -> Response:
    """The process is up and serving HTTP."""
    return JSONBytes({"status": "ok"})


@router.get("/readyz")
async def readyz(platform: PlatformDep) -> Response:
    """Ready when every deployment has a backend that can serve."""
    states = {d.name: d.ready for d in platform.deployments}
    ready = all(states.values())
    return JSONBytes(
        {"status": "ready" if ready else "loading", "deployments": states},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics(platform: PlatformDep) -> Response:
    """Prometheus exposition."""
    return Response(generate_latest(platform.metrics.registry), media_type=CONTENT_TYPE_LATEST)
