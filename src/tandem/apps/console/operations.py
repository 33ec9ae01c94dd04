"""Operations pages of the console: deployments (health, cooldown, a test call, add and
remove), the audit log (paged, with the chain verified on demand), the safety review queue
(approve or reject), and the support inbox (tickets, their
transcripts, claim, reply and close; the reply reaches the customer's widget).

Each page needs an admin key and shows the key's own tenant (a platform key: every tenant
where the API allows it); every change is a POST with the session's CSRF token, made through
the same audited services the API uses.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from tandem.apps.console.pages import (
    Visit,
    call_context,
    field_of,
    installed,
    posted,
    redirect_with,
    refused,
    render_page,
    signed_in,
)
from tandem.apps.support.product import SupportProduct
from tandem.apps.support.tickets import agent_name
from tandem.config import DeploymentConfig
from tandem.errors import NotFoundError, TandemError
from tandem.governance.principal import Principal
from tandem.platform import Platform
from tandem.routing.deployments import describe
from tandem.wire import ChatCompletionRequest

router = APIRouter(include_in_schema=False)
PAGE = 50
MAX_REPLY = 8000
TICKET_STATES = ("open", "claimed", "closed")


# -- audit log -------------------------------------------------------------------------------


@router.get("/console/audit")
async def audit_page(request: Request, action: str = "", before: int | None = None) -> Response:
    """The audit log, newest first, a page at a time."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    audit = visit.console.platform.controls.audit
    rows = await asyncio.to_thread(
        audit.list, me.tenant_filter(None), PAGE + 1, action[:64] or None, before
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render_page(
        visit,
        "audit.html",
        rows=rows,
        action=action[:64],
        older=rows[-1].id if more and rows else None,
    )


@router.post("/console/audit/verify")
async def verify_audit(request: Request) -> Response:
    """Walk the whole hash chain (platform admins: it spans every tenant)."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, _ = found
    if not me.is_platform:
        return refused(visit, "Verifying the whole chain needs a platform key.")
    result = await asyncio.to_thread(visit.console.platform.controls.audit.verify)
    message = (
        f"The audit chain is intact: {result.entries} entries."
        if result.ok
        else f"The audit chain is broken: {'; '.join(result.problems[:5])}"
    )
    return redirect_with(visit, message, "/console/audit")


# -- safety review queue -----------------------------------------------------------------------


@router.get("/console/review")
async def review_page(request: Request, status: str = "pending") -> Response:
    """Blocked or flagged exchanges, newest first; pending ones can be decided."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    shown = status if status in ("pending", "approved", "rejected", "all") else "pending"
    review = visit.console.platform.safety.review
    rows = await asyncio.to_thread(
        review.list, me.tenant_filter(None), None if shown == "all" else shown, 100
    )
    return render_page(visit, "review.html", rows=rows, status=shown)


@router.post("/console/review/{item_id}/{decision}")
async def decide(request: Request, item_id: str, decision: str) -> Response:
    """Approve (acceptable in context) or reject (a violation) a review item."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    chosen: Literal["approved", "rejected"] | None = {
        "approve": "approved",
        "reject": "rejected",
    }.get(decision)  # type: ignore[assignment]
    assert visit.session is not None
    if chosen is None:
        return redirect_with(visit, "Choose approve or reject.", "/console/review")
    note = field_of(form, "note") or None
    try:
        await asyncio.to_thread(
            visit.console.platform.safety.decide, me, item_id[:64], chosen, note
        )
        visit.session.flash = f"Item {item_id[:8]} {chosen}."
    except TandemError as exc:
        visit.session.flash = exc.message
    return RedirectResponse("/console/review", status_code=303)


# -- support inbox -----------------------------------------------------------------------------


async def _tickets(visit: Visit, me: Principal, status: str) -> tuple[str, list[Any], bool]:
    support = installed(visit, "support", SupportProduct)
    shown = status if status in (*TICKET_STATES, "all") else "open"
    rows: list[Any] = []
    if support is not None:
        rows = await asyncio.to_thread(
            support.service.tickets.list,
            me.tenant,
            None if shown == "all" else shown,  # type: ignore[arg-type]
            None,
            200,
        )
    return shown, rows, support is not None


@router.get("/console/support")
async def inbox(request: Request, status: str = "open") -> Response:
    """The tenant's tickets, oldest waiting first; new ones appear without a reload."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    shown, rows, installed = await _tickets(visit, me, status)
    return render_page(visit, "inbox.html", rows=rows, status=shown, installed=installed)


@router.get("/console/support/rows")
async def inbox_rows(request: Request, status: str = "open") -> Response:
    """The inbox table's rows alone, for the page's script to swap in every few seconds."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    shown, rows, _ = await _tickets(visit, me, status)
    return visit.console.renderer.page("inbox_rows.html", 200, rows=rows, status=shown)


@router.get("/console/support/{ticket_id}")
async def ticket_page(request: Request, ticket_id: str) -> Response:
    """A ticket with its transcript, and the agent's actions."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    support = installed(visit, "support", SupportProduct)
    if support is None:
        return refused(visit, "The support product is not installed on this server.")
    service = support.service
    try:
        row = await asyncio.to_thread(service.tickets.get, me.tenant, ticket_id[:64])
    except NotFoundError:
        return render_page(visit, "not_found.html", 404, what="ticket", ident=ticket_id[:40])
    messages = await asyncio.to_thread(service.conversations.messages, row.conversation_id)
    return render_page(visit, "ticket.html", ticket=row, messages=messages)


@router.post("/console/support/{ticket_id}/{step}")
async def ticket_step(request: Request, ticket_id: str, step: str) -> Response:
    """Claim, reply to or close a ticket, as the signed-in key (named by its key name)."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    support = installed(visit, "support", SupportProduct)
    assert visit.session is not None
    back = RedirectResponse(f"/console/support/{ticket_id[:64]}", status_code=303)
    if support is None or step not in ("claim", "reply", "close"):
        visit.session.flash = "That is not a ticket action."
        return back
    tickets = support.service.tickets
    agent = await asyncio.to_thread(agent_name, me, visit.console.platform.controls.keys)
    try:
        if step == "reply":
            text = form.get("text")
            text = text.strip()[:MAX_REPLY] if isinstance(text, str) else ""
            if not text:
                visit.session.flash = "Write a reply first."
                return back
            await asyncio.to_thread(tickets.reply, me.tenant, ticket_id[:64], agent, text)
            visit.session.flash = "Reply sent to the customer."
        else:
            action = tickets.claim if step == "claim" else tickets.close
            await asyncio.to_thread(action, me.tenant, ticket_id[:64], agent)
            visit.session.flash = "Ticket claimed." if step == "claim" else "Ticket closed."
    except TandemError as exc:
        visit.session.flash = exc.message
    return back


# -- deployments -------------------------------------------------------------------------------


def _platform_admin(visit: Visit, me: Principal) -> Response | None:
    if not me.is_platform:
        return refused(visit, "Deployments are managed with a platform key.")
    return None


@router.get("/console/deployments")
async def deployments_page(request: Request) -> Response:
    """Every deployment with its readiness, queue, backends' health and cooldown."""
    found = await signed_in(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me = found
    if (refusal := _platform_admin(visit, me)) is not None:
        return refusal
    rows = [describe(d) for d in visit.console.platform.deployments]
    return render_page(visit, "deployments.html", rows=rows, example=DEPLOYMENT_EXAMPLE)


@router.post("/console/deployments")
async def add_deployment(request: Request) -> Response:
    """Add a deployment from its JSON configuration (kept across restarts)."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    if (refusal := _platform_admin(visit, me)) is not None:
        return refusal
    assert visit.session is not None
    raw = form.get("config")
    try:
        config = DeploymentConfig.model_validate_json(raw if isinstance(raw, str) else "")
        await visit.console.platform.add_deployment(config, me)
        visit.session.flash = f"Deployment {config.name} added."
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the configuration"
        visit.session.flash = f"The configuration is not valid: {first['msg']} at {where}."
    except TandemError as exc:
        visit.session.flash = exc.message
    return RedirectResponse("/console/deployments", status_code=303)


@router.post("/console/deployments/{name}/{action}")
async def deployment_action(request: Request, name: str, action: str) -> Response:
    """A test call (a few tokens through the gateway) or removing a runtime deployment."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, _ = found
    if (refusal := _platform_admin(visit, me)) is not None:
        return refusal
    assert visit.session is not None
    platform = visit.console.platform
    name = name[:64]
    try:
        if action == "test":
            visit.session.flash = await _test_call(platform, me, name)
        elif action == "remove":
            await platform.remove_deployment(name, me)
            visit.session.flash = f"Deployment {name} removed."
        else:
            visit.session.flash = "That is not a deployment action."
    except TandemError as exc:
        visit.session.flash = f"{name}: {exc.message}"
    return RedirectResponse("/console/deployments", status_code=303)


async def _test_call(platform: Platform, me: Principal, name: str) -> str:
    request = ChatCompletionRequest.model_validate(
        {
            "model": name,
            "messages": [{"role": "user", "content": "Reply with the word OK."}],
            "max_tokens": 8,
            "temperature": 0,
        }
    )
    ctx = call_context(me)
    started = time.perf_counter()
    reply = await platform.service.ask(ctx, request, name)
    took = (time.perf_counter() - started) * 1000
    return f"{name} answered in {took:.0f} ms: {reply.text[:120]!r}"


DEPLOYMENT_EXAMPLE = (
    '{"name": "gpt-4o", "targets": [{"backend": "openai", "options": '
    '{"base_url": "https://api.openai.com/v1", "model": "gpt-4o", '
    '"api_key_env": "OPENAI_API_KEY"}}]}'
)
