"""Files and batches on the fake backend: uploads, limits, a batch with good and bad
lines, cancel, and a line taken over after its replica's lease ran out."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import orjson
import pytest

from tandem.platform import Platform
from tandem.stateful.batch_queue import BatchQueue
from tandem.stateful.batch_runner import principal_json
from tandem.stateful.ids import new_id, utcnow
from tandem.store.engine import Database
from tandem.store.models import BatchJob, BatchLine
from tests.conftest import fake_of
from tests.fakes import Script
from tests.responses.conftest import poll, upload

FINAL = ("completed", "cancelled", "failed", "expired")


def jsonl(*lines: object) -> bytes:
    return b"\n".join(orjson.dumps(x) if not isinstance(x, bytes) else x for x in lines) + b"\n"


def chat_line(custom_id: str, text: str = "hi") -> dict[str, object]:
    body = {"model": "fake", "messages": [{"role": "user", "content": text}]}
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}


async def test_files_round_trip(client: httpx.AsyncClient) -> None:
    stored = await upload(client, b"hello world", "user_data", "notes.txt")
    assert stored["object"] == "file"
    assert stored["bytes"] == 11
    assert stored["purpose"] == "user_data"
    assert stored["filename"] == "notes.txt"
    listed = (await client.get("/v1/files")).json()
    assert [f["id"] for f in listed["data"]] == [stored["id"]]
    assert (await client.get("/v1/files?purpose=batch")).json()["data"] == []
    content = await client.get(f"/v1/files/{stored['id']}/content")
    assert content.content == b"hello world"
    assert (await client.delete(f"/v1/files/{stored['id']}")).json()["deleted"] is True
    assert (await client.get(f"/v1/files/{stored['id']}")).status_code == 404


async def test_file_limits_and_purposes(client: httpx.AsyncClient) -> None:
    wrong = await client.post(
        "/v1/files", files={"file": ("a", b"x")}, data={"purpose": "fine-tune"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["param"] == "purpose"
    big = await client.post(
        "/v1/files", files={"file": ("a", b"x" * (65 * 1024))}, data={"purpose": "batch"}
    )
    assert big.status_code == 413
    missing = await client.post("/v1/files", data={"purpose": "batch"}, files={"x": ("a", b"1")})
    assert missing.status_code == 400
    assert missing.json()["error"]["param"] == "file"


async def test_batch_with_good_and_bad_lines(client: httpx.AsyncClient, platform: Platform) -> None:
    embed = {
        "custom_id": "e1",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "fake-embed", "input": ["a", "bb"]},
    }
    images = {"custom_id": "img", "method": "POST", "url": "/v1/images/generations", "body": {}}
    unknown_model = chat_line("c3")
    unknown_model["body"] = {"model": "nope", "messages": [{"role": "user", "content": "x"}]}
    data = jsonl(
        chat_line("c1"),
        embed,
        b"{not json",
        images,
        chat_line("c1"),
        unknown_model,
        {
            "custom_id": "r1",
            "method": "POST",
            "url": "/v1/responses",
            "body": {"model": "fake", "input": "hi"},
        },
    )
    stored = await upload(client, data, "batch", "in.jsonl")
    created = await client.post(
        "/v1/batches",
        json={
            "input_file_id": stored["id"],
            "endpoint": "/v1/chat/completions",
            "completion_window": "24h",
            "metadata": {"job": "t"},
        },
    )
    assert created.status_code == 200, created.text
    batch = created.json()
    assert batch["object"] == "batch"
    assert batch["request_counts"]["total"] == 7
    done = await poll(client, f"/v1/batches/{batch['id']}", lambda b: b["status"] in FINAL)
    assert done["status"] == "completed", done
    assert done["request_counts"] == {"total": 7, "completed": 3, "failed": 4}
    output = (await client.get(f"/v1/files/{done['output_file_id']}/content")).content
    rows = {r["custom_id"]: r for r in map(orjson.loads, output.splitlines())}
    assert set(rows) == {"c1", "e1", "r1"}
    assert rows["c1"]["response"]["status_code"] == 200
    assert rows["c1"]["response"]["body"]["choices"][0]["message"]["content"] == "hello"
    assert len(rows["e1"]["response"]["body"]["data"]) == 2
    assert rows["r1"]["response"]["body"]["object"] == "response"
    errors = (await client.get(f"/v1/files/{done['error_file_id']}/content")).content
    failed = [orjson.loads(line) for line in errors.splitlines()]
    by_code = {(r["error"] or {}).get("code") or r["response"]["status_code"] for r in failed}
    assert by_code == {"invalid_json", "invalid_url", "duplicate_custom_id", 404}
    operations = [op for op, _ in fake_of(platform).history]
    assert operations.count("chat") == 2
    assert fake_of(platform, "fake-embed").history


async def test_batch_refuses_wrong_purpose_and_endpoint(client: httpx.AsyncClient) -> None:
    notes = await upload(client, jsonl(chat_line("a")), "user_data")
    reply = await client.post(
        "/v1/batches", json={"input_file_id": notes["id"], "endpoint": "/v1/chat/completions"}
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == "input_file_id"
    good = await upload(client, jsonl(chat_line("a")), "batch")
    reply = await client.post(
        "/v1/batches", json={"input_file_id": good["id"], "endpoint": "/v1/images/generations"}
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == "endpoint"
    lines = jsonl(*(chat_line(f"l{i}") for i in range(101)))
    many = await upload(client, lines, "batch")
    reply = await client.post(
        "/v1/batches", json={"input_file_id": many["id"], "endpoint": "/v1/chat/completions"}
    )
    assert reply.status_code == 400
    assert "at most 100" in reply.json()["error"]["message"]


async def test_cancel_keeps_what_finished(client: httpx.AsyncClient, platform: Platform) -> None:
    fake_of(platform).enqueue(*(Script(text="slow", delay_s=0.2) for _ in range(30)))
    stored = await upload(client, jsonl(*(chat_line(f"c{i}") for i in range(30))), "batch")
    batch = (
        await client.post(
            "/v1/batches", json={"input_file_id": stored["id"], "endpoint": "/v1/chat/completions"}
        )
    ).json()
    await poll(client, f"/v1/batches/{batch['id']}", lambda b: b["request_counts"]["completed"])
    cancelling = (await client.post(f"/v1/batches/{batch['id']}/cancel")).json()
    assert cancelling["status"] in ("cancelling", "cancelled")
    done = await poll(client, f"/v1/batches/{batch['id']}", lambda b: b["status"] in FINAL)
    assert done["status"] == "cancelled"
    assert 0 < done["request_counts"]["completed"] < 30
    again = await client.post(f"/v1/batches/{batch['id']}/cancel")
    assert again.status_code == 400


def _batch(db: Database, lines: int) -> str:
    from tandem.governance.principal import open_principal

    now = utcnow()
    batch = BatchJob(
        id=new_id("batch", 24),
        tenant="default",
        principal=principal_json(open_principal()),
        endpoint="/v1/chat/completions",
        input_file_id="file_x",
        completion_window="24h",
        status="in_progress",
        created_at=now,
        in_progress_at=now,
        expires_at=now,
    )
    batch.expires_at = now.replace(year=now.year + 1)
    with db.session() as session, session.begin():
        session.add(batch)
        for n in range(lines):
            session.add(
                BatchLine(
                    batch_id=batch.id,
                    line=n + 1,
                    custom_id=f"c{n}",
                    status="pending",
                    attempts=0,
                    body={"url": "/v1/chat/completions", "body": {}},
                )
            )
    return batch.id


def test_claims_are_exclusive_and_leases_fence(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    db.upgrade()
    batch_id = _batch(db, 6)
    first = BatchQueue(db, "host:a:1", lease_s=0.3)
    second = BatchQueue(db, "host:b:2", lease_s=30)
    taken = first.claim(4)
    others = second.claim(4)
    assert len(taken) == 4
    assert len(others) == 2
    assert not {c.line for c in taken} & {c.line for c in others}
    # The first replica "dies": after its lease, its lines go to the second.
    time.sleep(0.4)
    retaken = second.claim(10)
    assert {c.line for c in retaken} == {c.line for c in taken}
    assert not first.settle(taken[0].id, "ok", {"response": None})  # fenced out
    for line in others + retaken:
        assert second.settle(line.id, "ok", {"response": {"status_code": 200}, "error": None})
    assert second.ready_to_finalize() == [batch_id]
    assert second.finalize(batch_id)
    assert not first.finalize(batch_id)
    assert second.counts(batch_id)["completed"] == 6
    db.dispose()


def test_concurrent_claims_never_overlap(db_url: str) -> None:
    db = Database(db_url)
    db.upgrade()
    _batch(db, 200)
    queues = [BatchQueue(db, f"h:x:{i}", lease_s=60) for i in range(4)]

    async def grab(queue: BatchQueue) -> list[int]:
        got: list[int] = []
        while claimed := await asyncio.to_thread(queue.claim, 7):
            got.extend(c.id for c in claimed)
        return got

    async def everyone() -> list[list[int]]:
        return await asyncio.gather(*(grab(q) for q in queues))

    results = asyncio.run(everyone())
    flat = [i for r in results for i in r]
    assert len(flat) == len(set(flat)) == 200
    db.dispose()


def test_restart_takes_back_its_own_lines(db_url: str) -> None:
    db = Database(db_url)
    db.upgrade()
    _batch(db, 3)
    before = BatchQueue(db, "host:abc:old", lease_s=600)
    assert len(before.claim(3)) == 3
    after = BatchQueue(db, "host:abc:new", lease_s=600)
    assert after.claim(3) == []
    assert after.recover("host:abc") == 3
    assert len(after.claim(3)) == 3
    db.dispose()


@pytest.mark.parametrize("purpose", ["batch"])
async def test_vector_store_refuses_batch_files(client: httpx.AsyncClient, purpose: str) -> None:
    stored = await upload(client, b"text", purpose)
    store = (await client.post("/v1/vector_stores", json={"name": "kb"})).json()
    reply = await client.post(
        f"/v1/vector_stores/{store['id']}/files", json={"file_id": stored["id"]}
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == "file_id"
