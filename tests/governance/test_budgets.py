"""Budgets in tokens beside USD, per key, project and tenant; a USD budget on a deployment
priced at $0 (as the built-in ones are) never trips, a token budget does."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tandem.cli.main import app
from tandem.governance.budgets import Budget, list_budgets
from tests.governance.conftest import Tenants

# The fake backend answers every chat with 3 prompt and 1 completion tokens.
TOKENS_PER_CHAT = 4


def _refusal(response: httpx.Response) -> str:
    assert response.status_code == 429, response.text
    error = response.json()["error"]
    assert error["code"] == "insufficient_quota"
    return str(error["message"])


async def _key(tenants: Tenants, name: str, who: str = "acme-admin", **body: object) -> None:
    created = await tenants.client.post("/admin/keys", json=body, headers=tenants.auth(who))
    assert created.status_code == 201, created.text
    tenants.keys[name] = created.json()["key"]
    tenants.ids[name] = created.json()["id"]


async def test_a_key_token_budget_refuses_once_used(tenants: Tenants) -> None:
    await _key(tenants, "tokens", budget_tokens=2 * TOKENS_PER_CHAT)
    view = await tenants.client.get(
        f"/admin/keys/{tenants.ids['tokens']}", headers=tenants.auth("acme-admin")
    )
    assert view.json()["budget_tokens"] == 2 * TOKENS_PER_CHAT
    assert (await tenants.chat("tokens")).status_code == 200
    assert (await tenants.chat("tokens")).status_code == 200
    message = _refusal(await tenants.chat("tokens"))
    assert "This key" in message
    assert f"{2 * TOKENS_PER_CHAT:,} tokens" in message
    assert f"used {2 * TOKENS_PER_CHAT:,}" in message
    # Other keys of the tenant are not affected.
    assert (await tenants.chat("acme-user")).status_code == 200


async def test_spend_written_to_the_database_still_counts(tenants: Tenants) -> None:
    # The ledger writes rows in the background; between a flush and the next read of the
    # month's spend, the requests this process made must still count.
    await _key(tenants, "flushed", budget_tokens=3 * TOKENS_PER_CHAT)
    for _ in range(3):
        assert (await tenants.chat("flushed")).status_code == 200
        await tenants.platform.controls.ledger.flush()
    assert "This key" in _refusal(await tenants.chat("flushed"))


async def test_a_usd_budget_never_trips_on_a_free_deployment(tenants: Tenants) -> None:
    await _key(tenants, "usd", budget_usd=0.01)
    for _ in range(5):
        assert (await tenants.chat("usd", "fake")).status_code == 200
    # The same key on a priced deployment: $5 for the first request, then refused.
    assert (await tenants.chat("usd", "priced")).status_code == 200
    assert "$0.01" in _refusal(await tenants.chat("usd", "priced"))


async def test_both_kinds_on_one_key_whichever_is_spent_first(tenants: Tenants) -> None:
    await _key(tenants, "both", budget_usd=1000.0, budget_tokens=TOKENS_PER_CHAT)
    assert (await tenants.chat("both", "priced")).status_code == 200
    assert "tokens" in _refusal(await tenants.chat("both", "fake"))


async def test_a_rotated_key_keeps_its_token_budget(tenants: Tenants) -> None:
    await _key(tenants, "old", budget_tokens=123)
    rotated = await tenants.client.post(
        f"/admin/keys/{tenants.ids['old']}/rotate", headers=tenants.auth("acme-admin")
    )
    assert rotated.json()["budget_tokens"] == 123


async def test_a_project_token_budget(tenants: Tenants) -> None:
    put = await tenants.client.put(
        "/admin/budgets/web",
        json={"budget_tokens": TOKENS_PER_CHAT},
        headers=tenants.auth("acme-admin"),
    )
    assert put.status_code == 200
    assert put.json() == {
        "tenant": "acme",
        "project": "web",
        "budget_usd": None,
        "budget_tokens": TOKENS_PER_CHAT,
    }
    assert (await tenants.chat("acme-user")).status_code == 200  # project 'web'
    assert "Project 'web'" in _refusal(await tenants.chat("acme-user"))
    assert (await tenants.chat("acme-admin")).status_code == 200  # project 'default'
    cleared = await tenants.client.put(
        "/admin/budgets/web", json={}, headers=tenants.auth("acme-admin")
    )
    assert cleared.status_code == 200
    assert (await tenants.chat("acme-user")).status_code == 200
    assert list_budgets(tenants.platform.controls.db, "acme") == []


async def test_a_tenant_budget_covers_every_key_of_the_tenant(tenants: Tenants) -> None:
    refused = await tenants.client.put(
        "/admin/tenants/globex/budget",
        json={"budget_tokens": 1},
        headers=tenants.auth("globex-admin"),
    )
    assert refused.status_code == 403  # a tenant's own admins cannot lift its cap
    put = await tenants.client.put(
        "/admin/tenants/globex/budget",
        json={"budget_tokens": TOKENS_PER_CHAT, "budget_usd": None},
        headers=tenants.auth("platform"),
    )
    assert put.status_code == 200
    assert put.json()["project"] is None
    assert (await tenants.chat("globex-user")).status_code == 200
    assert "Tenant 'globex'" in _refusal(await tenants.chat("globex-user"))
    assert "Tenant 'globex'" in _refusal(await tenants.chat("globex-admin"))
    assert (await tenants.chat("acme-user")).status_code == 200
    audit = await tenants.client.get(
        "/admin/audit", params={"action": "budget.set"}, headers=tenants.auth("globex-admin")
    )
    entry = audit.json()["data"][0]
    assert (entry["target"], entry["details"]["budget_tokens"]) == ("*", TOKENS_PER_CHAT)


async def test_budget_bodies_are_checked(tenants: Tenants) -> None:
    for body in ({"budget_tokens": -1}, {"budget_tokens": 1.5}, {"budget_tokens": 10**16}):
        response = await tenants.client.put(
            "/admin/budgets/web", json=body, headers=tenants.auth("acme-admin")
        )
        assert response.status_code == 400, body


async def test_cli_budgets_reach_a_running_server(
    tenants: Tenants, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANDEM_DATABASE_URL", db_url)
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tenants.platform.settings.data_dir))
    monkeypatch.delenv("TANDEM_CONFIG", raising=False)
    runner = CliRunner()
    command = ["budgets", "set", "--tenant", "acme", "--project", "web", "--tokens", "4"]
    result = await asyncio.to_thread(runner.invoke, app, command)
    assert result.exit_code == 0, result.output
    assert "4 tokens" in result.output
    listed = await asyncio.to_thread(runner.invoke, app, ["budgets", "list"])
    assert "web" in listed.output
    assert "4 tokens" in listed.output
    assert list_budgets(tenants.platform.controls.db) == [("acme", "web", Budget(None, 4))]
    # The server hears of the change (NOTIFY, or the SQLite file's data_version) and
    # refuses once the project has used its 4 tokens.
    deadline = time.monotonic() + 10
    outcomes = []
    while time.monotonic() < deadline:
        outcomes.append((await tenants.chat("acme-user")).status_code)
        if outcomes[-1] == 429:
            break
        await asyncio.sleep(0.1)
    assert outcomes[-1] == 429, outcomes


def test_keys_create_takes_a_token_budget(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANDEM_DATABASE_URL", db_url)
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TANDEM_CONFIG", raising=False)
    runner = CliRunner()
    created = runner.invoke(
        app, ["keys", "create", "--tenant", "acme", "--budget", "5", "--budget-tokens", "250000"]
    )
    assert created.exit_code == 0, created.output
    monkeypatch.setenv("COLUMNS", "200")
    listed = runner.invoke(app, ["keys", "list"])
    assert "$5 + 250,000 tokens" in listed.output


async def test_budgets_are_listed_to_their_tenant(tenants: Tenants) -> None:
    await tenants.client.put(
        "/admin/budgets/web", json={"budget_usd": 5}, headers=tenants.auth("acme-admin")
    )
    await tenants.client.put(
        "/admin/tenants/globex/budget", json={"budget_tokens": 1}, headers=tenants.auth("platform")
    )
    mine = await tenants.client.get("/admin/budgets", headers=tenants.auth("acme-admin"))
    assert mine.json()["data"] == [
        {"tenant": "acme", "project": "web", "budget_usd": 5.0, "budget_tokens": None}
    ]
    theirs = await tenants.client.get(
        "/admin/budgets", params={"tenant": "globex"}, headers=tenants.auth("acme-admin")
    )
    assert theirs.status_code == 403
    every = await tenants.client.get("/admin/budgets", headers=tenants.auth("platform"))
    assert {(b["tenant"], b["project"]) for b in every.json()["data"]} == {
        ("acme", "web"),
        ("globex", None),
    }
    assert (
        await tenants.client.get("/admin/budgets", headers=tenants.auth("acme-user"))
    ).status_code == 403
    # One token left to a tenant reads as such.
    await tenants.chat("globex-user")
    assert "budget of 1 token (used" in _refusal(await tenants.chat("globex-user"))
