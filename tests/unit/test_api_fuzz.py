"""Schemathesis against a real server on loopback (uvicorn in a thread, fake models): no
request the spec allows, or nearly allows (negative mode), gets a 5xx, a status code the
spec omits, or a body off its documented schema.

Run twice: on a fresh server on SQLite (path ids are whatever Schemathesis makes up, so
mostly 404s), and on PostgreSQL with the ids of a real dataset, knowledge base, document,
conversation, ticket, keys, blocklist and deployment in the paths, so the handlers behind
the 404s run too. Each prints how many requests it sent.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import orjson
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.databases import database
from tests.live_server import AUTH, live_app, live_settings, serve

# Per operation and generation mode (TANDEM_FUZZ_EXAMPLES=50 for a deeper local hunt).
EXAMPLES = int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "5"))
# 5xx, status codes the spec omits, and bodies that do not match the documented schema.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
CSV = b"region,amount\nnorth,10\nsouth,20\n"
DOC = b"# Shipping\n\nStandard shipping takes 4 to 6 business days and costs $6.95.\n"


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A live server on the database the test names; its URL."""
    with (
        database(request.param, tmp_path) as url,
        serve(live_app(live_settings(tmp_path / "data", url))) as base,
    ):
        yield base


def _seed(url: str) -> dict[str, str]:
    """Make one of each resource the paths name; their ids by path parameter."""
    with httpx.Client(base_url=url, headers=AUTH, timeout=30) as client:

        def ok(response: httpx.Response) -> Any:
            assert response.status_code < 300, response.text
            return response.json()

        kb = ok(client.post("/v1/knowledge-bases", json={"name": "Help"}))["id"]
        added = ok(
            client.post(
                f"/v1/knowledge-bases/{kb}/documents",
                files=[("files", ("shipping.md", DOC, "text/markdown"))],
            )
        )
        dataset = ok(
            client.post(
                "/v1/datasets",
                files=[("files", ("sales.csv", CSV, "text/csv"))],
                data={"name": "sales"},
            )
        )
        chat = {"knowledge_base": kb, "messages": [{"role": "user", "content": "a human please"}]}
        reply = ok(client.post("/v1/support/chat", json=chat))
        tickets = ok(client.get("/v1/support/tickets", params={"status": "open"}))["data"]
        key = ok(client.post("/admin/keys", json={"name": "fuzz"}))["id"]
        widget = ok(
            client.post(
                "/v1/support/widget-keys",
                json={"knowledge_base": kb, "allowed_origins": ["https://example.com"]},
            )
        )["id"]
        ok(
            client.patch(
                "/contentsafety/text/blocklists/fuzz",
                params={"api-version": "2024-09-01"},
                json={"description": "words"},
            )
        )
        hosted = _seed_hosted(client, ok)
    ids = {
        **hosted,
        "kb_id": kb,
        "document_id": added["data"][0]["document_id"],
        "dataset_id": dataset["id"],
        "conversation_id": reply["conversation_id"],
        "model": "fake",
        "deployment": "fake",
        "project": "default",
        "name": "fuzz",
        "admin_key_id": key,
        "widget_key_id": widget,
    }
    if tickets:
        ids["ticket_id"] = tickets[0]["id"]
    return ids


def _seed_hosted(client: httpx.Client, ok: Any) -> dict[str, str]:
    """A file, response, conversation, vector store and batch; their ids."""
    line = {
        "custom_id": "a",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "fake-embed", "input": "x"},
    }
    batch_file = ok(
        client.post(
            "/v1/files",
            files={"file": ("in.jsonl", orjson.dumps(line))},
            data={"purpose": "batch"},
        )
    )["id"]
    doc = ok(
        client.post("/v1/files", files={"file": ("d.md", DOC)}, data={"purpose": "assistants"})
    )
    store = ok(client.post("/v1/vector_stores", json={"name": "s", "file_ids": [doc["id"]]}))
    files_batch = ok(
        client.post(f"/v1/vector_stores/{store['id']}/file_batches", json={"file_ids": [doc["id"]]})
    )
    batch = ok(
        client.post("/v1/batches", json={"input_file_id": batch_file, "endpoint": "/v1/embeddings"})
    )
    response = ok(client.post("/v1/responses", json={"model": "fake", "input": "hi"}))
    conversation = ok(
        client.post("/v1/conversations", json={"items": [{"role": "user", "content": "x"}]})
    )
    items = ok(client.get(f"/v1/conversations/{conversation['id']}/items"))
    return {
        "file_id": doc["id"],
        "vector_store_id": store["id"],
        "batch_id": batch["id"],
        "response_id": response["id"],
        "item_id": items["data"][0]["id"],
        "api_conversation_id": conversation["id"],
        "files_batch_id": files_batch["id"],
    }


def _real_ids(case: schemathesis.Case, ids: dict[str, str]) -> None:
    path = case.operation.path
    for param in list(case.path_parameters or {}):
        if param == "conversation_id" and path.startswith(("/v1/conversations", "/openai/v1/")):
            value = ids["api_conversation_id"]
        elif param == "batch_id" and "file_batches" in path:
            value = ids["files_batch_id"]
        elif param == "key_id":
            value = ids["widget_key_id" if "widget" in path else "admin_key_id"]
        elif param == "name" and path.startswith("/admin/deployments"):
            value = ids["deployment"]
        else:
            value = ids.get(param, case.path_parameters[param])
        case.path_parameters[param] = value


def _operations(schema: Any) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletes and revocations last, so the real ids live while the rest runs.
    last = ("DELETE", "revoke", "rotate")
    return sorted(operations, key=lambda op: any(w in f"{op.method} {op.path}" for w in last))


@pytest.mark.parametrize(
    ("server", "with_ids"),
    [("sqlite", False), ("postgresql", True)],
    ids=["fresh-sqlite", "real-ids-postgresql"],
    indirect=["server"],
)
def test_no_server_errors_and_no_undocumented_status(server: str, with_ids: bool) -> None:
    spec = httpx.get(f"{server}/openapi.json", timeout=120).json()
    schema = schemathesis.openapi.from_dict(spec)
    ids = _seed(server) if with_ids else {}
    session = requests.Session()  # one keep-alive connection: a 500 must not break it
    failures: dict[str, str] = {}  # (operation, status) -> the first report
    sent = 0
    statuses: dict[int, int] = {}
    started = time.monotonic()
    for operation in _operations(schema):
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis.settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                nonlocal sent
                if with_ids:
                    _real_ids(case, ids)
                response = case.call(base_url=server, session=session, headers=AUTH)
                sent += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except FailureGroup as exc:  # every failure is listed, not only the first
                    where = f"{case.method} {case.operation.path} -> {response.status_code}"
                    failures.setdefault(where, f"{exc}"[:1500])

            with contextlib.suppress(hypothesis.errors.Unsatisfiable):
                run()  # (unsatisfiable: nothing to make invalid, no parameters or body)
    elapsed = time.monotonic() - started
    label = "real ids" if with_ids else "fresh"
    by_status = dict(sorted(statuses.items()))
    print(
        f"\nschemathesis ({label}): {sent} requests, {len(failures)} failures, "
        f"{elapsed:.1f} s; by status {by_status}"
    )
    assert not failures, "\n".join(failures) + "\n\n" + "\n\n".join(failures.values())
