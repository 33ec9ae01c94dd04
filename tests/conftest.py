"""Shared fixtures: settings in a temporary data dir, an app on fake backends, an ASGI client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tests.databases import database
from tests.fakes import FakeBackend


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test that asks for it runs on SQLite and on PostgreSQL."""
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with no built-in models and one fake deployment."""
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
        max_body_bytes=64 * 1024,
    )


@pytest.fixture
def registry() -> BackendRegistry:
    """Built-in backends plus the fake."""
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", FakeBackend)
    return registry


@pytest.fixture
async def platform(settings: Settings, registry: BackendRegistry) -> AsyncIterator[Platform]:
    """A started platform."""
    platform = Platform.build(settings, registry)
    await platform.start()
    await platform.wait_started()
    yield platform
    await platform.stop()


@pytest.fixture
def app(settings: Settings, platform: Platform) -> FastAPI:
    """The ASGI app around the started platform."""
    return create_app(settings, platform)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process HTTP client."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def fake_of(platform: Platform, deployment: str = "fake") -> FakeBackend:
    """The fake backend behind a deployment."""
    backend = platform.deployments.get(deployment).targets[0].backend
    assert isinstance(backend, FakeBackend)
    return backend
