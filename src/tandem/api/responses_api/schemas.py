"""Response shapes of the Responses and Conversations routes, for the OpenAPI spec
(handlers answer with dicts; these describe them and are not run per request)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ResponseObject(_Open):
    """A response (streamed: `response.*` server-sent events)."""

    id: str
    object: Literal["response"]
    created_at: int
    status: Literal["queued", "in_progress", "completed", "incomplete", "failed", "cancelled"]
    model: str
    output: list[dict[str, Any]]
    usage: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class Deleted(_Open):
    """A deleted object."""

    id: str
    object: str
    deleted: bool


class ItemList(_Open):
    """A page of items."""

    object: Literal["list"]
    data: list[dict[str, Any]]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool


class ConversationObject(_Open):
    """A conversation."""

    id: str
    object: Literal["conversation"]
    created_at: int
    metadata: dict[str, Any]


class ConversationCreate(BaseModel):
    """Body of POST /v1/conversations."""

    model_config = ConfigDict(extra="forbid")

    items: list[dict[str, Any]] | None = Field(default=None, max_length=20)
    metadata: dict[str, str] | None = Field(default=None, max_length=16)


class ConversationUpdate(BaseModel):
    """Body of POST /v1/conversations/{id}."""

    model_config = ConfigDict(extra="forbid")

    metadata: dict[str, str] = Field(max_length=16)


class ItemsCreate(BaseModel):
    """Body of POST /v1/conversations/{id}/items."""

    model_config = ConfigDict(extra="forbid")

    items: list[dict[str, Any]] = Field(min_length=1, max_length=20)


def streamed_response() -> dict[int | str, dict[str, Any]]:
    """`responses=` of POST /v1/responses: JSON, or server-sent events when streamed."""
    events = {"schema": {"type": "string", "description": "response.* server-sent events"}}
    return {200: {"model": ResponseObject, "content": {"text/event-stream": events}}}
