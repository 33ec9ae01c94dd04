"""Key changes made elsewhere (another replica, the CLI on the database) reach a running
server through the change feed, well before the caches' own expiry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tandem.config import Settings
from tandem.errors import AuthenticationError
from tandem.governance.controls import Controls
from tandem.governance.keys import CACHE_SECONDS, KeySpec, KeyStore
from tandem.store.engine import Database

# Half the cache's lifetime: passing within it proves the push, not the expiry, did it.
DEADLINE_S = CACHE_SECONDS / 2


@pytest.fixture
async def server(tmp_path: Path, db_url: str) -> AsyncIterator[Controls]:
    controls = Controls(Settings(data_dir=tmp_path / "data", database_url=db_url))
    await controls.start()
    yield controls
    await controls.stop()


@pytest.fixture
def cli(server: Controls, db_url: str) -> KeyStore:
    """What `tandem keys ...` uses: its own connection to the same database."""
    return KeyStore(Database(server.db.url))


async def _eventually(check: object) -> bool:
    assert callable(check)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE_S
    while loop.time() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_key_revoked_elsewhere_stops_working_at_once(
    server: Controls, cli: KeyStore
) -> None:
    issued = cli.create(KeySpec(tenant="acme", scope="user"))
    assert server.keys.verify(issued.secret).tenant == "acme"  # now cached by the server
    cli.revoke(issued.id, None)

    def refused() -> bool:
        try:
            server.keys.verify(issued.secret)
        except AuthenticationError:
            return True
        return False

    assert await _eventually(refused)


async def test_a_first_key_made_elsewhere_ends_open_mode_at_once(
    server: Controls, cli: KeyStore
) -> None:
    assert server.open_mode("127.0.0.1")  # no key yet: open on loopback, and cached so
    cli.create(KeySpec(tenant="acme", scope="admin"))
    assert await _eventually(lambda: not server.open_mode("127.0.0.1"))


async def test_a_rotated_key_elsewhere_swaps_secrets_at_once(
    server: Controls, cli: KeyStore
) -> None:
    issued = cli.create(KeySpec(tenant="acme", scope="user"))
    server.keys.verify(issued.secret)
    fresh = cli.rotate(issued.id, None)

    def swapped() -> bool:
        try:
            server.keys.verify(issued.secret)
        except AuthenticationError:
            return server.keys.verify(fresh.secret).tenant == "acme"
        return False

    assert await _eventually(swapped)
