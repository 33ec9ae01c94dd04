"""A tenant never sees another tenant's responses, files, batches or vector stores."""

from __future__ import annotations

import httpx
import orjson

from tandem.governance.keys import KeySpec
from tandem.platform import Platform


async def test_tenants_see_only_their_own(client: httpx.AsyncClient, platform: Platform) -> None:
    keys = platform.controls.keys
    acme = {"authorization": f"Bearer {keys.create(KeySpec(tenant='acme')).secret}"}
    rival = {"authorization": f"Bearer {keys.create(KeySpec(tenant='rival')).secret}"}
    response = (
        await client.post("/v1/responses", json={"model": "fake", "input": "x"}, headers=acme)
    ).json()
    line = {
        "custom_id": "a",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "fake-embed", "input": "x"},
    }
    batch_file = (
        await client.post(
            "/v1/files",
            files={"file": ("in.jsonl", orjson.dumps(line))},
            data={"purpose": "batch"},
            headers=acme,
        )
    ).json()
    batch = (
        await client.post(
            "/v1/batches",
            json={"input_file_id": batch_file["id"], "endpoint": "/v1/embeddings"},
            headers=acme,
        )
    ).json()
    store = (await client.post("/v1/vector_stores", json={"name": "s"}, headers=acme)).json()
    for path in (
        f"/v1/responses/{response['id']}",
        f"/v1/files/{batch_file['id']}",
        f"/v1/files/{batch_file['id']}/content",
        f"/v1/batches/{batch['id']}",
        f"/v1/vector_stores/{store['id']}",
    ):
        assert (await client.get(path, headers=acme)).status_code == 200, path
        assert (await client.get(path, headers=rival)).status_code == 404, path
    chained = await client.post(
        "/v1/responses",
        json={"model": "fake", "input": "y", "previous_response_id": response["id"]},
        headers=rival,
    )
    assert chained.status_code == 404
    stolen = await client.post(
        "/v1/batches",
        json={"input_file_id": batch_file["id"], "endpoint": "/v1/embeddings"},
        headers=rival,
    )
    assert stolen.status_code == 404
    for listing in ("/v1/files", "/v1/batches", "/v1/vector_stores"):
        assert (await client.get(listing, headers=rival)).json()["data"] == []
