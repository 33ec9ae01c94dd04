"""A platform with keys required, two tenants, and an admin and a user key in each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.governance.keys import KeySpec
from tandem.platform import Platform

PLATFORM_KEY = "platform-admin-secret"


@dataclass
class Tenants:
    """A client and the secrets of every test key."""

    client: httpx.AsyncClient
    platform: Platform
    keys: dict[str, str]
    ids: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"authorization": f"Bearer {self.keys[who]}"}

    async def chat(self, who: str, model: str = "fake", **extra: object) -> httpx.Response:
        body = {"model": model, "messages": [{"role": "user", "content": "hi"}], **extra}
        return await self.client.post("/v1/chat/completions", json=body, headers=self.auth(who))


@pytest.fixture
async def tenants(tmp_path: Path, registry: BackendRegistry, db_url: str) -> AsyncIterator[Tenants]:
    settings = Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        auth="keys",
        database_url=db_url,
        admin_key=SecretStr(PLATFORM_KEY),
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "other", "backend": "fake"}),
            DeploymentConfig.model_validate(
                {"name": "limited", "backend": "fake", "rpm": 2, "tpm": 100_000}
            ),
            DeploymentConfig.model_validate(
                {
                    "name": "priced",
                    "backend": "fake",
                    "prompt_price_per_1k": 1000.0,
                    "completion_price_per_1k": 2000.0,
                }
            ),
        ],
    )
    platform = Platform.build(settings, registry)
    await platform.start()
    await platform.wait_started()
    store = platform.controls.keys
    specs = {
        "acme-admin": KeySpec(tenant="acme", scope="admin"),
        "acme-user": KeySpec(tenant="acme", project="web"),
        "globex-admin": KeySpec(tenant="globex", scope="admin"),
        "globex-user": KeySpec(tenant="globex"),
    }
    issued = {name: store.create(spec) for name, spec in specs.items()}
    transport = httpx.ASGITransport(app=create_app(settings, platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield Tenants(
            client=client,
            platform=platform,
            keys={"platform": PLATFORM_KEY, **{n: k.secret for n, k in issued.items()}},
            ids={n: k.id for n, k in issued.items()},
        )
    await platform.stop()
