"""/readyz reflects whether each deployment can serve: a deployment whose only backend is
failing is not ready; one with a healthy fallback is, and says which serves for it."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    def deployment(name: str, **extra: object) -> DeploymentConfig:
        return DeploymentConfig.model_validate({"name": name, "backend": "fake", **extra})

    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        deployments=[
            deployment("main", fallbacks=["spare"]),
            deployment("spare"),
            deployment("alone"),
            deployment("fake-embed"),
        ],
    )


def _fail(platform: Platform, name: str) -> None:
    for target in platform.deployments.get(name).targets:
        target.health.cooldown_until = time.monotonic() + 60  # as after repeated failures


async def test_all_healthy_is_ready(client: httpx.AsyncClient) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert ready.json()["details"]["main"] == {"state": "ready", "served_by": "main"}


async def test_a_failing_deployment_with_a_healthy_fallback_is_degraded_but_ready(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    _fail(platform, "main")
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["details"]["main"] == {"state": "cooling_down", "served_by": "spare"}
    assert body["deployments"]["main"] is True


async def test_a_failing_deployment_without_a_fallback_is_not_ready(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    _fail(platform, "alone")
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["details"]["alone"] == {"state": "cooling_down", "served_by": None}
    assert body["deployments"]["alone"] is False


async def test_a_fallback_that_is_failing_too_does_not_count(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    _fail(platform, "main")
    _fail(platform, "spare")
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["details"]["main"]["served_by"] is None
