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
    settings = None

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


TOY_MODULE = """
from fastapi import APIRouter
from pydantic_settings import BaseSettings, SettingsConfigDict

from tandem.products import product_settings


class ToySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TANDEM_TOY_", extra="forbid")
    greeting: str = "hello"


class Toy:
    name = "toy"

    def __init__(self, platform):
        self.settings = product_settings(platform.settings, "toy", ToySettings)
        self.support = platform.product("support", object)  # another product, built first

    def routers(self):
        router = APIRouter()

        @router.get("/v1/toy")
        async def toy():
            return {"greeting": self.settings.greeting}

        return [router]

    async def start(self):
        pass

    async def stop(self):
        pass


def build(platform):
    return Toy(platform)
"""


async def test_a_product_installed_as_a_distribution_serves_with_no_edit_of_the_core(
    tmp_path: Path, registry: BackendRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A third-party distribution on the path: its module and its `tandem.products` entry
    # point, nothing else. The platform finds it, builds it after the product it needs,
    # gives it its `[toy]` table and mounts its route.
    site = tmp_path / "site"
    (site / "tandem_toy-0.1.dist-info").mkdir(parents=True)
    (site / "tandem_toy.py").write_text(TOY_MODULE)
    (site / "tandem_toy-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: tandem-toy\nVersion: 0.1\n"
    )
    (site / "tandem_toy-0.1.dist-info" / "entry_points.txt").write_text(
        "[tandem.products]\ntoy = tandem_toy:build\n"
    )
    monkeypatch.syspath_prepend(str(site))
    assert "toy" in installed_factories()
    settings = Settings(
        data_dir=tmp_path / "data", builtin_deployments=False, toy={"greeting": "bonjour"}
    )
    platform = Platform.build(settings, registry)
    assert "toy" in platform.products
    names = list(platform.products)
    assert names.index("support") < names.index("toy")
    app = create_app(settings, platform)
    await platform.start()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            reply = await client.get("/v1/toy")
        assert reply.json() == {"greeting": "bonjour"}
    finally:
        await platform.stop()


def test_product_settings_take_the_environment_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.apps.support.product import SupportSettings
    from tandem.products import product_settings

    settings = Settings(data_dir=tmp_path, support={"answer_mode": "extractive", "widget_rpm": 5})
    assert product_settings(settings, "support", SupportSettings).widget_rpm == 5
    monkeypatch.setenv("TANDEM_SUPPORT_WIDGET_RPM", "7")
    chosen = product_settings(settings, "support", SupportSettings)
    assert (chosen.widget_rpm, chosen.answer_mode) == (7, "extractive")
    # The older top-level keys still land in the product's table.
    older = Settings(data_dir=tmp_path, support_answer_mode="generative")
    assert older.products["support"] == {"answer_mode": "generative"}
    with pytest.raises(ValueError, match=r"\[support\] settings are not valid"):
        product_settings(
            Settings(data_dir=tmp_path, support={"nope": 1}), "support", SupportSettings
        )
