"""Two platforms (replicas) on one PostgreSQL and no shared disk: a knowledge base, a
dataset with its semantic model and charts, and an analyst conversation made through one
are used through the other."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlglot import exp

from tandem.app import create_app
from tandem.apps.analyst.conversations import decode, encode
from tandem.apps.analyst.periods import Window
from tandem.apps.analyst.plan import Condition, Group, Plan
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tests.databases import postgres_schema
from tests.fakes import FakeBackend

DICTIONARY = b"""# Shop data

| column | meaning |
| --- | --- |
| units | items in the order line |
| unit_price | price of one item |

**Revenue** means what the customer paid: `revenue = units * unit_price`
"""


def _settings(data_dir: Path, url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=url,
        builtin_deployments=False,
        analyst_deployment="fake",
        embedding_deployment="fake-embed",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
    )


@pytest.fixture
async def replicas(tmp_path: Path) -> AsyncIterator[list[httpx.AsyncClient]]:
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", FakeBackend)
    with postgres_schema() as url:
        async with AsyncExitStack() as stack:
            clients = []
            for i in range(2):
                settings = _settings(tmp_path / f"replica{i}", url)
                platform = Platform.build(settings, registry)
                await platform.start()
                stack.push_async_callback(platform.stop)
                await platform.wait_started()
                transport = httpx.ASGITransport(app=create_app(settings, platform))
                client = httpx.AsyncClient(transport=transport, base_url="http://replica")
                clients.append(await stack.enter_async_context(client))
            yield clients


async def test_a_knowledge_base_made_on_one_replica_is_searched_on_the_other(
    replicas: list[httpx.AsyncClient],
) -> None:
    one, other = replicas
    kb = (await one.post("/v1/knowledge-bases", json={"name": "help"})).json()["id"]
    page = b"# Refunds\n\nA refund reaches your card within 5 business days.\n"
    added = await one.post(
        f"/v1/knowledge-bases/{kb}/documents", files=[("files", ("refunds.md", page))]
    )
    assert added.status_code == 200, added.text
    listed = (await other.get("/v1/knowledge-bases")).json()["data"]
    assert [b["id"] for b in listed] == [kb]
    found = await other.post(
        f"/v1/knowledge-bases/{kb}/search", json={"query": "refund card", "top_k": 3}
    )
    assert found.status_code == 200, found.text
    assert found.json()["data"][0]["document"] == "refunds.md"
    assert (await other.delete(f"/v1/knowledge-bases/{kb}")).status_code == 200
    gone = await one.post(f"/v1/knowledge-bases/{kb}/search", json={"query": "refund"})
    assert gone.status_code == 404


async def test_a_dataset_and_a_conversation_continue_on_the_other_replica(
    replicas: list[httpx.AsyncClient],
) -> None:
    one, other = replicas
    lines = "".join(
        f"2024-0{1 + i % 6}-1{i % 9},{'North' if i % 3 else 'South'},{1 + i % 4},{10 + i}\n"
        for i in range(60)
    )
    created = await one.post(
        "/v1/datasets",
        files=[
            ("files", ("orders.csv", f"day,region,units,unit_price\n{lines}".encode())),
            ("dictionary", ("dictionary.md", DICTIONARY)),
        ],
        data={"name": "shop"},
    )
    assert created.status_code == 201, created.text
    dataset = created.json()["id"]
    model = (await other.get(f"/v1/datasets/{dataset}/semantic-model")).json()
    assert "revenue" in [m["name"] for m in model["measures"]]

    first = await other.post(
        "/v1/analyst/ask", json={"dataset": dataset, "question": "total revenue by region"}
    )
    assert first.status_code == 200, first.text
    body = first.json()
    expected = sum((1 + i % 4) * (10 + i) for i in range(60))
    assert sum(row[1] for row in body["rows"]) == pytest.approx(expected)
    chart = await one.get(body["chart"]["image_url"])
    assert chart.status_code == 200
    assert chart.content.startswith(b"\x89PNG")

    follow = await one.post(
        "/v1/analyst/ask",
        json={
            "dataset": dataset,
            "question": "and by month?",
            "conversation_id": body["conversation_id"],
        },
    )
    assert follow.status_code == 200, follow.text
    rows = follow.json()["rows"]
    assert "revenue" in follow.json()["columns"][-1]
    assert sum(row[-1] for row in rows) == pytest.approx(expected)

    assert (await one.delete(f"/v1/datasets/{dataset}")).status_code == 200
    assert (await other.get(f"/v1/datasets/{dataset}")).status_code == 404


def test_plans_survive_their_storage_form() -> None:
    plan = Plan(
        table="orders",
        groups=[Group("orders", "day", grain="month")],
        conditions=[Condition("orders", exp.column("region").eq(exp.Literal.string("N")), "N")],
        count_key=("orders", "id"),
        window=Window(date(2024, 1, 1), date(2024, 7, 1), "the first half of 2024"),
    )
    assert decode(encode(plan)) == plan
    with pytest.raises(ValueError, match="not a plan class"):
        decode({"$dataclass": "os:system", "fields": {}})


async def _within(seconds: float, check: Callable[[], Awaitable[bool]]) -> float:
    """How long `check` took to come true (fails after `seconds`)."""
    start = time.monotonic()
    while not await check():
        assert time.monotonic() - start < seconds, "the change did not reach the other replica"
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def test_policy_and_deployment_changes_reach_the_other_replica_at_once(
    replicas: list[httpx.AsyncClient],
) -> None:
    one, other = replicas
    policy = {"prompt": {"violence": {"action": "block", "threshold": "low"}}}
    assert (await one.put("/admin/safety/policies/fake", json=policy)).status_code == 200

    async def policy_seen() -> bool:
        shown = (await other.get("/admin/safety/policies")).json()["data"]
        return "fake" in shown and shown["fake"]["prompt"]["violence"]["action"] == "block"

    await _within(1.0, policy_seen)

    extra = {"name": "extra", "backend": "fake", "options": {"name": "x"}}
    assert (await one.post("/admin/deployments", json=extra)).status_code == 201

    async def served(name: str, present: bool) -> bool:
        models = (await other.get("/v1/models")).json()["data"]
        return (name in [m["id"] for m in models]) is present

    await _within(1.0, lambda: served("extra", True))
    chat = {"model": "extra", "messages": [{"role": "user", "content": "hi"}]}
    assert (await other.post("/v1/chat/completions", json=chat)).status_code == 200
    assert (await one.delete("/admin/deployments/extra")).status_code == 200
    await _within(1.0, lambda: served("extra", False))
