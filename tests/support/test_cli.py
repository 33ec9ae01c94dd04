"""`tandem support`: analytics as tables, agents' replies shown when a chat continues."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from tandem.cli import support as support_cli

KB = "kb_0123456789abcdef"


def _serve(monkeypatch: pytest.MonkeyPatch, routes: dict[tuple[str, str], Any]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=routes[(request.method, request.url.path)])

    def connect(server: str, key: str | None, timeout: float = 600) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(handler), base_url=server)

    monkeypatch.setattr(support_cli, "connect", connect)
    monkeypatch.setattr(support_cli.console, "width", 160)


def test_analytics_prints_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    report = {
        "questions": 4,
        "answered": 2,
        "handoffs": 2,
        "handoff_rate": 0.5,
        "handoff_reasons": {"account_compromise": 1, "not_in_kb": 1},
        "tickets": {"open": 2, "claimed": 0, "closed": 0},
        "feedback": {"up": 1, "down": 0},
        "top_unanswered": [{"question": "do you do gift wrapping", "count": 1}],
    }
    _serve(monkeypatch, {("GET", "/v1/support/analytics"): report})
    result = CliRunner().invoke(support_cli.support_app, ["analytics", KB])
    assert result.exit_code == 0, result.output
    assert "4 questions, 2 answered, 2 handed off (50%)" in result.output
    assert "account_compromise" in result.output
    assert "tickets open" in result.output
    assert "{" not in result.output  # no Python dicts


def test_chat_in_a_conversation_shows_agent_replies(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = [
        {"seq": 1, "role": "user", "content": "get me a human", "author": None},
        {"seq": 2, "role": "assistant", "content": "Of course.", "author": None},
        {"seq": 3, "role": "agent", "content": "Hi, Ana here. Refunded.", "author": "ana"},
    ]
    reply = {
        "answer": "Your conversation is with our support team now.",
        "citations": [],
        "handoff": True,
        "handoff_reason": "human_requested",
        "ticket_id": "tkt_1",
        "conversation_id": "conv_1",
    }
    _serve(
        monkeypatch,
        {
            ("GET", "/v1/support/conversations/conv_1"): {"messages": messages},
            ("POST", "/v1/support/chat"): reply,
        },
    )
    result = CliRunner().invoke(
        support_cli.support_app, ["chat", KB, "thanks!", "--conversation", "conv_1"]
    )
    assert result.exit_code == 0, result.output
    assert "ana: Hi, Ana here. Refunded." in result.output
    assert "handed off (human_requested)" in result.output


async def test_tickets_name_the_agent_by_key_name(client: httpx.AsyncClient, platform: Any) -> None:
    from tandem.governance.keys import KeySpec
    from tests.support.conftest import make_kb

    keys = platform.controls.keys
    secret = keys.create(KeySpec(tenant="a", scope="admin", name="ana")).secret
    headers = {"authorization": f"Bearer {secret}"}
    kb = await make_kb(client, headers)
    body = {"knowledge_base": kb, "messages": [{"role": "user", "content": "get me a human"}]}
    ticket = (await client.post("/v1/support/chat", json=body, headers=headers)).json()["ticket_id"]
    claimed = await client.post(f"/v1/support/tickets/{ticket}/claim", headers=headers)
    assert claimed.json()["agent"] == "ana"
