"""`kill -9` of one of two replicas (PostgreSQL + Redis) under load, then its restart:
every request that got a 200 has exactly one ledger row, none has two, none is invented.
(The 2,000-request soak is bench/soak.py.)"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tandem.store.engine import Database
from tandem.store.models import UsageRecord
from tests.databases import REDIS_URL, postgres_schema
from tests.integration.conftest import Server, free_port, start_server

pytestmark = pytest.mark.integration


def _config(path: Path, data: Path, upstream: str, **extra: str) -> Path:
    lines = [
        "builtin_deployments = false",
        f'data_dir = "{data}"',
        'log_level = "warning"',
        *(f'{key} = "{value}"' for key, value in extra.items()),
        "[[deployments]]",
        'name = "mock"',
        'backend = "openai"',
        f'options = {{ base_url = "{upstream}" }}',
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _serve(config: Path, log: Path, **env: str) -> Server:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    environment.update(env)
    return start_server(
        [sys.executable, "-m", "tandem", "serve", "--port", str(port), "--config", str(config)],
        f"http://127.0.0.1:{port}",
        "/readyz",
        log,
        environment,
    )


async def _chat_load(urls: list[str], seconds: float, ok: list[str], sent: list[str]) -> None:
    """Whole and streamed chats spread over `urls` until time is up; a replica that dies
    just stops answering."""
    deadline = time.monotonic() + seconds

    async def worker(n: int) -> None:
        url = urls[n % len(urls)]
        async with httpx.AsyncClient(timeout=10) as client:
            while time.monotonic() < deadline:
                request_id = uuid.uuid4().hex
                sent.append(request_id)
                body = {
                    "model": "mock",
                    "messages": [{"role": "user", "content": "hi"}],
                    "stream": n % 2 == 0,
                }
                try:
                    async with client.stream(
                        "POST",
                        f"{url}/v1/chat/completions",
                        json=body,
                        headers={"x-request-id": request_id},
                    ) as response:
                        if response.status_code == 200:
                            ok.append(request_id)
                        async for _ in response.aiter_bytes():
                            pass
                except httpx.HTTPError:
                    await asyncio.sleep(0.05)

    await asyncio.gather(*(worker(n) for n in range(16)))


def test_kill_nine_of_one_replica_loses_and_doubles_no_ledger_row(
    tmp_path: Path, mock_upstream_url: str
) -> None:
    with postgres_schema() as db_url:
        env = {"TANDEM_DATABASE_URL": db_url, "TANDEM_REDIS_URL": REDIS_URL}
        configs = [
            _config(tmp_path / f"r{i}.toml", tmp_path / f"data{i}", mock_upstream_url)
            for i in range(2)
        ]
        servers = [_serve(configs[i], tmp_path / f"r{i}.log", **env) for i in range(2)]
        ok: list[str] = []
        sent: list[str] = []

        async def load_then_kill() -> None:
            load = asyncio.create_task(_chat_load([s.url for s in servers], 12, ok, sent))
            await asyncio.sleep(3.0)
            servers[0].process.send_signal(signal.SIGKILL)
            await load

        try:
            asyncio.run(load_then_kill())
            servers[0].process.wait()
            assert len(ok) > 100, "the load did not get going before the kill"
            restarted = _serve(configs[0], tmp_path / "r0-again.log", **env)  # replays
            restarted.stop()
        finally:
            for s in servers:
                s.stop()
        db = Database(db_url)
        try:
            with db.session() as session:
                counts = dict(
                    session.execute(
                        select(UsageRecord.request_id, func.count()).group_by(
                            UsageRecord.request_id
                        )
                    ).all()
                )
        finally:
            db.dispose()
    missing = [r for r in ok if r not in counts]
    assert not missing, f"{len(missing)} of {len(ok)} requests that got a 200 have no row"
    assert set(counts.values()) == {1}, "a request was recorded twice"
    assert set(counts) <= set(sent)
