"""The console on an app built with fakes, behind a static admin key."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tests.fakes import FakeBackend

ADMIN_KEY = "console-admin-key"


@pytest.fixture
def console_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        admin_key=ADMIN_KEY,
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "other", "backend": "fake"}),
        ],
    )


@pytest.fixture
async def console_platform(console_settings: Settings) -> AsyncIterator[Platform]:
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", FakeBackend)
    platform = Platform.build(console_settings, registry)
    await platform.start()
    await platform.wait_started()
    yield platform
    await platform.stop()


@pytest.fixture
async def web(
    console_settings: Settings, console_platform: Platform
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(console_settings, console_platform)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, key: str) -> httpx.Response:
    page = await client.get("/console/signin")
    return await client.post("/console/signin", data={"csrf": csrf_of(page.text), "key": key})
