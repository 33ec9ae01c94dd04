"""The backend contract: a small ABC with capability flags and typed options.

Every backend, built-in or third-party, is registered under the `tandem.backends`
entry-point group and built from its validated `Options`.
"""

from __future__ import annotations

from abc import ABC
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from tandem.backends.collect import collect_chat, collect_text
from tandem.errors import InvalidRequestError
from tandem.wire import (
    ChatCompletionRequest,
    CompletionRequest,
    EmbeddingRequest,
    EmbeddingResult,
    JSONObject,
)


class BackendOptions(BaseModel):
    """Base of every backend's options: unknown keys are an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do; the API refuses what it cannot with a clear 400."""

    chat: bool = False
    completions: bool = False
    embeddings: bool = False
    multiple_choices: bool = True


@dataclass(frozen=True)
class BackendContext:
    """What the platform hands every backend it builds."""

    data_dir: Path
    queue_size: int = 32
    max_generation_s: float = 300.0
    extra: dict[str, Any] = field(default_factory=dict)


class Backend(ABC):
    """A producer of OpenAI-shaped responses, stream-first.

    A subclass implements one async generator per operation it serves (`chat_stream`,
    `complete_stream`) and `embed`; the whole responses (`chat`, `complete`) are collected
    from the streams by default. An upstream that answers whole responses itself (with
    fields a stream does not carry) may override them. Failures are raised as
    `tandem.errors` types.
    """

    Options: ClassVar[type[BackendOptions]] = BackendOptions
    capabilities: ClassVar[Capabilities] = Capabilities()

    def __init__(self, options: BackendOptions, context: BackendContext) -> None:
        self.options = options
        self.context = context

    @classmethod
    def create(cls, options: dict[str, Any], context: BackendContext) -> Backend:
        """Validate `options` against `Options` and build the backend."""
        try:
            validated = cls.Options.model_validate(options)
        except ValidationError as exc:
            raise InvalidRequestError(
                f"invalid options for backend {cls.__name__}: {exc.errors()[0]['msg']} "
                f"at {'.'.join(str(p) for p in exc.errors()[0]['loc'])}",
                param="options",
            ) from exc
        return cls(validated, context)

    @property
    def label(self) -> str:
        """A short name for logs and metrics."""
        return type(self).__name__

    async def start(self) -> None:
        """Load models or open connections; called once before serving."""

    async def close(self) -> None:
        """Release resources; called once at shutdown."""

    @property
    def ready(self) -> bool:
        """Whether the backend can serve now."""
        return True

    async def probe(self) -> bool | None:
        """Whether the backend's server answers at all (readiness checks ask this of an
        upstream); None when there is nothing to reach, as for an in-process model."""
        return None

    def queue_depth(self) -> int:
        """Requests waiting for this backend (embedded models queue)."""
        return 0

    async def chat(self, request: ChatCompletionRequest, model: str) -> JSONObject:
        """A whole chat completion: by default, the stream collected."""
        return await collect_chat(self.chat_stream(request, model))

    def chat_stream(self, request: ChatCompletionRequest, model: str) -> AsyncIterator[JSONObject]:
        """A chat completion as `chat.completion.chunk` dicts (usage last if asked)."""
        raise _unsupported("chat completions")

    async def complete(self, request: CompletionRequest, model: str) -> JSONObject:
        """A whole text completion: by default, the stream collected."""
        return await collect_text(self.complete_stream(request, model))

    def complete_stream(self, request: CompletionRequest, model: str) -> AsyncIterator[JSONObject]:
        """A text completion as `text_completion` chunk dicts."""
        raise _unsupported("text completions")

    @property
    def speaks_responses(self) -> bool:
        """Whether this backend serves OpenAI's Responses API itself (then a Responses
        request is passed to it as it is, not translated into a chat completion)."""
        return False

    async def respond(self, body: JSONObject, model: str) -> JSONObject:
        """A whole `response` from a backend that speaks the Responses API."""
        raise _unsupported("the Responses API natively")

    def respond_stream(self, body: JSONObject, model: str) -> AsyncIterator[JSONObject]:
        """A response's stream events from a backend that speaks the Responses API."""
        raise _unsupported("the Responses API natively")

    async def embed(self, request: EmbeddingRequest, model: str) -> EmbeddingResult | JSONObject:
        """Embeddings: vectors to encode, or an upstream's ready response."""
        raise _unsupported("embeddings")


def _unsupported(what: str) -> InvalidRequestError:
    return InvalidRequestError(f"this deployment does not serve {what}", param="model")
