"""/healthz (process alive), /readyz (models loaded), /metrics (Prometheus)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.responses import Response

from tandem.api.deps import PlatformDep
from tandem.api.responses import JSONBytes

router = APIRouter(tags=["ops"])


class Health(BaseModel):
    """The process is serving."""

    status: Literal["ok"]


class Readiness(BaseModel):
    """Whether each deployment can serve."""

    status: Literal["ready", "loading"]
    deployments: dict[str, bool]


_LOADING = {"model": Readiness, "description": "Some deployment is still loading."}


@router.get("/healthz", responses={200: {"model": Health}})
async def healthz() -> Response:
    """The process is up and serving HTTP."""
    return JSONBytes({"status": "ok"})


@router.get("/readyz", responses={200: {"model": Readiness}, 503: _LOADING})
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
