"""Wire models of the support assistant."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class MessageIn(BaseModel):
    """One message of the conversation as the client sends it."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant", "agent"]
    content: str = Field(max_length=8000)


class ChatBody(BaseModel):
    """Body of POST /v1/support/chat."""

    model_config = ConfigDict(extra="forbid")

    knowledge_base: str = Field(min_length=1, max_length=40)
    messages: list[MessageIn] = Field(min_length=1, max_length=50)
    conversation_id: str | None = Field(default=None, max_length=40)
    stream: bool = False
    answer_mode: Literal["auto", "generative", "extractive"] | None = None


class WidgetChatBody(BaseModel):
    """Body of POST /widget/v1/chat (the knowledge base comes from the key)."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=4000)
    conversation_id: str | None = Field(default=None, max_length=40)


class FeedbackBody(BaseModel):
    """Body of POST /v1/support/feedback."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(min_length=1, max_length=40)
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=4000)


class ReplyBody(BaseModel):
    """Body of POST /v1/support/tickets/{id}/reply."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=8000)
    agent: str | None = Field(default=None, max_length=128)


class AgentBody(BaseModel):
    """Body of claim and close (optional: the agent's name)."""

    model_config = ConfigDict(extra="forbid")

    agent: str | None = Field(default=None, max_length=128)


class WidgetKeyBody(BaseModel):
    """Body of POST /v1/support/widget-keys."""

    model_config = ConfigDict(extra="forbid")

    knowledge_base: str = Field(min_length=1, max_length=40)
    allowed_origins: list[str] = Field(min_length=1, max_length=50)
    name: str = Field(default="", max_length=128)


class MessageView(BaseModel):
    """A message of a support conversation."""

    id: str
    object: Literal["support.message"]
    seq: int
    role: str
    content: str
    citations: list[dict[str, Any]] | None
    handoff_reason: str | None
    author: str | None
    created_at: str


class ConversationView(BaseModel):
    """A conversation's messages after a sequence number."""

    id: str
    object: Literal["support.conversation"]
    knowledge_base: str
    status: str
    messages: list[MessageView]


class TicketView(BaseModel):
    """A handoff ticket."""

    id: str
    object: Literal["support.ticket"]
    knowledge_base: str
    conversation_id: str
    reason: str
    subject: str
    status: str
    agent: str | None
    created_at: str
    claimed_at: str | None
    closed_at: str | None


class TicketList(BaseModel):
    """The handoff queue, oldest first."""

    object: Literal["list"]
    data: list[TicketView]


class TicketTranscript(TicketView):
    """A ticket with its conversation's transcript."""

    transcript: list[MessageView]


class WidgetKeyView(BaseModel):
    """A widget key without its secret."""

    id: str
    object: Literal["support.widget_key"]
    knowledge_base: str
    allowed_origins: list[str]
    name: str
    created_at: str
    revoked: bool


class IssuedWidgetKey(WidgetKeyView):
    """A new widget key with its secret, shown this once."""

    key: str


class WidgetKeyList(BaseModel):
    """A tenant's widget keys."""

    object: Literal["list"]
    data: list[WidgetKeyView]
