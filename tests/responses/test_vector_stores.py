"""Vector stores over knowledge bases, and file_search in /v1/responses (fake models)."""

from __future__ import annotations

import httpx

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.responses.conftest import poll, upload

SHIPPING = b"# Shipping\n\nStandard shipping takes 4 to 6 business days and costs $6.95.\n"
RETURNS = b"# Returns\n\nYou can return any item within 30 days for a full refund.\n"


async def _store(client: httpx.AsyncClient) -> tuple[str, str, str]:
    shipping = await upload(client, SHIPPING, "assistants", "shipping.md")
    returns = await upload(client, RETURNS, "user_data", "returns.md")
    store = (
        await client.post("/v1/vector_stores", json={"name": "Help", "file_ids": [shipping["id"]]})
    ).json()
    assert store["object"] == "vector_store"
    assert store["file_counts"]["total"] == 1
    attached = await client.post(
        f"/v1/vector_stores/{store['id']}/files",
        json={"file_id": returns["id"], "attributes": {"topic": "returns", "year": 2024}},
    )
    assert attached.status_code == 200, attached.text
    done = await poll(
        client, f"/v1/vector_stores/{store['id']}", lambda b: b["status"] == "completed"
    )
    assert done["file_counts"] == {
        "in_progress": 0,
        "completed": 2,
        "failed": 0,
        "cancelled": 0,
        "total": 2,
    }
    return store["id"], shipping["id"], returns["id"]


async def test_search_returns_scored_chunks_with_file_ids(client: httpx.AsyncClient) -> None:
    store, shipping, returns = await _store(client)
    reply = await client.post(
        f"/v1/vector_stores/{store}/search", json={"query": "how long does shipping take"}
    )
    assert reply.status_code == 200, reply.text
    page = reply.json()
    assert page["object"] == "vector_store.search_results.page"
    best = page["data"][0]
    assert best["file_id"] == shipping
    assert best["filename"] == "shipping.md"
    assert 0 <= best["score"] <= 1
    assert "4 to 6 business days" in best["content"][0]["text"]
    filtered = await client.post(
        f"/v1/vector_stores/{store}/search",
        json={
            "query": "shipping refund",
            "filters": {"type": "eq", "key": "topic", "value": "returns"},
        },
    )
    assert {d["file_id"] for d in filtered.json()["data"]} == {returns}
    assert filtered.json()["data"][0]["attributes"] == {"topic": "returns", "year": 2024}
    bad = await client.post(
        f"/v1/vector_stores/{store}/search",
        json={"query": "x", "filters": {"type": "near", "key": "a", "value": 1}},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == "filters.type"


async def test_file_search_tool_in_responses(client: httpx.AsyncClient, platform: Platform) -> None:
    store, shipping, _ = await _store(client)
    reply = await client.post(
        "/v1/responses",
        json={
            "model": "fake",
            "input": "How long does shipping take?",
            "tools": [{"type": "file_search", "vector_store_ids": [store]}],
            "include": ["file_search_call.results"],
        },
    )
    assert reply.status_code == 200, reply.text
    search, message = reply.json()["output"]
    assert search["type"] == "file_search_call"
    assert search["status"] == "completed"
    assert search["queries"] == ["How long does shipping take?"]
    assert search["results"][0]["file_id"] == shipping
    citations = message["content"][0]["annotations"]
    assert citations
    assert citations[0]["type"] == "file_citation"
    prompt = fake_of(platform).history[-1][1].messages
    assert prompt[0].role == "system"
    assert "4 to 6 business days" in prompt[0].text()
    missing = await client.post(
        "/v1/responses",
        json={
            "model": "fake",
            "input": "x",
            "tools": [{"type": "file_search", "vector_store_ids": ["vs_nope"]}],
        },
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["param"] == "vector_store_id"


async def test_file_batches_and_detach(client: httpx.AsyncClient) -> None:
    store, shipping, _returns = await _store(client)
    extra = await upload(client, b"Gift cards never expire.", "assistants", "gift.txt")
    broken = await upload(client, b"\x00\x01\x02garbage", "assistants", "blob.pdf")
    batch = (
        await client.post(
            f"/v1/vector_stores/{store}/file_batches",
            json={"file_ids": [extra["id"], broken["id"]]},
        )
    ).json()
    assert batch["object"] == "vector_store.file_batch"
    done = await poll(
        client,
        f"/v1/vector_stores/{store}/file_batches/{batch['id']}",
        lambda b: b["status"] == "completed",
    )
    assert done["file_counts"]["completed"] == 1
    assert done["file_counts"]["failed"] == 1
    failed = (await client.get(f"/v1/vector_stores/{store}/files/{broken['id']}")).json()
    assert failed["status"] == "failed"
    assert failed["last_error"]["code"] == "invalid_file"
    listed = (await client.get(f"/v1/vector_stores/{store}/files?filter=completed")).json()
    assert len(listed["data"]) == 3
    gone = await client.delete(f"/v1/vector_stores/{store}/files/{shipping}")
    assert gone.json()["deleted"] is True
    hits = (
        await client.post(f"/v1/vector_stores/{store}/search", json={"query": "shipping days"})
    ).json()["data"]
    assert shipping not in {h["file_id"] for h in hits}
    assert (await client.delete(f"/v1/vector_stores/{store}")).json()["deleted"] is True
    assert (await client.get(f"/v1/vector_stores/{store}")).status_code == 404
