"""The embeddable chat widget: its script, and the routes it calls with a publishable key
from pages on the key's allowed origins (CORS)."""

from __future__ import annotations

import asyncio
import uuid
from importlib import resources

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tandem.apps.support.product import SupportProduct
from tandem.apps.support.schemas import FeedbackBody, WidgetChatBody
from tandem.apps.support.service import Turn
from tandem.apps.support.views import message_view
from tandem.errors import NotFoundError, TandemError
from tandem.gateway.service import CallContext
from tandem.governance.principal import Principal
from tandem.http.deps import PlatformDep
from tandem.http.openapi import errors, json_body
from tandem.http.responses import JSONBytes, parse_body
from tandem.logs import REQUEST_ID
from tandem.platform import Platform
from tandem.store.models import WidgetKey

router = APIRouter(tags=["widget"])


def _support(platform: Platform) -> SupportProduct:
    return platform.product("support", SupportProduct)


KEY_HEADER = "x-widget-key"
PREFLIGHT_HEADERS = {
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": f"content-type, {KEY_HEADER}",
    "access-control-max-age": "600",
    "vary": "Origin",
}


def _cors(origin: str) -> dict[str, str]:
    return {"access-control-allow-origin": origin, "vary": "Origin"}


def _authorise(request: Request, platform: Platform) -> tuple[WidgetKey, CallContext, str]:
    """The key, a call context for its tenant (limited to the support deployments, at the
    widget's rate) and the page's origin; 401/403 otherwise."""
    origin = request.headers.get("origin")
    support = _support(platform)
    key = support.service.widget_keys.resolve(request.headers.get(KEY_HEADER), origin)
    settings = support.settings
    principal = Principal(
        tenant=key.tenant,
        project="widget",
        key_id=key.id,
        scope="user",
        deployments=frozenset({settings.deployment, platform.settings.embedding_deployment}),
        rpm=settings.widget_rpm,
    )
    ctx = CallContext(principal=principal, request_id=REQUEST_ID.get() or uuid.uuid4().hex)
    return key, ctx, origin or ""


def _reply(request: Request, body: dict[str, object], status: int) -> Response:
    origin = request.headers.get("origin")
    return JSONBytes(body, status_code=status, headers=_cors(origin) if origin else None)


@router.get("/widget.js", include_in_schema=False)
async def script() -> Response:
    """The widget: `<script src=".../widget.js" data-key="pk_..." async></script>`."""
    source = resources.files("tandem.web").joinpath("widget.js").read_bytes()
    return Response(
        source,
        media_type="text/javascript",
        headers={"cache-control": "public, max-age=300", "access-control-allow-origin": "*"},
    )


@router.options("/widget/v1/{path:path}", include_in_schema=False)
async def preflight(request: Request) -> Response:
    """CORS preflight; the key and origin are checked on the request itself."""
    origin = request.headers.get("origin", "*")
    return Response(status_code=204, headers={**PREFLIGHT_HEADERS, **_cors(origin)})


@router.post(
    "/widget/v1/chat",
    responses=errors(400, 401, 403, 404, 413, 429),
    openapi_extra=json_body(WidgetChatBody),
)
async def chat(request: Request, platform: PlatformDep) -> Response:
    """A customer's message from the widget."""
    try:
        key, ctx, origin = await asyncio.to_thread(_authorise, request, platform)
        body = await parse_body(request, WidgetChatBody)
        reply = await _support(platform).service.chat(
            ctx,
            key.knowledge_base,
            [Turn("user", body.message)],
            body.conversation_id,
            channel="widget",
        )
    except TandemError as exc:
        return _reply(request, exc.openai_body(), exc.status_code)
    return JSONBytes(reply.body(), headers=_cors(origin))


@router.get("/widget/v1/conversations/{conversation_id}", responses=errors(401, 403))
async def conversation(
    conversation_id: str,
    request: Request,
    platform: PlatformDep,
    after: int = Query(default=0, ge=0, le=2**31 - 1),
) -> Response:
    """New messages of a widget conversation (the widget polls for agents' replies)."""
    try:
        key, _, origin = await asyncio.to_thread(_authorise, request, platform)
        conversations = _support(platform).service.conversations
        row = await asyncio.to_thread(conversations.get, key.tenant, conversation_id)
        if row.knowledge_base != key.knowledge_base or row.channel != "widget":
            raise NotFoundError(f"no conversation '{conversation_id}'", param="conversation_id")
        messages = await asyncio.to_thread(conversations.messages, row.id, after)
    except TandemError as exc:
        return _reply(request, exc.openai_body(), exc.status_code)
    body = {"id": row.id, "status": row.status, "messages": [message_view(m) for m in messages]}
    return JSONBytes(body, headers=_cors(origin))


@router.post(
    "/widget/v1/feedback",
    responses=errors(400, 401, 403, 404, 413),
    openapi_extra=json_body(FeedbackBody),
)
async def feedback(request: Request, platform: PlatformDep) -> Response:
    """Thumbs up or down from the widget."""
    try:
        key, _, origin = await asyncio.to_thread(_authorise, request, platform)
        body = await parse_body(request, FeedbackBody)
        message = await asyncio.to_thread(
            _support(platform).service.conversations.message, key.tenant, body.message_id
        )
        conversation = await asyncio.to_thread(
            _support(platform).service.conversations.get, key.tenant, message.conversation_id
        )
        if message.knowledge_base != key.knowledge_base or conversation.channel != "widget":
            raise NotFoundError(f"no message '{body.message_id}'", param="message_id")
        await asyncio.to_thread(
            _support(platform).service.feedback.rate,
            key.tenant,
            body.message_id,
            body.rating,
            body.comment,
        )
    except TandemError as exc:
        return _reply(request, exc.openai_body(), exc.status_code)
    return JSONBytes({"object": "support.feedback", "rating": body.rating}, headers=_cors(origin))
