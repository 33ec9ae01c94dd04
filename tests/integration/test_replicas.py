"""Two `tandem serve` processes sharing PostgreSQL and Redis admit no more than the limit."""

from __future__ import annotations

import asyncio
import time
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
def replicas(tmp_path: Path, mock_upstream_url: str) -> Iterator[tuple[list[Server], str, str]]:
    with postgres_schema() as db_url:
        servers: list[Server] = []
        try:
            for i in range(2):
                config = serve_config(
                    tmp_path / f"r{i}.toml",
                    tmp_path / f"data{i}",
                    mock_upstream_url,
                    auth="keys",
                    database_url=db_url,
                    redis_url=REDIS_URL,
                )
                servers.append(start_tandem(config, tmp_path / f"r{i}.log"))
            db = Database(db_url)
            issued = KeyStore(db).create(KeySpec(tenant="acme", rpm=30))
            db.dispose()
            yield servers, issued.secret, db_url
        finally:
            for server in servers:
                server.stop()


def test_rpm_is_exact_across_replicas(replicas: tuple[list[Server], str, str]) -> None:
    servers, key, _ = replicas
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


def test_sdk_with_keys_on_a_replica(
    replicas: tuple[list[Server], str, str], tmp_path: Path
) -> None:
    import openai

    servers, key, _ = replicas
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


def _poll_until_refused(client: httpx.Client, url: str, secret: str) -> int:
    """The status the other replica gives, polled for well under the 5 s cache lifetime:
    a 401 in time means it heard of the change, not that its cache ran out."""
    deadline = time.monotonic() + 2.5
    status = 200
    while time.monotonic() < deadline and status == 200:
        status = client.get(url, headers={"authorization": f"Bearer {secret}"}).status_code
        time.sleep(0.05)
    return status


def test_a_key_revoked_on_one_replica_stops_on_the_other_at_once(
    replicas: tuple[list[Server], str, str],
) -> None:
    servers, _, db_url = replicas
    db = Database(db_url)
    admin = KeyStore(db).create(KeySpec(tenant="acme", scope="admin")).secret
    headers = {"authorization": f"Bearer {admin}"}
    with httpx.Client(timeout=30) as client:
        created = client.post(
            f"{servers[0].url}/admin/keys",
            json={"tenant": "acme", "scope": "user"},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        key_id, secret = created.json()["id"], created.json()["key"]
        models = f"{servers[1].url}/v1/models"
        assert client.get(models, headers={"authorization": f"Bearer {secret}"}).status_code == 200
        revoked = client.post(f"{servers[0].url}/admin/keys/{key_id}/revoke", headers=headers)
        assert revoked.status_code == 200, revoked.text
        assert _poll_until_refused(client, models, secret) == 401
        # The CLI works on the database directly; its revocation reaches both replicas too.
        assert client.get(models, headers=headers).status_code == 200
        KeyStore(db).revoke(KeyStore(db).verify(admin).key_id or "", None)
        assert _poll_until_refused(client, f"{servers[0].url}/v1/models", admin) == 401
        assert _poll_until_refused(client, models, admin) == 401
    db.dispose()
