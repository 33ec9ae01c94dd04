"""The console over HTTP on fakes: sign-in, session cookie, CSRF, scopes, tenants, escaping,
and offline docs."""

from __future__ import annotations

import hashlib
import json

import httpx

from tandem.apps.console.assets import STATIC
from tandem.governance.keys import KeySpec
from tandem.platform import Platform
from tests.console.conftest import ADMIN_KEY, csrf_of, sign_in


async def test_root_leads_to_the_console_and_then_to_sign_in(web: httpx.AsyncClient) -> None:
    root = await web.get("/")
    assert root.status_code == 307
    assert root.headers["location"] == "/console"
    console = await web.get("/console")
    assert console.status_code == 303
    assert console.headers["location"] == "/console/signin"
    form = await web.get("/console/signin")
    assert 'type="password"' in form.text
    assert 'name="csrf"' in form.text


async def test_sign_in_sets_a_strict_http_only_session_cookie(web: httpx.AsyncClient) -> None:
    answer = await sign_in(web, ADMIN_KEY)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "tandem_console=" in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/" in cookie
    assert ADMIN_KEY not in answer.headers["set-cookie"]
    home = await web.get("/console")
    assert home.status_code == 200
    assert "platform" in home.text
    assert "fake" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in home.headers["content-security-policy"]


async def test_a_wrong_key_is_refused(web: httpx.AsyncClient) -> None:
    answer = await sign_in(web, "sk-000000000000_nope")
    assert answer.status_code == 401
    assert "not accepted" in answer.text
    assert (await web.get("/console")).status_code == 303


async def test_a_post_without_the_csrf_token_is_refused(web: httpx.AsyncClient) -> None:
    await web.get("/console/signin")
    refused = await web.post("/console/signin", data={"key": ADMIN_KEY})
    assert refused.status_code == 403
    assert (await web.get("/console")).status_code == 303
    await sign_in(web, ADMIN_KEY)
    wrong = await web.post("/console/keys", data={"csrf": "forged", "name": "x"})
    assert wrong.status_code == 403
    bare = await web.post("/console/signout")
    assert bare.status_code == 403
    assert (await web.get("/console")).status_code == 200


async def test_a_session_id_is_renewed_at_sign_in(web: httpx.AsyncClient) -> None:
    await web.get("/console/signin")
    before = web.cookies["tandem_console"]
    await sign_in(web, ADMIN_KEY)
    assert web.cookies["tandem_console"] != before


async def test_sign_out_ends_the_session(web: httpx.AsyncClient) -> None:
    await sign_in(web, ADMIN_KEY)
    home = await web.get("/console")
    stolen = web.cookies["tandem_console"]
    out = await web.post("/console/signout", data={"csrf": csrf_of(home.text)})
    assert out.status_code == 303
    web.cookies.set("tandem_console", stolen)
    assert (await web.get("/console")).status_code == 303


async def test_a_user_key_is_refused_the_keys_page(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    user = console_platform.controls.keys.create(KeySpec(tenant="acme", scope="user"))
    await sign_in(web, user.secret)
    home = await web.get("/console")
    assert home.status_code == 200
    assert 'href="/console/keys"' not in home.text
    page = await web.get("/console/keys")
    assert page.status_code == 403
    created = await web.post("/console/keys", data={"csrf": csrf_of(home.text), "name": "mine"})
    assert created.status_code == 403
    assert len(console_platform.controls.keys.list("acme")) == 1


async def test_a_key_allow_list_limits_the_deployments_shown(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    user = console_platform.controls.keys.create(
        KeySpec(tenant="acme", scope="user", deployments=["other"])
    )
    await sign_in(web, user.secret)
    home = (await web.get("/console")).text
    assert "<td>other</td>" in home
    assert "<td>fake</td>" not in home


async def test_a_tenant_admin_sees_and_revokes_only_its_own_keys(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    keys = console_platform.controls.keys
    admin = keys.create(KeySpec(tenant="acme", scope="admin", name="acme-admin"))
    theirs = keys.create(KeySpec(tenant="globex", name="globex-secret-key"))
    await sign_in(web, admin.secret)
    page = await web.get("/console/keys")
    assert page.status_code == 200
    assert "acme-admin" in page.text
    assert "globex-secret-key" not in page.text
    revoke = await web.post(f"/console/keys/{theirs.id}/revoke", data={"csrf": csrf_of(page.text)})
    assert revoke.status_code == 303
    assert keys.get(theirs.id, None).revoked_at is None
    assert "no key" in (await web.get("/console/keys")).text


async def test_a_tenant_admin_cannot_mint_a_platform_key(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    admin = console_platform.controls.keys.create(KeySpec(tenant="acme", scope="admin"))
    await sign_in(web, admin.secret)
    page = await web.get("/console/keys")
    assert '<option value="platform">' not in page.text
    forged = await web.post(
        "/console/keys",
        data={"csrf": csrf_of(page.text), "scope": "platform", "tenant": "system"},
    )
    assert forged.status_code == 403
    assert len(console_platform.controls.keys.list(None)) == 1


async def test_a_key_created_in_the_console_is_shown_once_and_works(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    await sign_in(web, ADMIN_KEY)
    page = await web.get("/console/keys")
    created = await web.post(
        "/console/keys",
        data={"csrf": csrf_of(page.text), "name": "ci", "scope": "user", "tenant": "acme"},
    )
    assert created.status_code == 200
    secret = created.text.split('id="new-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("sk-")
    assert secret not in (await web.get("/console/keys")).text
    models = await web.get("/v1/models", headers={"authorization": f"Bearer {secret}"})
    assert models.status_code == 200
    entries = console_platform.controls.audit.list("acme", action="key.create")
    assert entries[0].details["via"] == "console"


async def test_revoking_a_key_ends_its_console_sessions(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    user = console_platform.controls.keys.create(KeySpec(tenant="acme"))
    await sign_in(web, user.secret)
    assert (await web.get("/console")).status_code == 200
    console_platform.controls.keys.revoke(user.id, None)
    assert (await web.get("/console")).status_code == 303


async def test_html_in_user_content_is_escaped(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    console_platform.controls.keys.create(
        KeySpec(tenant="acme", name='<script>alert("x")</script>')
    )
    await sign_in(web, ADMIN_KEY)
    page = (await web.get("/console/keys")).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


async def test_docs_and_redoc_load_their_assets_from_tandem(web: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        page = await web.get(path)
        assert page.status_code == 200
        assert "https://" not in page.text.replace("https://github.com", "")
        assert "/console/static/" in page.text
    bundle = await web.get("/console/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")
    cached = await web.get(
        "/console/static/redoc/redoc.standalone.js", headers={"if-none-match": "x"}
    )
    assert cached.status_code == 200
    again = await web.get(
        "/console/static/redoc/redoc.standalone.js",
        headers={"if-none-match": cached.headers["etag"]},
    )
    assert again.status_code == 304


async def test_only_manifest_files_are_served(web: httpx.AsyncClient) -> None:
    assert (await web.get("/console/static/manifest.json")).status_code == 404
    assert (await web.get("/console/static/../templates/base.html")).status_code == 404
    assert (await web.get("/console/static/%2e%2e/templates/base.html")).status_code == 404


def test_every_vendored_asset_has_a_version_and_a_matching_checksum() -> None:
    manifest = json.loads((STATIC / "manifest.json").read_text())["assets"]
    on_disk = {
        p.relative_to(STATIC).as_posix()
        for p in STATIC.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert on_disk == set(manifest)
    for rel, entry in manifest.items():
        assert entry["version"]
        assert entry["package"]
        assert hashlib.sha256((STATIC / rel).read_bytes()).hexdigest() == entry["sha256"], rel
