"""Deployment management at run time through /admin, and who may use it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import Settings
from tandem.platform import Platform

NEW = {"name": "extra", "backend": "fake", "options": {"name": "x"}, "fallbacks": ["fake"]}


async def test_add_list_remove_round_trip(client: httpx.AsyncClient) -> None:
    created = await client.post("/admin/deployments", json=NEW)
    assert created.status_code == 201
    assert created.json()["source"] == "runtime"
    names = [d["name"] for d in (await client.get("/admin/deployments")).json()["data"]]
    assert "extra" in names
    chat = await client.post(
        "/v1/chat/completions",
        json={"model": "extra", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert chat.status_code == 200
    removed = await client.delete("/admin/deployments/extra")
    assert removed.json() == {"id": "extra", "deleted": True}
    assert (await client.get("/admin/deployments/extra")).status_code == 404


async def test_runtime_deployments_survive_a_restart(
    client: httpx.AsyncClient, settings: Settings, registry: BackendRegistry
) -> None:
    await client.post("/admin/deployments", json=NEW)
    restarted = Platform.build(settings, registry)
    await restarted.start()
    try:
        assert restarted.deployments.get("extra").source == "runtime"
    finally:
        await restarted.stop()


async def test_duplicate_name_is_409(client: httpx.AsyncClient) -> None:
    response = await client.post("/admin/deployments", json={**NEW, "name": "fake"})
    assert response.status_code == 409


async def test_bad_backend_options_are_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/admin/deployments", json={"name": "y", "backend": "openai", "options": {"nope": 1}}
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "options"


async def test_unknown_backend_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/admin/deployments", json={"name": "y", "backend": "zzz"})
    assert response.status_code == 400
    assert "zzz" in response.json()["error"]["message"]


async def test_configured_deployments_cannot_be_removed_at_run_time(
    client: httpx.AsyncClient,
) -> None:
    response = await client.delete("/admin/deployments/fake")
    assert response.status_code == 400


async def test_api_keys_are_masked(client: httpx.AsyncClient) -> None:
    body = {
        "name": "up",
        "backend": "openai",
        "options": {"base_url": "http://127.0.0.1:9/v1", "api_key": "sk-secret"},
    }
    created = (await client.post("/admin/deployments", json=body)).json()
    assert created["targets"][0]["options"]["api_key"] == "***"


@pytest.fixture
async def keyed_client(tmp_path: Path, registry: BackendRegistry) -> httpx.AsyncClient:  # type: ignore[misc]
    settings = Settings(
        data_dir=tmp_path, builtin_deployments=False, admin_key=SecretStr("admin-secret")
    )
    platform = Platform.build(settings, registry)
    await platform.start()
    transport = httpx.ASGITransport(app=create_app(settings, platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client
    await platform.stop()


async def test_admin_key_is_required_when_set(keyed_client: httpx.AsyncClient) -> None:
    assert (await keyed_client.get("/admin/deployments")).status_code == 401
    wrong = await keyed_client.get("/admin/deployments", headers={"api-key": "nope"})
    assert wrong.status_code == 401
    right = await keyed_client.get(
        "/admin/deployments", headers={"authorization": "Bearer admin-secret"}
    )
    assert right.status_code == 200


async def test_remote_callers_need_a_key_even_before_any_exists(
    settings: Settings, platform: Platform
) -> None:
    transport = httpx.ASGITransport(app=create_app(settings, platform), client=("10.1.2.3", 5))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/admin/deployments")
    assert response.status_code == 401
