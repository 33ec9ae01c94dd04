"""The Safety page: the content-safety policy of each deployment (platform keys; edited as
the JSON `tandem safety policy show` prints, validated before it is stored) and the tenant's
blocklists with their items (admin keys). Every change goes through the audited safety
services the API uses."""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from tandem.apps.console.pages import field_of, posted, refused, render_page, signed_in
from tandem.errors import TandemError
from tandem.safety.policy import DEFAULT, SafetyPolicy

router = APIRouter(include_in_schema=False)
MAX_ITEMS = 1000
BACK = "/console/safety"


@router.get("/console/safety")
async def safety_page(request: Request, deployment: str = DEFAULT) -> Response:
    """Policies (platform keys) and the tenant's blocklists."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    safety = visit.console.platform.safety
    names = [DEFAULT, *(d.name for d in visit.console.platform.deployments)]
    chosen = deployment if deployment in names else DEFAULT
    policy_text = ""
    stored: list[str] = []
    if me.is_platform:
        stored = sorted(await asyncio.to_thread(safety.policies.list))
        policy = await asyncio.to_thread(safety.policies.for_deployment, chosen)
        policy_text = json.dumps(policy.model_dump(mode="json"), indent=2)
    lists = await asyncio.to_thread(safety.blocklists.lists, me.tenant)
    items = {
        b.name: await asyncio.to_thread(safety.blocklists.items, me.tenant, b.name) for b in lists
    }
    return render_page(
        visit,
        "safety.html",
        names=names,
        chosen=chosen,
        stored=stored,
        policy_text=policy_text,
        lists=lists,
        items=items,
    )


@router.post("/console/safety/policy")
async def save_policy(request: Request) -> Response:
    """Store a deployment's policy from its JSON, or remove the stored one."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    if not me.is_platform:
        return refused(visit, "Safety policies are set with a platform key.")
    assert visit.session is not None
    deployment = field_of(form, "deployment") or DEFAULT
    back = RedirectResponse(f"{BACK}?deployment={deployment}", status_code=303)
    if deployment != DEFAULT and deployment not in visit.console.platform.deployments:
        visit.session.flash = f"There is no deployment '{deployment}'."
        return back
    safety = visit.console.platform.safety
    if field_of(form, "action") == "remove":
        removed = await asyncio.to_thread(safety.delete_policy, me, deployment)
        visit.session.flash = (
            f"The stored policy of {deployment} was removed."
            if removed
            else f"{deployment} had no stored policy."
        )
        return back
    raw = form.get("policy")
    try:
        policy = SafetyPolicy.model_validate_json(raw if isinstance(raw, str) else "")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the policy"
        visit.session.flash = f"The policy was not saved: {first['msg']} at {where}."
        return back
    await asyncio.to_thread(safety.set_policy, me, deployment, policy)
    visit.session.flash = f"The policy of {deployment} was saved."
    return back


@router.post("/console/safety/blocklists")
async def blocklist_change(request: Request) -> Response:
    """Create a blocklist, add items to one (a line each), or delete one."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    assert visit.session is not None
    safety = visit.console.platform.safety
    name = field_of(form, "name")[:64]
    action = field_of(form, "action")
    try:
        if not name:
            visit.session.flash = "Name the blocklist."
        elif action == "create":
            await asyncio.to_thread(
                safety.upsert_blocklist, me, name, field_of(form, "description")
            )
            visit.session.flash = f"Blocklist {name} saved."
        elif action == "add":
            raw = form.get("items")
            lines = [line.strip() for line in (raw if isinstance(raw, str) else "").splitlines()]
            terms = [(t[:256], form.get("regex") == "on", "") for t in lines if t][:MAX_ITEMS]
            added = await asyncio.to_thread(safety.add_blocklist_items, me, name, terms)
            visit.session.flash = f"{len(added)} items added to {name}."
        elif action == "delete":
            await asyncio.to_thread(safety.delete_blocklist, me, name)
            visit.session.flash = f"Blocklist {name} deleted."
        else:
            visit.session.flash = "That is not a blocklist action."
    except TandemError as exc:
        visit.session.flash = exc.message
    return RedirectResponse(BACK, status_code=303)
