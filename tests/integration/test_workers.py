"""Two replicas of `tandem serve --workers 2` on one PostgreSQL and Redis: the RPM limit is
exact across all four workers, and the ledger has exactly one row per request."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tandem.governance.keys import KeySpec, KeyStore
from tandem.store.engine import Database
from tandem.store.models import UsageRecord
from tests.databases import REDIS_URL, postgres_schema
from tests.integration.conftest import Server, free_port, serve_config, start_server

pytestmark = pytest.mark.integration

RPM = 30
REQUESTS = 100


def _start_workers(config: Path, log: Path, workers: int) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    command = [sys.executable, "-m", "tandem", "serve", "--port", str(port)]
    return start_server(
        [*command, "--config", str(config), "--workers", str(workers)],
        f"http://127.0.0.1:{port}",
        "/readyz",
        log,
        env,
    )


def _workers_of(server: Server) -> list[int]:
    """The worker processes a `--workers` server spawned (not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server.process.pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


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
                servers.append(_start_workers(config, tmp_path / f"r{i}.log", workers=2))
            db = Database(db_url)
            issued = KeyStore(db).create(KeySpec(tenant="acme", rpm=RPM))
            db.dispose()
            yield servers, issued.secret, db_url
        finally:
            for server in servers:
                server.stop()


def test_rpm_is_exact_across_two_replicas_of_two_workers(
    replicas: tuple[list[Server], str, str],
) -> None:
    servers, key, db_url = replicas
    for server in servers:
        assert len(_workers_of(server)) == 2
    body = {"model": "mock", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
    ids = [uuid.uuid4().hex for _ in range(REQUESTS)]

    async def burst() -> list[int]:
        # A connection each, so the kernel spreads them over both workers of a replica.
        async def one(i: int) -> int:
            async with httpx.AsyncClient(timeout=60) as client:
                response = await client.post(
                    f"{servers[i % 2].url}/v1/chat/completions",
                    json=body,
                    headers={"authorization": f"Bearer {key}", "x-request-id": ids[i]},
                )
                return response.status_code

        return list(await asyncio.gather(*(one(i) for i in range(REQUESTS))))

    statuses = asyncio.run(burst())
    assert statuses.count(200) == RPM
    assert statuses.count(429) == REQUESTS - RPM
    for server in servers:
        server.stop()  # each worker flushes its ledger as it stops

    db = Database(db_url)
    with db.session() as session:
        rows = session.execute(
            select(UsageRecord.request_id, UsageRecord.status, func.count())
            .where(UsageRecord.request_id.in_(ids))
            .group_by(UsageRecord.request_id, UsageRecord.status)
        ).all()
    db.dispose()
    assert len(rows) == REQUESTS  # one row per request, none doubled
    assert all(count == 1 for _, _, count in rows)
    status_of = {request_id: status for request_id, status, _ in rows}
    admitted = [ids[i] for i, code in enumerate(statuses) if code == 200]
    refused = [ids[i] for i, code in enumerate(statuses) if code == 429]
    assert {status_of[i] for i in admitted} == {"ok"}
    assert {status_of[i] for i in refused} == {"rate_limited"}
