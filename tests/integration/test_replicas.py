"""Two `tandem serve` processes sharing PostgreSQL and Redis admit no more than the limit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tandem.governance.keys import KeySpec, KeyStore
from tandem.store.engine import Database
from tests.databases import REDIS_URL, postgres_schema
from tests.integration.conftest import Server, serve_config, start_tandem

pytestmark = pytest.mark.integration


@pytest.fixture
def replicas(tmp_path: Path, mock_upstream_url: str) -> Iterator[tuple[list[Server], str]]:
    with postgres_schema() as db_url:
        servers: list[Server] = []
        try:
            for i in range(2):
                config = serve_config(
                    tmp_path / f"r{i}.toml", tmp_path / f"data{i}", mock_upstream_url,
                    auth="keys", database_url=db_url, redis_url=REDIS_URL,
                )  # fmt: skip
                servers.append(start_tandem(config, tmp_path / f"r{i}.log"))
            db = Database(db_url)
            issued = KeyStore(db).create(KeySpec(tenant="acme", rpm=30))
            db.dispose()
            yield servers, issued.secret
        finally:
            for server in servers:
                server.stop()


def test_rpm_is_exact_across_replicas(replicas: tuple[list[Server], str]) -> None:
    servers, key = replicas
    body = {"model": "mock", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}

    async def burst() -> list[int]:
        async with httpx.AsyncClient(
            timeout=30, headers={"authorization": f"Bearer {key}"}
        ) as client:
            calls = [
                client.post(f"{servers[i % 2].url}/v1/chat/completions", json=body)
                for i in range(100)
            ]
            return [r.status_code for r in await asyncio.gather(*calls)]

    statuses = asyncio.run(burst())
    assert statuses.count(200) == 30
    assert statuses.count(429) == 70


def test_sdk_with_keys_on_a_replica(replicas: tuple[list[Server], str], tmp_path: Path) -> None:
    import openai

    servers, key = replicas
    client = openai.OpenAI(base_url=f"{servers[0].url}/v1", api_key=key, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model="mock", messages=[{"role": "user", "content": "hi"}]
    )
    assert raw.headers["x-ratelimit-limit-requests"] == "30"
    assert raw.parse().choices[0].message.content
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(
            base_url=f"{servers[1].url}/v1", api_key="sk-000000000000_forged", max_retries=0
        ).models.list()
