"""Response shapes of the OpenAI surface (requests live in tandem.wire).

Handlers answer with plain dicts (the currency every backend speaks); these models describe
them in the OpenAPI spec and are not run per request.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from tandem.routing.deployments import Deployment
from tandem.wire import JSONObject

CREATED = 1_700_000_000


def model_card(deployment: Deployment) -> JSONObject:
    """A deployment as an OpenAI `model` object."""
    return {
        "id": deployment.name,
        "object": "model",
        "created": CREATED,
        "owned_by": "tandem",
        "backends": [t.backend.label for t in deployment.targets],
        "ready": deployment.ready,
    }


class ModelCard(BaseModel):
    """A deployment as OpenAI shows a model."""

    id: str
    object: Literal["model"]
    created: int
    owned_by: str
    backends: list[str]
    ready: bool


class ModelList(BaseModel):
    """The deployments a key may use."""

    object: Literal["list"]
    data: list[ModelCard]


class Usage(BaseModel):
    """Tokens counted for a call."""

    prompt_tokens: int
    completion_tokens: int | None = None
    total_tokens: int


class AssistantMessage(BaseModel):
    """The message of a chat choice: text, or tool calls."""

    role: Literal["assistant"]
    content: str | None
    tool_calls: list[dict[str, Any]] | None = None
    refusal: str | None = None


class ChatChoice(BaseModel):
    """One choice of a chat completion."""

    index: int
    message: AssistantMessage
    finish_reason: str | None
    logprobs: Any = None


class ChatCompletion(BaseModel):
    """A whole chat completion (streamed: `chat.completion.chunk` events, then `[DONE]`)."""

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage | None = None


class TextChoice(BaseModel):
    """One choice of a text completion."""

    text: str
    index: int
    finish_reason: str | None
    logprobs: Any = None


class TextCompletion(BaseModel):
    """A whole text completion (streamed: `text_completion` events, then `[DONE]`)."""

    id: str
    object: Literal["text_completion"]
    created: int
    model: str
    choices: list[TextChoice]
    usage: Usage | None = None


class Embedding(BaseModel):
    """One vector: floats, or base64 of little-endian float32."""

    object: Literal["embedding"]
    index: int
    embedding: list[float] | str


class EmbeddingList(BaseModel):
    """The vectors of the inputs, in order."""

    object: Literal["list"]
    data: list[Embedding]
    model: str
    usage: Usage


class AzureDeployment(BaseModel):
    """A deployment as Azure lists it."""

    id: str
    model: str
    object: Literal["deployment"]
    status: str


class AzureDeploymentList(BaseModel):
    """The deployments a key may use, as Azure lists them."""

    object: Literal["list"]
    data: list[AzureDeployment]


def streamed(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route answering `model` whole or as server-sent events."""
    events = {"schema": {"type": "string", "description": "server-sent events, then [DONE]"}}
    return {200: {"model": model, "content": {"text/event-stream": events}}}
