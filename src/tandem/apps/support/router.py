"""POST /v1/support/chat and the queue, feedback, analytics and widget keys around it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from typing import Any

from fastapi import APIRouter, Query
from starlette.responses import Response, StreamingResponse

from tandem.apps.support.product import SupportProduct
from tandem.apps.support.schemas import (
    AgentBody,
    ChatBody,
    ConversationView,
    FeedbackBody,
    IssuedWidgetKey,
    MessageView,
    ReplyBody,
    TicketList,
    TicketTranscript,
    TicketView,
    WidgetKeyBody,
    WidgetKeyList,
    WidgetKeyView,
)
from tandem.apps.support.service import Turn
from tandem.apps.support.tickets import TicketStatus, agent_name
from tandem.apps.support.views import message_view, ticket_view, widget_key_view
from tandem.errors import TandemError
from tandem.governance.principal import Principal
from tandem.http.bodies import JSONRoute
from tandem.http.deps import AdminDep, CallContextDep, PlatformDep, PrincipalDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes, sse_event
from tandem.platform import Platform
from tandem.store.models import SupportTicket

router = APIRouter(prefix="/v1/support", tags=["support"], route_class=JSONRoute)


def _support(platform: Platform) -> SupportProduct:
    return platform.product("support", SupportProduct)


# Sequence numbers are 32-bit integer columns (PostgreSQL INTEGER).
MAX_SEQ = 2**31 - 1


async def event_stream(events: AsyncGenerator[dict[str, Any], None]) -> Response:
    """Server-sent events; errors before the first event are raised as HTTP errors, later
    ones end the stream with an `error` event."""
    first = await anext(events)

    async def frames() -> AsyncIterator[bytes]:
        async with aclosing(events):
            yield sse_event(first)
            try:
                async for event in events:
                    yield sse_event(event)
            except TandemError as exc:
                yield sse_event({"type": "error", **exc.openai_body()})

    return StreamingResponse(frames(), media_type="text/event-stream")


@router.post("/chat")
async def chat(body: ChatBody, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Answer from a knowledge base with citations, or hand off to a person."""
    turns = [Turn(m.role, m.content) for m in body.messages]
    args = (ctx, body.knowledge_base, turns, body.conversation_id, "api", body.answer_mode)
    if body.stream:
        return await event_stream(_support(platform).service.chat_events(*args))
    reply = await _support(platform).service.chat(*args)
    return JSONBytes(reply.body())


@router.get("/conversations/{conversation_id}", responses={200: {"model": ConversationView}})
async def conversation(
    conversation_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    after: int = Query(default=0, ge=0, le=MAX_SEQ),
) -> Response:
    """A conversation's messages after sequence number `after` (poll for agent replies)."""
    conversations = _support(platform).service.conversations
    row = await asyncio.to_thread(conversations.get, principal.tenant, conversation_id)
    messages = await asyncio.to_thread(conversations.messages, row.id, after)
    return JSONBytes(
        {
            "id": row.id,
            "object": "support.conversation",
            "knowledge_base": row.knowledge_base,
            "status": row.status,
            "messages": [message_view(m) for m in messages],
        }
    )


@router.post("/feedback", responses=errors(404))
async def feedback(body: FeedbackBody, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Thumbs up or down, with an optional comment, on one answer."""
    row = await asyncio.to_thread(
        _support(platform).service.feedback.rate,
        principal.tenant,
        body.message_id,
        body.rating,
        body.comment,
    )
    return JSONBytes(
        {"object": "support.feedback", "message_id": row.message_id, "rating": row.rating}
    )


@router.get("/analytics", responses=errors(404))
async def analytics(
    platform: PlatformDep, principal: AdminDep, knowledge_base: str = Query(max_length=40)
) -> Response:
    """Questions, handoff rate, feedback and top unanswered questions of a knowledge base."""
    # Another tenant's (or no) knowledge base is a 404, not a report of zeros.
    await asyncio.to_thread(platform.knowledge.store.require, principal.tenant, knowledge_base)
    report = await asyncio.to_thread(
        _support(platform).service.feedback.analytics, principal.tenant, knowledge_base
    )
    return JSONBytes(report)


@router.get("/tickets", responses={200: {"model": TicketList}})
async def tickets(
    platform: PlatformDep,
    principal: AdminDep,
    status: TicketStatus | None = None,
    knowledge_base: str | None = Query(default=None, max_length=40),
    limit: int = Query(default=100, ge=1, le=1000),
) -> Response:
    """The handoff queue, oldest first."""
    rows = await asyncio.to_thread(
        _support(platform).service.tickets.list, principal.tenant, status, knowledge_base, limit
    )
    return JSONBytes({"object": "list", "data": [ticket_view(r) for r in rows]})


@router.get("/tickets/{ticket_id}", responses={200: {"model": TicketTranscript}})
async def ticket(ticket_id: str, platform: PlatformDep, principal: AdminDep) -> Response:
    """A ticket with its conversation's transcript."""
    support = _support(platform).service
    row = await asyncio.to_thread(support.tickets.get, principal.tenant, ticket_id)
    messages = await asyncio.to_thread(support.conversations.messages, row.conversation_id)
    return JSONBytes({**ticket_view(row), "transcript": [message_view(m) for m in messages]})


async def _agent(platform: Platform, principal: Principal, named: str | None) -> str:
    return await asyncio.to_thread(agent_name, principal, platform.controls.keys, named)


async def _ticket_step(
    platform: Platform,
    body: AgentBody | None,
    principal: Principal,
    ticket_id: str,
    step: Callable[[str, str, str], SupportTicket],
) -> Response:
    """Claim or close: an optional body naming the agent, then the ticket as it now is."""
    agent = await _agent(platform, principal, body.agent if body else None)
    row = await asyncio.to_thread(step, principal.tenant, ticket_id, agent)
    return JSONBytes(ticket_view(row))


@router.post("/tickets/{ticket_id}/claim", responses={200: {"model": TicketView}})
async def claim(
    ticket_id: str, platform: PlatformDep, principal: AdminDep, body: AgentBody | None = None
) -> Response:
    """Take a ticket from the queue."""
    return await _ticket_step(
        platform, body, principal, ticket_id, _support(platform).service.tickets.claim
    )


@router.post("/tickets/{ticket_id}/reply", responses={200: {"model": MessageView}})
async def reply(
    ticket_id: str, body: ReplyBody, platform: PlatformDep, principal: AdminDep
) -> Response:
    """Answer the customer; the message appears in their conversation."""
    agent = await _agent(platform, principal, body.agent)
    message = await asyncio.to_thread(
        _support(platform).service.tickets.reply, principal.tenant, ticket_id, agent, body.text
    )
    return JSONBytes(message_view(message))


@router.post("/tickets/{ticket_id}/close", responses={200: {"model": TicketView}})
async def close(
    ticket_id: str, platform: PlatformDep, principal: AdminDep, body: AgentBody | None = None
) -> Response:
    """Close a ticket; the assistant takes the conversation back."""
    return await _ticket_step(
        platform, body, principal, ticket_id, _support(platform).service.tickets.close
    )


@router.post(
    "/widget-keys", status_code=201, responses={**errors(404), 201: {"model": IssuedWidgetKey}}
)
async def create_widget_key(
    body: WidgetKeyBody, platform: PlatformDep, principal: AdminDep
) -> Response:
    """A publishable key for one knowledge base and a list of origins; the key is shown once."""
    await asyncio.to_thread(platform.knowledge.store.require, principal.tenant, body.knowledge_base)
    row, secret = await asyncio.to_thread(
        _support(platform).service.widget_keys.create,
        principal,
        body.knowledge_base,
        body.allowed_origins,
        body.name,
    )
    return JSONBytes({**widget_key_view(row), "key": secret}, status_code=201)


@router.get("/widget-keys", responses={200: {"model": WidgetKeyList}})
async def widget_keys(platform: PlatformDep, principal: AdminDep) -> Response:
    """The tenant's widget keys (without secrets)."""
    rows = await asyncio.to_thread(_support(platform).service.widget_keys.list, principal.tenant)
    return JSONBytes({"object": "list", "data": [widget_key_view(r) for r in rows]})


@router.delete("/widget-keys/{key_id}", responses={200: {"model": WidgetKeyView}})
async def revoke_widget_key(key_id: str, platform: PlatformDep, principal: AdminDep) -> Response:
    """Revoke a widget key."""
    row = await asyncio.to_thread(_support(platform).service.widget_keys.revoke, principal, key_id)
    return JSONBytes(widget_key_view(row))
