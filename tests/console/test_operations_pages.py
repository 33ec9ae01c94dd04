"""The console's operations pages over HTTP on fakes: the audit log (paged, filtered, the
chain verified), the safety review queue (approve and reject, audited), and the support inbox
(a ticket's transcript, claim, a reply that lands in the customer's conversation, close);
admin keys only, another tenant's ticket a 404, customer text escaped."""

from __future__ import annotations

import httpx

from tandem.apps.support.product import SupportProduct
from tandem.governance.keys import KeySpec
from tandem.governance.principal import PLATFORM_TENANT
from tandem.platform import Platform
from tests.console.conftest import ADMIN_KEY, csrf_of, sign_in


def _ticket(platform: Platform, tenant: str, subject: str) -> tuple[str, str]:
    support = platform.product("support", SupportProduct).service
    conversation = support.conversations.start(tenant, "kb_1", "widget")
    support.conversations.append(conversation, "user", subject)
    ticket = support.tickets.open(tenant, "kb_1", conversation.id, "human_requested", subject)
    return ticket.id, conversation.id


async def test_the_audit_log_pages_filters_and_verifies(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    await sign_in(web, ADMIN_KEY)
    audit = console_platform.controls.audit
    for n in range(55):
        audit.append(tenant="default", actor="tester", action="test.step", target=f"t{n}")
    audit.append(tenant="default", actor="tester", action="other.thing", target="x")
    page = await web.get("/console/audit")
    assert page.status_code == 200
    assert page.text.count("<code>test.step</code>") == 49  # 50 a page, newest first
    assert "other.thing" in page.text
    assert "Older entries" in page.text
    older = await web.get("/console/audit?before=7")
    assert older.text.count("<code>test.step</code>") == 6
    assert "Older entries" not in older.text
    filtered = await web.get("/console/audit?action=other.thing")
    assert "test.step" not in filtered.text
    verified = await web.post("/console/audit/verify", data={"csrf": csrf_of(page.text)})
    assert verified.status_code == 303
    assert "The audit chain is intact: 56 entries." in (await web.get("/console/audit")).text


async def test_review_items_are_approved_and_rejected_with_an_audit_entry(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    review = console_platform.safety.review
    first = review.submit(
        tenant="default", kind="prompt_blocked", content="<b>kill</b> the process", findings={}
    )
    second = review.submit(tenant="default", kind="completion_blocked", content="x", findings={})
    await sign_in(web, ADMIN_KEY)
    page = await web.get("/console/review")
    assert "&lt;b&gt;kill&lt;/b&gt; the process" in page.text  # escaped, never markup
    token = csrf_of(page.text)
    approved = await web.post(
        f"/console/review/{first.id}/approve", data={"csrf": token, "note": "a shell command"}
    )
    assert approved.status_code == 303
    await web.post(f"/console/review/{second.id}/reject", data={"csrf": token})
    assert review.get(first.id, None).status == "approved"
    assert review.get(first.id, None).note == "a shell command"
    assert review.get(second.id, None).status == "rejected"
    assert "Nothing pending." in (await web.get("/console/review")).text
    actions = [e.action for e in console_platform.controls.audit.list(None)]
    assert {"review.approved", "review.rejected"} <= set(actions)
    forged = await web.post(f"/console/review/{first.id}/reject", data={"csrf": "forged"})
    assert forged.status_code == 403


async def test_a_ticket_is_claimed_answered_and_closed_from_the_inbox(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    # The inbox is the key's own tenant's, as on /v1/support (the static key's: PLATFORM).
    ticket_id, conversation_id = _ticket(
        console_platform, PLATFORM_TENANT, "<script>alert(1)</script> I need a person"
    )
    await sign_in(web, ADMIN_KEY)
    inbox = await web.get("/console/support")
    assert ticket_id in inbox.text
    assert "<script>alert(1)</script>" not in inbox.text
    assert "&lt;script&gt;" in inbox.text
    rows = await web.get("/console/support/rows")  # what the inbox's script swaps in
    assert ticket_id in rows.text
    assert "&lt;script&gt;" in rows.text
    assert "<html" not in rows.text
    page = await web.get(f"/console/support/{ticket_id}")
    assert "Transcript" in page.text
    token = csrf_of(page.text)
    await web.post(f"/console/support/{ticket_id}/claim", data={"csrf": token})
    sent = await web.post(
        f"/console/support/{ticket_id}/reply", data={"csrf": token, "text": "Hello, I am Ana."}
    )
    assert sent.status_code == 303
    support = console_platform.product("support", SupportProduct).service
    messages = support.conversations.messages(conversation_id)
    assert [(m.role, m.content) for m in messages][-1] == ("agent", "Hello, I am Ana.")
    assert support.tickets.get(PLATFORM_TENANT, ticket_id).status == "claimed"
    await web.post(f"/console/support/{ticket_id}/close", data={"csrf": token})
    assert support.tickets.get(PLATFORM_TENANT, ticket_id).status == "closed"
    assert ticket_id in (await web.get("/console/support?status=closed")).text
    assert ticket_id not in (await web.get("/console/support")).text


async def test_operations_pages_need_an_admin_key_and_stay_in_the_tenant(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    ticket_id, _ = _ticket(console_platform, "other", "a ticket of another tenant")
    keys = console_platform.controls.keys
    user = keys.create(KeySpec(tenant="acme", project="default", name="u", scope="user"))
    admin = keys.create(KeySpec(tenant="acme", project="default", name="a", scope="admin"))
    await sign_in(web, user.secret)
    for path in ("/console/audit", "/console/review", "/console/support"):
        assert (await web.get(path)).status_code == 403, path
    web.cookies.clear()
    await sign_in(web, admin.secret)
    assert (await web.get("/console/support")).status_code == 200
    assert ticket_id not in (await web.get("/console/support?status=all")).text
    assert (await web.get(f"/console/support/{ticket_id}")).status_code == 404
    page = await web.get("/console/audit")
    assert 'action="/console/audit/verify"' not in page.text  # the chain spans every tenant


async def test_the_overview_counts_api_traffic_from_the_rollups(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    from tandem.apps.console.product import ConsoleProduct

    keys = console_platform.controls.keys
    user = keys.create(KeySpec(tenant="acme", project="default", name="u", scope="user"))
    keys.create(KeySpec(tenant=PLATFORM_TENANT, project="default", name="capped", budget_usd=10.0))
    body = {"model": "fake", "messages": [{"role": "user", "content": "hello"}]}
    for secret, count in ((ADMIN_KEY, 3), (user.secret, 2)):
        for _ in range(count):
            reply = await web.post(
                "/v1/chat/completions", json=body, headers={"authorization": f"Bearer {secret}"}
            )
            assert reply.status_code == 200
    await console_platform.controls.ledger.flush()
    console = console_platform.product("console", ConsoleProduct)
    console.rollups.roll()  # moves the watermark past these rows; the page rolls them
    await sign_in(web, ADMIN_KEY)
    page = await web.get("/console/overview?range=7d")
    assert page.status_code == 200
    assert '<td id="total-requests">5</td>' in page.text
    assert "<svg" in page.text
    assert "<td>fake</td>" in page.text
    csv_file = await web.get("/console/overview?range=7d&format=csv")
    assert csv_file.headers["content-type"].startswith("text/csv")
    lines = csv_file.text.strip().splitlines()
    assert lines[0] == "day,deployment,status,requests,prompt_tokens,completion_tokens,cost_usd"
    assert sum(int(line.split(",")[3]) for line in lines[1:]) == 5
    one_key = await web.get(f"/console/overview?tenant=acme&key={user.id}")
    assert '<td id="total-requests">2</td>' in one_key.text
    only_acme = await web.get("/console/overview?tenant=acme")
    assert '<td id="total-requests">2</td>' in only_acme.text
    web.cookies.clear()
    await sign_in(web, user.secret)
    mine = await web.get("/console/overview")
    assert mine.status_code == 200
    assert "Your key&#39;s traffic" in mine.text or "Your key's traffic" in mine.text
    assert '<td id="total-requests">2</td>' in mine.text


async def test_the_playground_answers_without_javascript_and_streams_with_it(
    web: httpx.AsyncClient,
) -> None:
    await sign_in(web, ADMIN_KEY)
    page = await web.get("/console/playground")
    assert '<option value="fake">' in page.text
    token = csrf_of(page.text)
    form = {"csrf": token, "deployment": "fake", "compare": "other", "message": "Say hi"}
    whole = await web.post("/console/playground", data=form)
    assert whole.status_code == 200
    assert whole.text.count('class="card answer"') == 2  # side by side
    assert "completion tokens" in whole.text
    streamed = await web.post("/console/playground/stream", data=form)
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("text/event-stream")
    names = [line[7:] for line in streamed.text.splitlines() if line.startswith("event: ")]
    assert names[0] == "delta"
    assert names[-1] == "done"
    refused = await web.post("/console/playground", data={**form, "deployment": "nope"})
    assert refused.status_code == 400
    assert "may not use that deployment" in refused.text
    bad_schema = await web.post("/console/playground/stream", data={**form, "schema": "{"})
    assert bad_schema.status_code == 400
    assert "not valid JSON" in bad_schema.json()["error"]
    forged = await web.post("/console/playground/stream", data={**form, "csrf": "forged"})
    assert forged.status_code == 403


async def test_deployments_are_listed_tested_added_and_removed(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    await sign_in(web, ADMIN_KEY)
    page = await web.get("/console/deployments")
    assert page.status_code == 200
    assert "<td>fake</td>" in page.text
    token = csrf_of(page.text)
    tested = await web.post("/console/deployments/fake/test", data={"csrf": token})
    assert tested.status_code == 303
    assert "fake answered in" in (await web.get("/console/deployments")).text
    config = '{"name": "extra", "targets": [{"backend": "fake"}]}'
    await web.post("/console/deployments", data={"csrf": token, "config": config})
    assert "extra" in console_platform.deployments
    listed = await web.get("/console/deployments")
    assert "Deployment extra added." in listed.text
    assert 'aria-label="Remove extra"' in listed.text
    assert 'aria-label="Remove fake"' not in listed.text  # from the configuration file
    await web.post("/console/deployments/extra/remove", data={"csrf": token})
    assert "extra" not in console_platform.deployments
    await web.post("/console/deployments", data={"csrf": token, "config": '{"name": "x"}'})
    assert "The configuration is not valid" in (await web.get("/console/deployments")).text
    actions = [e.action for e in console_platform.controls.audit.list(None)]
    assert {"deployment.add", "deployment.remove"} <= set(actions)
    keys = console_platform.controls.keys
    admin = keys.create(KeySpec(tenant="acme", project="default", name="a", scope="admin"))
    web.cookies.clear()
    await sign_in(web, admin.secret)
    assert (await web.get("/console/deployments")).status_code == 403


async def test_keys_get_limits_and_expiry_and_are_rotated_with_the_secret_shown_once(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    await sign_in(web, ADMIN_KEY)
    token = csrf_of((await web.get("/console/keys")).text)
    form = {
        "csrf": token,
        "name": "limited",
        "scope": "user",
        "rpm": "30",
        "tpm": "9000",
        "budget_usd": "2.5",
        "expires": "2099-01-31",
    }
    made = await web.post("/console/keys", data=form)
    assert made.status_code == 200
    keys = console_platform.controls.keys
    row = next(k for k in keys.list(None) if k.name == "limited")
    assert (row.rpm, row.tpm, row.budget_usd) == (30, 9000, 2.5)
    assert row.expires_at is not None
    assert row.expires_at.strftime("%Y-%m-%d") == "2099-01-31"
    assert "30 rpm" in (await web.get("/console/keys")).text
    bad = await web.post("/console/keys", data={**form, "rpm": "lots"})
    assert bad.status_code == 303
    assert "Requests per minute must be a number" in (await web.get("/console/keys")).text
    past = await web.post("/console/keys", data={**form, "expires": "2001-01-01"})
    assert past.status_code == 303
    rotated = await web.post(f"/console/keys/{row.id}/rotate", data={"csrf": token})
    assert rotated.status_code == 200
    assert 'id="new-secret"' in rotated.text
    assert keys.get(row.id, None).revoked_at is not None
    fresh = [k for k in keys.list(None) if k.name == "limited" and k.revoked_at is None]
    assert len(fresh) == 1
    assert fresh[0].rpm == 30  # the same rights


async def test_safety_policies_and_blocklists_are_edited_in_the_console(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    import json

    await sign_in(web, ADMIN_KEY)
    page = await web.get("/console/safety?deployment=fake")
    assert page.status_code == 200
    token = csrf_of(page.text)
    policy = console_platform.safety.policies.for_deployment("fake").model_dump(mode="json")
    policy["prompt"]["violence"] = {"action": "block", "threshold": "low"}
    saved = await web.post(
        "/console/safety/policy",
        data={"csrf": token, "deployment": "fake", "policy": json.dumps(policy)},
    )
    assert saved.status_code == 303
    stored = console_platform.safety.policies.for_deployment("fake")
    assert stored.prompt.violence.threshold == "low"
    policy["prompt"]["violence"]["threshold"] = "extreme"
    await web.post(
        "/console/safety/policy",
        data={"csrf": token, "deployment": "fake", "policy": json.dumps(policy)},
    )
    assert "The policy was not saved" in (await web.get("/console/safety?deployment=fake")).text
    assert (
        console_platform.safety.policies.for_deployment("fake").prompt.violence.threshold == "low"
    )
    await web.post(
        "/console/safety/policy", data={"csrf": token, "deployment": "fake", "action": "remove"}
    )
    assert "fake" not in console_platform.safety.policies.list()
    blocklists = console_platform.safety.blocklists
    await web.post(
        "/console/safety/blocklists",
        data={"csrf": token, "action": "create", "name": "rivals", "description": "brands"},
    )
    await web.post(
        "/console/safety/blocklists",
        data={"csrf": token, "action": "add", "name": "rivals", "items": "Acme\nGlobex\n\n"},
    )
    tenant = console_platform.controls.authenticate(ADMIN_KEY, None).tenant
    assert sorted(i.text for i in blocklists.items(tenant, "rivals")) == ["Acme", "Globex"]
    listed = await web.get("/console/safety")
    assert "<code>Acme</code>" in listed.text
    await web.post(
        "/console/safety/blocklists",
        data={
            "csrf": token,
            "action": "add",
            "name": "rivals",
            "items": "(unclosed",
            "regex": "on",
        },
    )
    assert "rivals" in (await web.get("/console/safety")).text
    assert len(blocklists.items(tenant, "rivals")) == 2  # the bad pattern was refused
    await web.post(
        "/console/safety/blocklists", data={"csrf": token, "action": "delete", "name": "rivals"}
    )
    assert blocklists.lists(tenant) == []
    actions = {e.action for e in console_platform.controls.audit.list(None)}
    assert {"safety.policy.set", "blocklist.upsert", "blocklist.add_items"} <= actions


async def test_datasets_are_uploaded_asked_and_kept_in_their_tenant(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    await sign_in(web, ADMIN_KEY)
    token = csrf_of((await web.get("/console/datasets")).text)
    csv = "region,revenue\nNorth,10\nSouth,30\nNorth,5\n"
    made = await web.post(
        "/console/datasets/upload",
        data={"csrf": token, "name": "Tiny"},
        files={"files": ("tiny.csv", csv.encode(), "text/csv")},
    )
    assert made.status_code == 303
    page_url = made.headers["location"]
    page = await web.get(page_url)
    assert "Dataset Tiny created." in page.text
    asked = await web.get(page_url, params={"q": "total revenue by region"})
    assert asked.status_code == 200
    assert "<td>North</td><td>15</td>" in asked.text
    scripted = await web.post(
        "/console/datasets/upload",
        data={"csrf": token},
        files={"files": ("bad.csv", b"\x00\x01\x02", "text/csv")},
        headers={"x-console-upload": "1"},
    )
    assert scripted.json()["next"] == "/console/datasets"  # refused, said on that page
    keys = console_platform.controls.keys
    other = keys.create(KeySpec(tenant="acme", project="default", name="a", scope="admin"))
    web.cookies.clear()
    await sign_in(web, other.secret)
    assert (await web.get(page_url)).status_code == 404
    assert "Tiny" not in (await web.get("/console/datasets")).text


async def test_playground_tools_reach_the_model_and_bad_ones_are_named(
    web: httpx.AsyncClient, console_platform: Platform
) -> None:
    await sign_in(web, ADMIN_KEY)
    token = csrf_of((await web.get("/console/playground")).text)
    tools = '[{"name": "get_weather", "parameters": {"type": "object", "properties": {}}}]'
    form = {"csrf": token, "deployment": "fake", "message": "Weather?", "tools": tools}
    answered = await web.post("/console/playground", data=form)
    assert answered.status_code == 200
    backend = console_platform.deployments.get("fake").targets[0].backend
    sent = [r for op, r in backend.history if op.startswith("chat")][-1]  # type: ignore[attr-defined]
    assert [t.function.name for t in sent.tools] == ["get_weather"]
    assert "get_weather" in answered.text  # the tools stay in the form
    bad = await web.post("/console/playground", data={**form, "tools": '[{"description": 1}]'})
    assert bad.status_code == 400
    assert "Each tool must be an object with a name." in bad.text
