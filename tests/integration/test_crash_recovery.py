"""`kill -9` under load, then restart: every request that got a 200 has exactly one row."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tandem.store.engine import Database
from tandem.store.models import UsageRecord
from tests.integration.conftest import serve_config, start_tandem

pytestmark = pytest.mark.integration


async def _load(url: str, seconds: float, ok: list[str], sent: list[str]) -> None:
    """Whole and streamed requests at concurrency 8 until the server dies or time is up."""
    deadline = time.monotonic() + seconds

    async def worker(n: int) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while time.monotonic() < deadline:
                request_id = uuid.uuid4().hex
                sent.append(request_id)
                stream = n % 2 == 0
                body = {
                    "model": "mock",
                    "messages": [{"role": "user", "content": "hi"}],
                    "stream": stream,
                }
                try:
                    async with client.stream(
                        "POST",
                        f"{url}/v1/chat/completions",
                        json=body,
                        headers={"x-request-id": request_id},
                    ) as response:
                        if response.status_code == 200:
                            ok.append(request_id)  # the client has its 200
                        async for _ in response.aiter_bytes():
                            pass
                except httpx.HTTPError:
                    return  # the server was killed

    await asyncio.gather(*(worker(n) for n in range(8)))


def test_every_200_has_exactly_one_ledger_row(tmp_path: Path, mock_upstream_url: str) -> None:
    data = tmp_path / "data"
    config = serve_config(tmp_path / "tandem.toml", data, mock_upstream_url)
    server = start_tandem(config, tmp_path / "first.log")
    ok: list[str] = []
    sent: list[str] = []

    async def load_then_kill() -> None:
        load = asyncio.create_task(_load(server.url, 20, ok, sent))
        await asyncio.sleep(2.0)
        server.process.send_signal(signal.SIGKILL)
        await load

    asyncio.run(load_then_kill())
    server.process.wait()
    assert len(ok) > 50, "the load did not get going before the kill"

    restarted = start_tandem(config, tmp_path / "second.log")  # replays the journal
    restarted.stop()

    db = Database(f"sqlite:///{data / 'tandem.db'}")
    with db.session() as session:
        counts = dict(
            session.execute(
                select(UsageRecord.request_id, func.count())
                .where(UsageRecord.request_id.in_(ok))
                .group_by(UsageRecord.request_id)
            ).all()
        )
        recorded = set(session.scalars(select(UsageRecord.request_id)))
    missing = [r for r in ok if r not in counts]
    assert not missing, f"{len(missing)} requests that got a 200 have no ledger row"
    assert set(counts.values()) == {1}
    assert recorded <= set(sent)  # nothing invented
