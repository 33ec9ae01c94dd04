"""Keys, quotas, budgets, usage and audit through the HTTP API."""

from __future__ import annotations

import httpx

from tandem.store.models import UsageRecord
from tests.governance.conftest import Tenants


async def test_model_routes_need_a_valid_key(tenants: Tenants) -> None:
    body = {"model": "fake", "messages": [{"role": "user", "content": "hi"}]}
    missing = await tenants.client.post("/v1/chat/completions", json=body)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "invalid_api_key"
    wrong = await tenants.client.post(
        "/v1/chat/completions", json=body, headers={"authorization": "Bearer sk-nope_nope"}
    )
    assert wrong.status_code == 401
    azure = await tenants.client.post(
        "/openai/deployments/fake/chat/completions",
        params={"api-version": "2024-10-21"},
        json=body,
        headers={"api-key": tenants.keys["acme-user"]},
    )
    assert azure.status_code == 200
    assert (await tenants.chat("acme-user")).status_code == 200


async def test_revoked_key_stops_working(tenants: Tenants) -> None:
    assert (await tenants.chat("acme-user")).status_code == 200
    revoked = await tenants.client.post(
        f"/admin/keys/{tenants.ids['acme-user']}/revoke", headers=tenants.auth("acme-admin")
    )
    assert revoked.json()["revoked"] is True
    assert (await tenants.chat("acme-user")).status_code == 401


async def test_allowed_deployments(tenants: Tenants) -> None:
    created = await tenants.client.post(
        "/admin/keys", json={"deployments": ["fake"]}, headers=tenants.auth("acme-admin")
    )
    tenants.keys["narrow"] = created.json()["key"]
    assert (await tenants.chat("narrow", "fake")).status_code == 200
    refused = await tenants.chat("narrow", "other")
    assert refused.status_code == 404
    models = await tenants.client.get("/v1/models", headers=tenants.auth("narrow"))
    assert [m["id"] for m in models.json()["data"]] == ["fake"]


async def test_rate_limit_headers_and_429(tenants: Tenants) -> None:
    created = await tenants.client.post(
        "/admin/keys", json={"rpm": 2, "tpm": 5000}, headers=tenants.auth("acme-admin")
    )
    tenants.keys["slow"] = created.json()["key"]
    first = await tenants.chat("slow", max_tokens=100)
    assert first.headers["x-ratelimit-limit-requests"] == "2"
    assert first.headers["x-ratelimit-remaining-requests"] == "1"
    assert first.headers["x-ratelimit-limit-tokens"] == "5000"
    assert int(first.headers["x-ratelimit-remaining-tokens"]) < 5000 - 100
    await tenants.chat("slow")
    third = await tenants.chat("slow")
    assert third.status_code == 429
    assert int(third.headers["retry-after"]) >= 1
    assert third.json()["error"]["code"] == "rate_limit_exceeded"
    # Requests were the limit: the refusal must not claim that no tokens are left.
    assert third.headers["x-ratelimit-remaining-requests"] == "0"
    assert "x-ratelimit-remaining-tokens" not in third.headers


async def test_deployment_rpm_applies_to_every_caller(tenants: Tenants) -> None:
    assert (await tenants.chat("acme-user", "limited")).status_code == 200
    assert (await tenants.chat("globex-user", "limited")).status_code == 200
    assert (await tenants.chat("acme-admin", "limited")).status_code == 429


async def test_token_limit_counts_max_tokens(tenants: Tenants) -> None:
    created = await tenants.client.post(
        "/admin/keys", json={"tpm": 300}, headers=tenants.auth("acme-admin")
    )
    tenants.keys["tight"] = created.json()["key"]
    response = await tenants.chat("tight", max_tokens=1000)
    assert response.status_code == 429
    assert "tokens-per-minute" in response.json()["error"]["message"]


async def test_budget_exhausted_is_a_clear_error(tenants: Tenants) -> None:
    created = await tenants.client.post(
        "/admin/keys", json={"budget_usd": 1.0}, headers=tenants.auth("acme-admin")
    )
    tenants.keys["budget"] = created.json()["key"]
    # The fake answers with 3 prompt and 1 completion tokens: $3 + $2 at these prices.
    assert (await tenants.chat("budget", "priced")).status_code == 200
    over = await tenants.chat("budget", "priced")
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "insufficient_quota"
    assert "budget" in over.json()["error"]["message"]


async def test_project_budget(tenants: Tenants) -> None:
    response = await tenants.client.put(
        "/admin/budgets/web", json={"budget_usd": 0.5}, headers=tenants.auth("acme-admin")
    )
    assert response.status_code == 200
    assert (await tenants.chat("acme-user", "priced")).status_code == 200  # project 'web'
    assert (await tenants.chat("acme-user", "priced")).status_code == 429
    assert (await tenants.chat("acme-admin", "priced")).status_code == 200  # project 'default'


async def test_every_request_lands_in_the_ledger(tenants: Tenants) -> None:
    for _ in range(3):
        await tenants.chat("acme-user")
    await tenants.chat("acme-user", "nope")  # unknown deployment: not a model request
    stream = await tenants.client.post(
        "/v1/chat/completions",
        json={"model": "fake", "stream": True, "messages": [{"role": "user", "content": "a b"}]},
        headers={**tenants.auth("acme-user"), "x-request-id": "stream-1"},
    )
    assert stream.status_code == 200
    await tenants.platform.controls.ledger.flush()
    with tenants.platform.controls.db.session() as session:
        records = session.query(UsageRecord).all()
    assert len(records) == 4
    streamed = next(r for r in records if r.request_id == "stream-1")
    assert (streamed.status, streamed.tenant, streamed.project) == ("ok", "acme", "web")
    assert streamed.completion_tokens == 2  # counted from the stream's usage chunk
    assert all(r.key_id == tenants.ids["acme-user"] for r in records)


async def test_usage_report_json_and_csv(tenants: Tenants) -> None:
    await tenants.chat("acme-user")
    await tenants.chat("acme-user", "other")
    report = await tenants.client.get(
        "/admin/usage",
        params={"group_by": ["deployment"]},
        headers=tenants.auth("acme-admin"),
    )
    data = {row["deployment"]: row for row in report.json()["data"]}
    assert data["fake"]["requests"] == 1
    assert data["other"]["requests"] == 1
    assert data["fake"]["prompt_tokens"] == 3
    csv = await tenants.client.get(
        "/admin/usage",
        params={"group_by": ["day", "key"], "format": "csv"},
        headers=tenants.auth("acme-admin"),
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("day,key,requests,prompt_tokens")


async def test_admin_actions_are_audited_and_verifiable(tenants: Tenants) -> None:
    created = await tenants.client.post(
        "/admin/keys", json={"name": "ci"}, headers=tenants.auth("acme-admin")
    )
    await tenants.client.post(
        f"/admin/keys/{created.json()['id']}/rotate", headers=tenants.auth("acme-admin")
    )
    entries = (await tenants.client.get("/admin/audit", headers=tenants.auth("acme-admin"))).json()
    assert [e["action"] for e in entries["data"]][:2] == ["key.rotate", "key.create"]
    verify = await tenants.client.get("/admin/audit/verify", headers=tenants.auth("platform"))
    assert verify.json()["ok"] is True


async def test_user_keys_cannot_administer(tenants: Tenants) -> None:
    for method, path in [("GET", "/admin/keys"), ("POST", "/admin/keys"), ("GET", "/admin/usage")]:
        response = await tenants.client.request(
            method, path, json={} if method == "POST" else None, headers=tenants.auth("acme-user")
        )
        assert response.status_code == 403, path


async def test_tenant_admins_cannot_manage_deployments(tenants: Tenants) -> None:
    response = await tenants.client.get("/admin/deployments", headers=tenants.auth("acme-admin"))
    assert response.status_code == 403
    ok = await tenants.client.get("/admin/deployments", headers=tenants.auth("platform"))
    assert ok.status_code == 200


async def test_open_mode_is_off_when_keys_are_required(tenants: Tenants) -> None:
    response = await tenants.client.get("/v1/models")
    assert response.status_code == 401


async def test_defect_7_revoking_the_last_key_does_not_reopen_the_server(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/v1/models")).status_code == 200  # open on loopback, no keys yet
    created = await client.post("/admin/keys", json={"tenant": "acme", "scope": "admin"})
    assert created.status_code == 201, created.text
    key_id, secret = created.json()["id"], created.json()["key"]
    assert (await client.get("/v1/models")).status_code == 401  # the first key closes it
    auth = {"authorization": f"Bearer {secret}"}
    revoked = await client.post(f"/admin/keys/{key_id}/revoke", headers=auth)
    assert revoked.status_code == 200, revoked.text
    assert (await client.get("/v1/models")).status_code == 401
    assert (await client.get("/admin/keys")).status_code == 401
