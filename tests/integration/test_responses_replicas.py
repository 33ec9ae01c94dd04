"""Stored state shared through the platform database: a `previous_response_id` chain, a
knowledge base, a dataset and an analyst conversation continued on a second replica (no
shared disk), and a batch that survives `kill -9` mid-run."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openai import OpenAI

from tests.databases import REDIS_URL, postgres_schema
from tests.integration.conftest import Server, free_port, start_server

pytestmark = pytest.mark.integration


def _serve(data: Path, log: Path, **env: str) -> Server:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    environment.update({"TANDEM_DATA_DIR": str(data), "TANDEM_LOG_LEVEL": "warning", **env})
    return start_server(
        [sys.executable, "-m", "tandem", "serve", "--port", str(port)],
        f"http://127.0.0.1:{port}",
        "/readyz",
        log,
        environment,
    )


def _client(server: Server) -> OpenAI:
    return OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[list[Server]]:
    with postgres_schema() as db_url:
        servers: list[Server] = []
        try:
            for i in range(2):
                servers.append(
                    _serve(
                        tmp_path / f"data{i}",
                        tmp_path / f"r{i}.log",
                        TANDEM_DATABASE_URL=db_url,
                        TANDEM_REDIS_URL=REDIS_URL,
                    )
                )
            yield servers
        finally:
            for server in servers:
                server.stop()


def test_chain_continues_on_another_replica(replicas: list[Server]) -> None:
    first = _client(replicas[0]).responses.create(
        model="smollm2", input="Remember the word PINEAPPLE.", max_output_tokens=8
    )
    other = _client(replicas[1])
    second = other.responses.create(
        model="smollm2",
        input="Which word did I ask you to remember?",
        previous_response_id=first.id,
        max_output_tokens=16,
        temperature=0,
    )
    assert second.previous_response_id == first.id
    items = other.responses.input_items.list(second.id, order="asc").data
    texts = [getattr(i, "content", [None])[0] for i in items]
    assert "PINEAPPLE" in texts[0].text
    assert other.responses.retrieve(first.id).id == first.id


def test_knowledge_base_dataset_and_conversation_on_another_replica(
    replicas: list[Server],
) -> None:
    one, other = (httpx.Client(base_url=r.url, timeout=120) for r in replicas)
    kb = one.post("/v1/knowledge-bases", json={"name": "help"}).json()["id"]
    pages = [
        ("refunds.md", b"# Refunds\n\nA refund reaches your card within 5 business days.\n"),
        ("delivery.md", b"# Delivery\n\nExpress delivery costs 9 euros and takes a day.\n"),
    ]
    added = one.post(f"/v1/knowledge-bases/{kb}/documents", files=[("files", p) for p in pages])
    assert [d["status"] for d in added.json()["data"]] == ["added", "added"]
    hits = other.post(
        f"/v1/knowledge-bases/{kb}/search", json={"query": "how fast is my money back"}
    ).json()["data"]
    assert hits[0]["document"] == "refunds.md"

    rows = "".join(f"2024-0{1 + i % 6}-15,{'North' if i % 2 else 'South'},{i}\n" for i in range(40))
    dataset = one.post(
        "/v1/datasets", files=[("files", ("sales.csv", f"day,region,amount\n{rows}".encode()))]
    ).json()["id"]
    first = other.post(
        "/v1/analyst/ask", json={"dataset": dataset, "question": "total amount by region"}
    ).json()
    assert sum(r[1] for r in first["rows"]) == sum(range(40))
    assert one.get(first["chart"]["image_url"]).content.startswith(b"\x89PNG")
    follow = one.post(
        "/v1/analyst/ask",
        json={
            "dataset": dataset,
            "question": "and by month?",
            "conversation_id": first["conversation_id"],
        },
    ).json()
    assert len(follow["rows"]) == 6
    assert sum(r[-1] for r in follow["rows"]) == sum(range(40))


def _wait(get: Any, done: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def test_batch_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = _serve(data, tmp_path / "first.log")
    chat = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Name a colour."}],
        "max_tokens": 12,
    }
    lines = [
        json.dumps(
            {"custom_id": f"c{i}", "method": "POST", "url": "/v1/chat/completions", "body": chat}
        )
        for i in range(16)
    ]
    client = _client(server)
    upload = client.files.create(file=("in.jsonl", "\n".join(lines).encode()), purpose="batch")
    batch = client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    midway = _wait(
        lambda: client.batches.retrieve(batch.id), lambda b: b.request_counts.completed >= 3, 120
    )
    assert midway.status == "in_progress", "the batch finished before the restart"
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    restarted = _serve(data, tmp_path / "second.log")
    try:
        client = _client(restarted)
        done = _wait(
            lambda: client.batches.retrieve(batch.id), lambda b: b.status == "completed", 240
        )
        assert done.status == "completed"
        assert done.request_counts.completed == 16
        assert done.request_counts.failed == 0
        rows = [json.loads(x) for x in client.files.content(done.output_file_id).text.splitlines()]
        assert sorted(r["custom_id"] for r in rows) == sorted(f"c{i}" for i in range(16))
    finally:
        restarted.stop()
