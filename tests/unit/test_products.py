"""Products plug into the core through factories: routes mounted, started and stopped in
order, a failing one left out while the rest serve."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, Request

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import Settings
from tandem.errors import NotFoundError
from tandem.platform import Platform
from tandem.products import ENTRY_POINT_GROUP, Product, installed_factories

EVENTS: list[str] = []


class Echo:
    """A third-party-style product: one route, start/stop hooks, a core service it uses."""

    name = "echo"

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.started = False

    def routers(self) -> Sequence[APIRouter]:
        router = APIRouter()

        @router.get("/v1/echo")
        async def echo(request: Request) -> dict[str, object]:
            me = request.app.state.platform.product("echo", Echo)
            return {"started": me.started, "deployments": len(list(me.platform.deployments))}

        return [router]

    async def start(self) -> None:
        self.started = True
        EVENTS.append("start echo")

    async def stop(self) -> None:
        EVENTS.append("stop echo")


def broken(platform: Platform) -> Product:
    raise RuntimeError("this product cannot build")


async def test_a_product_serves_its_routes_and_follows_the_platform(
    settings: Settings, registry: BackendRegistry
) -> None:
    EVENTS.clear()
    platform = Platform.build(settings, registry, products={"echo": Echo, "broken": broken})
    assert list(platform.products) == ["echo"]  # the broken one is left out, logged
    app = create_app(settings, platform)
    await platform.start()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            body = (await client.get("/v1/echo")).json()
        assert body["started"] is True
    finally:
        await platform.stop()
    assert EVENTS == ["start echo", "stop echo"]


async def test_asking_for_a_product_not_installed_is_a_404(
    settings: Settings, registry: BackendRegistry
) -> None:
    platform = Platform.build(settings, registry, products={})
    with pytest.raises(NotFoundError, match="not installed"):
        platform.product("echo", Echo)


def test_the_entry_point_group_is_read(tmp_path: Path) -> None:
    # Every installed product factory is callable; the group is the documented one.
    assert ENTRY_POINT_GROUP == "tandem.products"
    assert all(callable(f) for f in installed_factories().values())
