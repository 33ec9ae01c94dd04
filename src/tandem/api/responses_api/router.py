"""Routes of the Responses API (/v1/responses) and Conversations (/v1/conversations)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response, StreamingResponse

from tandem.api.model_routes import required_model
from tandem.api.responses_api.schemas import (
    ConversationCreate,
    ConversationObject,
    ConversationUpdate,
    Deleted,
    ItemList,
    ItemsCreate,
    ResponseObject,
    streamed_response,
)
from tandem.errors import InvalidRequestError, NotFoundError
from tandem.http.bodies import JSONRoute
from tandem.http.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes, unless_disconnected
from tandem.stateful.response_store import conversation_object
from tandem.stateful.translate import normalize_items
from tandem.stateful.wire import ResponseRequest
from tandem.wire import JSONObject

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["responses"], route_class=JSONRoute)

Limit = Annotated[int, Query(ge=1, le=100)]
Order = Annotated[Literal["asc", "desc"], Query()]
After = Annotated[str | None, Query(max_length=128)]


def sse_frame(event: JSONObject) -> bytes:
    """A Responses event: named, as OpenAI sends them."""
    kind = str(event["type"]).encode()
    return b"event: " + kind + b"\ndata: " + orjson.dumps(event) + b"\n\n"


@router.post("/responses", responses=streamed_response())
async def create_response(
    body: ResponseRequest, request: Request, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """A response, whole, streamed, or queued in the background."""
    hosted = platform.hosted
    model = required_model(body.model)
    if body.stream:
        events = await hosted.responses.stream(ctx, body, model)
        return StreamingResponse(
            _frames(events), media_type="text/event-stream", headers=ctx.headers
        )
    result = await unless_disconnected(request, hosted.responses.create(ctx, body, model))
    return JSONBytes(result, headers=ctx.headers)


async def _frames(events: AsyncIterator[JSONObject]) -> AsyncIterator[bytes]:
    async for event in events:
        yield sse_frame(event)


@router.get("/responses/{response_id}", responses={200: {"model": ResponseObject}})
async def get_response(response_id: str, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """A stored response."""
    return JSONBytes(await platform.hosted.responses.get(ctx, response_id))


@router.delete("/responses/{response_id}", responses={200: {"model": Deleted}})
async def delete_response(response_id: str, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Delete a stored response."""
    return JSONBytes(await platform.hosted.responses.delete(ctx, response_id))


@router.post(
    "/responses/{response_id}/cancel", responses={200: {"model": ResponseObject}, **errors(400)}
)
async def cancel_response(response_id: str, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Cancel a background response."""
    return JSONBytes(await platform.hosted.responses.cancel(ctx, response_id))


@router.get("/responses/{response_id}/input_items", responses={200: {"model": ItemList}})
async def input_items(
    response_id: str,
    platform: PlatformDep,
    ctx: CallContextDep,
    limit: Limit = 20,
    order: Order = "desc",
    after: After = None,
) -> Response:
    """The items the response saw as input (earlier turns of its chain included)."""
    page = await platform.hosted.responses.input_items(ctx, response_id, limit, order, after)
    return JSONBytes(page)


# -- conversations ----------------------------------------------------------------------------


def _items(raw: list[JSONObject] | None) -> list[JSONObject]:
    """Items checked as Responses input items, with ids (errors name `items[i]`)."""
    if not raw:
        return []
    try:
        return normalize_items(ResponseRequest.model_validate({"input": raw}))
    except InvalidRequestError as exc:
        exc.param = (exc.param or "items").replace("input", "items", 1)
        exc.message = exc.message.replace("input[", "items[")
        raise


@router.post("/conversations", responses={200: {"model": ConversationObject}})
async def create_conversation(
    body: ConversationCreate, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """A new conversation, optionally holding items."""
    items = _items(body.items)
    row = await platform.hosted.conversations.create(principal.tenant, body.metadata, items)
    return JSONBytes(conversation_object(row))


@router.get("/conversations/{conversation_id}", responses={200: {"model": ConversationObject}})
async def get_conversation(
    conversation_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """A conversation."""
    row = await platform.hosted.conversations.get(principal.tenant, conversation_id)
    return JSONBytes(conversation_object(row))


@router.post("/conversations/{conversation_id}", responses={200: {"model": ConversationObject}})
async def update_conversation(
    conversation_id: str,
    body: ConversationUpdate,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> Response:
    """Replace a conversation's metadata."""
    conversations = platform.hosted.conversations
    row = await conversations.update(principal.tenant, conversation_id, body.metadata)
    return JSONBytes(conversation_object(row))


@router.delete("/conversations/{conversation_id}", responses={200: {"model": Deleted}})
async def delete_conversation(
    conversation_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delete a conversation and its items."""
    await platform.hosted.conversations.delete(principal.tenant, conversation_id)
    return JSONBytes({"id": conversation_id, "object": "conversation.deleted", "deleted": True})


@router.get("/conversations/{conversation_id}/items", responses={200: {"model": ItemList}})
async def list_items(
    conversation_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    order: Order = "desc",
    after: After = None,
) -> Response:
    """A page of a conversation's items."""
    items = await platform.hosted.conversations.items(principal.tenant, conversation_id)
    return JSONBytes(_page(items, limit, order, after))


def _page(items: list[JSONObject], limit: int, order: str, after: str | None) -> JSONObject:
    ordered = list(reversed(items)) if order == "desc" else list(items)
    ids = [i.get("id") for i in ordered]
    if after is not None:
        ordered = ordered[ids.index(after) + 1 :] if after in ids else []
    page = ordered[:limit]
    return {
        "object": "list",
        "data": page,
        "has_more": len(ordered) > limit,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
    }


@router.post(
    "/conversations/{conversation_id}/items", responses={200: {"model": ItemList}, **errors(400)}
)
async def add_items(
    conversation_id: str, body: ItemsCreate, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Add items to a conversation."""
    items = _items(body.items)
    await platform.hosted.conversations.append(principal.tenant, conversation_id, items)
    return JSONBytes(_page(items, len(items), "asc", None))


@router.get("/conversations/{conversation_id}/items/{item_id}")
async def get_item(
    conversation_id: str, item_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """One item of a conversation."""
    items = await platform.hosted.conversations.items(principal.tenant, conversation_id)
    for item in items:
        if item.get("id") == item_id:
            return JSONBytes(item)
    raise NotFoundError(f"no item '{item_id}'", param="item_id")


@router.delete(
    "/conversations/{conversation_id}/items/{item_id}",
    responses={200: {"model": ConversationObject}},
)
async def delete_item(
    conversation_id: str, item_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Remove one item; the conversation is returned."""
    conversations = platform.hosted.conversations
    await conversations.delete_item(principal.tenant, conversation_id, item_id)
    return JSONBytes(
        conversation_object(await conversations.get(principal.tenant, conversation_id))
    )
