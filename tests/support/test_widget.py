"""Widget keys, origins and CORS on fake models (the browser test is in tests/integration)."""

from __future__ import annotations

import httpx

from tests.support.conftest import make_kb

PAGE = "http://shop.example.com:8080"


async def make_key(client: httpx.AsyncClient, kb: str, origins: list[str]) -> dict[str, str]:
    response = await client.post(
        "/v1/support/widget-keys", json={"knowledge_base": kb, "allowed_origins": origins}
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


async def test_widget_chat_from_an_allowed_origin(client: httpx.AsyncClient) -> None:
    kb = await make_kb(client)
    key = await make_key(client, kb, [PAGE + "/", "https://www.example.com"])
    assert key["key"].startswith("pk_")
    assert key["allowed_origins"] == ["http://shop.example.com:8080", "https://www.example.com"]
    headers = {"origin": PAGE, "x-widget-key": key["key"]}
    reply = await client.post(
        "/widget/v1/chat", json={"message": "how long do refunds take"}, headers=headers
    )
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == PAGE
    body = reply.json()
    assert body["citations"]
    polled = await client.get(
        f"/widget/v1/conversations/{body['conversation_id']}?after=1", headers=headers
    )
    assert [m["role"] for m in polled.json()["messages"]] == ["assistant"]
    rated = await client.post(
        "/widget/v1/feedback",
        json={"message_id": body["message_id"], "rating": "up"},
        headers=headers,
    )
    assert rated.status_code == 200
    # The key's secret is never listed again.
    listed = (await client.get("/v1/support/widget-keys")).json()["data"]
    assert "key" not in listed[0]


async def test_other_origins_and_bad_keys_are_refused(client: httpx.AsyncClient) -> None:
    kb = await make_kb(client)
    key = await make_key(client, kb, [PAGE])
    message = {"message": "hi"}
    evil = await client.post(
        "/widget/v1/chat",
        json=message,
        headers={"origin": "http://evil.example.com", "x-widget-key": key["key"]},
    )
    assert evil.status_code == 403
    assert "may not use this widget key" in evil.json()["error"]["message"]
    no_origin = await client.post(
        "/widget/v1/chat", json=message, headers={"x-widget-key": key["key"]}
    )
    assert no_origin.status_code == 403
    wrong = await client.post(
        "/widget/v1/chat", json=message, headers={"origin": PAGE, "x-widget-key": "pk_nope"}
    )
    assert wrong.status_code == 401
    # An API key is not a widget key, and a widget key is not an API key.
    assert (
        await client.post("/widget/v1/chat", json=message, headers={"origin": PAGE})
    ).status_code == 401
    revoked = await client.delete(f"/v1/support/widget-keys/{key['id']}")
    assert revoked.json()["revoked"] is True
    after = await client.post(
        "/widget/v1/chat", json=message, headers={"origin": PAGE, "x-widget-key": key["key"]}
    )
    assert after.status_code == 401


async def test_widget_key_validation(client: httpx.AsyncClient) -> None:
    kb = await make_kb(client)
    bad = await client.post(
        "/v1/support/widget-keys", json={"knowledge_base": kb, "allowed_origins": ["example.com"]}
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == "allowed_origins"
    missing = await client.post(
        "/v1/support/widget-keys",
        json={"knowledge_base": "kb_0000000000000000", "allowed_origins": [PAGE]},
    )
    assert missing.status_code == 404


async def test_preflight_and_script(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/widget/v1/chat",
        headers={
            "origin": PAGE,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, x-widget-key",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == PAGE
    assert "x-widget-key" in preflight.headers["access-control-allow-headers"]
    script = await client.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert b"/widget/v1/chat" in script.content


async def test_defect_11_widget_writes_refuse_api_conversations(client: httpx.AsyncClient) -> None:
    kb = await make_kb(client)
    key = await make_key(client, kb, [PAGE])
    headers = {"origin": PAGE, "x-widget-key": key["key"]}
    api = await client.post(
        "/v1/support/chat",
        json={"knowledge_base": kb, "messages": [{"role": "user", "content": "refunds?"}]},
    )
    assert api.status_code == 200, api.text
    conversation, message = api.json()["conversation_id"], api.json()["message_id"]
    chat = await client.post(
        "/widget/v1/chat",
        json={"message": "and shipping?", "conversation_id": conversation},
        headers=headers,
    )
    assert chat.status_code == 404
    rated = await client.post(
        "/widget/v1/feedback", json={"message_id": message, "rating": "down"}, headers=headers
    )
    assert rated.status_code == 404
    history = (await client.get(f"/v1/support/conversations/{conversation}")).json()
    assert [m["content"] for m in history["messages"] if m["role"] == "user"] == ["refunds?"]


async def test_widget_poll_with_an_overflowing_cursor_is_a_400(client: httpx.AsyncClient) -> None:
    kb = await make_key(client, await make_kb(client), [PAGE])
    headers = {"origin": PAGE, "x-widget-key": kb["key"]}
    polled = await client.get("/widget/v1/conversations/conv_x?after=1e20", headers=headers)
    assert polled.status_code == 400
