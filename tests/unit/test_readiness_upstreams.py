"""/readyz asks each upstream server whether it answers: a deployment whose only upstream is
down is not ready before any request has failed on it; one whose fallback answers is ready
and says which serves for it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tests.fakes import FakeUpstream, status


def _closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # nothing listens here once the socket is closed


@pytest.fixture
async def upstream() -> AsyncIterator[FakeUpstream]:
    fake = FakeUpstream()
    await fake.start()
    yield fake
    await fake.stop()


def _openai(name: str, url: str, **extra: object) -> DeploymentConfig:
    return DeploymentConfig.model_validate(
        {"name": name, "backend": "openai", "options": {"base_url": url}, **extra}
    )


@pytest.fixture
def settings(tmp_path: Path, upstream: FakeUpstream, request: pytest.FixtureRequest) -> Settings:
    down = _closed_url()
    deployments = {
        "up": _openai("up", upstream.url),
        "covered": _openai("covered", down, fallbacks=["up"]),
        "down": _openai("down", down),
    }
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        deployments=[deployments[name] for name in request.param],
    )


@pytest.mark.parametrize("settings", [["up", "covered", "down"]], indirect=True)
async def test_an_upstream_that_is_down_is_not_ready(
    client: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["details"] == {
        "up": {"state": "ready", "served_by": "up"},
        "covered": {"state": "cooling_down", "served_by": "up"},
        "down": {"state": "cooling_down", "served_by": None},
    }
    assert body["deployments"] == {"up": True, "covered": True, "down": False}
    assert [r.path for r in upstream.requests] == ["/v1/models"]


@pytest.mark.parametrize("settings", [["up", "covered"]], indirect=True)
async def test_a_healthy_fallback_keeps_it_ready_and_says_so(
    client: httpx.AsyncClient, upstream: FakeUpstream, platform: Platform
) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["details"]["covered"] == {"state": "cooling_down", "served_by": "up"}
    # Probes are spaced: a second check at once asks the upstream nothing more.
    again = await client.get("/readyz")
    assert again.json()["details"]["covered"]["served_by"] == "up"
    assert [r.path for r in upstream.requests] == ["/v1/models"]
    # The router already knows: a request for the covered deployment goes to the fallback
    # without waiting on the server that is down.
    chat = await client.post(
        "/v1/chat/completions",
        json={"model": "covered", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert chat.status_code == 200
    assert chat.json()["choices"][0]["message"]["content"] == "default"


@pytest.mark.parametrize("settings", [["up"]], indirect=True)
async def test_an_upstream_answering_an_error_below_500_is_up(
    client: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    upstream.push(status(401, message="bad key"))
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
