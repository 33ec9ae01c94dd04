"""Tenant isolation: a matrix of every admin and data route, for each tenant against the other."""

from __future__ import annotations

import pytest

from tests.governance.conftest import Tenants

PAIRS = [("acme", "globex"), ("globex", "acme")]


async def _traffic(tenants: Tenants) -> None:
    for who in ("acme-user", "globex-user"):
        assert (await tenants.chat(who)).status_code == 200
    for who in ("acme-admin", "globex-admin"):
        await tenants.client.post("/admin/keys", json={"name": who}, headers=tenants.auth(who))
    await tenants.platform.controls.ledger.flush()


@pytest.mark.parametrize(("me", "them"), PAIRS)
async def test_listings_show_only_my_tenant(tenants: Tenants, me: str, them: str) -> None:
    await _traffic(tenants)
    auth = tenants.auth(f"{me}-admin")
    keys = (await tenants.client.get("/admin/keys", headers=auth)).json()["data"]
    assert keys
    assert {k["tenant"] for k in keys} == {me}
    usage = await tenants.client.get("/admin/usage", params={"group_by": ["tenant"]}, headers=auth)
    assert [r["tenant"] for r in usage.json()["data"]] == [me]
    audit = (await tenants.client.get("/admin/audit", headers=auth)).json()["data"]
    assert audit
    assert {e["tenant"] for e in audit} == {me}


@pytest.mark.parametrize(("me", "them"), PAIRS)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/keys?tenant={them}", None),
        ("GET", "/admin/usage?tenant={them}", None),
        ("GET", "/admin/audit?tenant={them}", None),
        ("POST", "/admin/keys", {"tenant": "{them}"}),
        ("PUT", "/admin/budgets/default", {"tenant": "{them}", "budget_usd": 1}),
    ],
)
async def test_naming_the_other_tenant_is_forbidden(
    tenants: Tenants, me: str, them: str, method: str, path: str, body: dict[str, object] | None
) -> None:
    if body is not None:
        body = {k: (v.format(them=them) if isinstance(v, str) else v) for k, v in body.items()}
    response = await tenants.client.request(
        method, path.format(them=them), json=body, headers=tenants.auth(f"{me}-admin")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("me", "them"), PAIRS)
@pytest.mark.parametrize(
    ("method", "suffix"), [("GET", ""), ("POST", "/revoke"), ("POST", "/rotate")]
)
async def test_other_tenants_keys_do_not_exist_for_me(
    tenants: Tenants, me: str, them: str, method: str, suffix: str
) -> None:
    path = f"/admin/keys/{tenants.ids[f'{them}-user']}{suffix}"
    response = await tenants.client.request(method, path, headers=tenants.auth(f"{me}-admin"))
    assert response.status_code == 404
    assert (await tenants.chat(f"{them}-user")).status_code == 200  # still working


@pytest.mark.parametrize("me", ["acme", "globex"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/deployments"),
        ("GET", "/admin/deployments/fake"),
        ("POST", "/admin/deployments"),
        ("DELETE", "/admin/deployments/fake"),
        ("GET", "/admin/audit/verify"),
        ("PUT", "/admin/tenants/acme/budget"),
        ("PUT", "/admin/tenants/globex/budget"),
    ],
)
async def test_platform_routes_are_closed_to_tenant_admins(
    tenants: Tenants, me: str, method: str, path: str
) -> None:
    body = {"name": "x", "backend": "fake"} if method == "POST" else None
    response = await tenants.client.request(
        method, path, json=body, headers=tenants.auth(f"{me}-admin")
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["acme-user", "globex-user"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/keys"),
        ("POST", "/admin/keys"),
        ("GET", "/admin/usage"),
        ("GET", "/admin/audit"),
        ("PUT", "/admin/budgets/default"),
        ("PUT", "/admin/tenants/acme/budget"),
        ("GET", "/admin/budgets"),
        ("GET", "/admin/deployments"),
    ],
)
async def test_user_keys_reach_no_admin_route(
    tenants: Tenants, who: str, method: str, path: str
) -> None:
    body = {"budget_usd": 1} if method == "PUT" else {} if method == "POST" else None
    response = await tenants.client.request(method, path, json=body, headers=tenants.auth(who))
    assert response.status_code == 403


async def test_platform_admin_sees_every_tenant(tenants: Tenants) -> None:
    await _traffic(tenants)
    auth = tenants.auth("platform")
    keys = (await tenants.client.get("/admin/keys", headers=auth)).json()["data"]
    assert {"acme", "globex"} <= {k["tenant"] for k in keys}
    usage = await tenants.client.get("/admin/usage", params={"group_by": ["tenant"]}, headers=auth)
    assert {r["tenant"] for r in usage.json()["data"]} == {"acme", "globex"}
