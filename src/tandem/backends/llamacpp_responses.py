"""OpenAI response and chunk shapes built from local generations."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

from tandem.backends.chat_prompt import parse_tool_calls
from tandem.backends.llamacpp_plan import GenerationPlan
from tandem.wire import ChatCompletionRequest, JSONObject

FINGERPRINT = "tandem-llamacpp"


def _usage(prompt_tokens: int, completion_tokens: int) -> JSONObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def chat_choice(
    index: int, text: str, finish: str, plan: GenerationPlan, request: ChatCompletionRequest
) -> JSONObject:
    """One chat choice; tool modes turn the output into `tool_calls` when it holds any."""
    message: JSONObject = {"role": "assistant", "content": text, "refusal": None}
    if plan.tool_mode != "none":
        calls = parse_tool_calls(text, request)
        if calls:
            message["content"] = None
            message["tool_calls"] = calls
            finish = "tool_calls"
    return {"index": index, "message": message, "logprobs": None, "finish_reason": finish}


class _Chunks:
    """The events of one stream: the same id, time and model on each, usage last."""

    OBJECT = ""
    PREFIX = ""

    def __init__(self, model: str, include_usage: bool) -> None:
        self.id = f"{self.PREFIX}-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.model = model
        self.include_usage = include_usage

    def _chunk(self, choices: list[JSONObject]) -> JSONObject:
        chunk: JSONObject = {
            "id": self.id,
            "object": self.OBJECT,
            "created": self.created,
            "model": self.model,
            "system_fingerprint": FINGERPRINT,
            "choices": choices,
        }
        if self.include_usage:
            chunk["usage"] = None
        return chunk

    def usage(self, prompt_tokens: int, completion_tokens: int) -> JSONObject:
        """The final usage chunk (`choices` empty); the service drops it unless asked for."""
        chunk = self._chunk([])
        chunk["usage"] = _usage(prompt_tokens, completion_tokens)
        return chunk


class ChatChunks(_Chunks):
    """Builds the `chat.completion.chunk` events of one stream."""

    OBJECT = "chat.completion.chunk"
    PREFIX = "chatcmpl"

    def _delta(self, index: int, delta: JSONObject, finish: str | None = None) -> JSONObject:
        return self._chunk(
            [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}]
        )

    def role(self, index: int) -> JSONObject:
        """The opening chunk of a choice."""
        return self._delta(index, {"role": "assistant", "content": ""})

    def content(self, index: int, text: str) -> JSONObject:
        """A piece of text."""
        return self._delta(index, {"content": text})

    def finish(self, index: int, reason: str) -> JSONObject:
        """The closing chunk of a choice."""
        return self._delta(index, {}, reason)

    def whole_choice(self, choice: JSONObject) -> Iterator[JSONObject]:
        """A finished choice as stream chunks (used for tool calls)."""
        index = choice["index"]
        message = choice["message"]
        yield self.role(index)
        if message.get("tool_calls"):
            calls = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
            yield self._delta(index, {"tool_calls": calls})
        elif message.get("content"):
            yield self.content(index, message["content"])
        yield self.finish(index, choice["finish_reason"])


def text_choice(index: int, text: str, finish: str | None) -> JSONObject:
    """One text-completion choice."""
    return {"text": text, "index": index, "logprobs": None, "finish_reason": finish}


class TextChunks(_Chunks):
    """Builds the `text_completion` events of one stream."""

    OBJECT = "text_completion"
    PREFIX = "cmpl"

    def text(self, index: int, text: str) -> JSONObject:
        """A piece of text."""
        return self._chunk([text_choice(index, text, None)])

    def finish(self, index: int, reason: str) -> JSONObject:
        """The closing chunk of a choice."""
        return self._chunk([text_choice(index, "", reason)])
