"""Nothing a request handler does touches the platform database on the event loop: every
statement runs in a worker thread (or before/after serving), so one slow query never stalls
every other request. The detector is exact, not a timing: a listener on the engine records
each statement executed on the thread that runs the event loop."""

from __future__ import annotations

import asyncio
import re
import traceback
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import event

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import Settings
from tandem.platform import Platform

ROOT = "sk-root-for-the-loop-test"


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class LoopWatch:
    """Statements run on the event loop's thread, with where they were made."""

    def __init__(self) -> None:
        self.armed = False
        self.found: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.armed and _on_event_loop():
            frames = [
                f"{Path(f.filename).name}:{f.lineno} {f.name}"
                for f in traceback.extract_stack()
                if "/tandem/" in f.filename and "/store/" not in f.filename
            ]
            self.found.append(f"{statement.split()[0]} via {' <- '.join(reversed(frames[-4:]))}")


@pytest.fixture
def watch(settings: Settings, registry: BackendRegistry) -> tuple[Platform, LoopWatch]:
    settings = settings.model_copy(update={"admin_key": SecretStr(ROOT)})
    platform = Platform.build(settings, registry)
    spy = LoopWatch()
    event.listen(platform.db.engine, "before_cursor_execute", spy)
    return platform, spy


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "missing", path)


async def test_no_route_runs_a_database_statement_on_the_event_loop(
    watch: tuple[Platform, LoopWatch],
) -> None:
    platform, spy = watch
    app = create_app(platform.settings, platform)
    await platform.start()
    await platform.wait_started()
    spy.armed = True
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            admin = {"authorization": f"Bearer {ROOT}"}
            await _scenario(client, admin)
            # Then every GET route, its path parameters naming nothing (404s run lookups too).
            paths = [p for p, ops in app.openapi()["paths"].items() if "get" in ops]
            assert len(paths) > 40
            for path in paths:
                await client.get(_filled(path), headers=admin)
    finally:
        spy.armed = False
        await platform.stop()
    found = sorted(set(spy.found))
    assert not found, "database statements on the event loop:\n" + "\n".join(found)


async def _scenario(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    """The state-changing calls of each area, so that their lookups and writes run too."""
    tenant = await client.post(
        "/admin/keys", json={"name": "t", "tenant": "acme", "scope": "admin"}, headers=admin
    )
    assert tenant.status_code == 201, tenant.text
    acme = {"authorization": "Bearer " + tenant.json()["key"]}
    # Every call below must be served (a 401 would skip the code it is here to run).
    assert (await client.get("/v1/models", headers=acme)).status_code == 200
    chat = {"model": "fake", "messages": [{"role": "user", "content": "hello there"}]}
    await client.post("/v1/chat/completions", json=chat, headers=acme)
    await client.post("/v1/chat/completions", json={**chat, "stream": True}, headers=acme)
    await client.post("/v1/embeddings", json={"model": "fake-embed", "input": "x"}, headers=acme)
    await client.post("/v1/moderations", json={"input": "a calm sentence"}, headers=acme)
    await client.put(
        "/admin/safety/policies/fake",
        json={"prompt": {"violence": {"action": "block"}}},
        headers=admin,
    )
    await client.delete("/admin/safety/policies/fake", headers=admin)
    await client.post("/v1/responses", json={"model": "fake", "input": "hi"}, headers=acme)
    await client.post(
        "/v1/files",
        files={"file": ("a.txt", b"hello")},
        data={"purpose": "user_data"},
        headers=acme,
    )
    kb = await client.post("/v1/knowledge-bases", json={"name": "kb"}, headers=acme)
    kb_id = kb.json().get("id", "missing")
    await client.post(
        "/v1/support/widget-keys",
        json={"knowledge_base": kb_id, "allowed_origins": ["https://shop.example"]},
        headers=acme,
    )
    await client.post(
        "/v1/support/chat",
        json={"knowledge_base": kb_id, "message": "where is my order"},
        headers=acme,
    )
    await client.post("/v1/vector_stores", json={"name": "vs"}, headers=acme)
    await client.post("/v1/conversations", json={}, headers=acme)
    await client.put("/admin/budgets/p", json={"budget_usd": 5, "tenant": "acme"}, headers=admin)
    await client.post(f"/admin/keys/{tenant.json()['id']}/rotate", headers=admin)
    await client.post(f"/admin/keys/{tenant.json()['id']}/revoke", headers=admin)


def test_the_detector_sees_a_statement_on_the_loop(
    watch: tuple[Platform, LoopWatch],
) -> None:
    # The same listener, on a statement made inside a coroutine: it is found.
    platform, spy = watch
    platform.settings.data_dir.mkdir(parents=True)
    platform.db.upgrade()
    spy.armed = True

    async def blocking() -> None:
        with platform.db.session() as session:
            session.execute(__import__("sqlalchemy").text("SELECT 1"))

    asyncio.run(blocking())
    assert spy.found
    assert spy.found[0].startswith("SELECT")
