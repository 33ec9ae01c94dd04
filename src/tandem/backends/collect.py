"""Whole responses collected from streams: what a stream-first backend answers when asked
for a whole chat or text completion (simonw/llm's `Model.execute` idea)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from tandem.wire import JSONObject


class ChoiceBuilder:
    """One choice as its chunks arrive: text, tool calls merged by index, the finish."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.text: list[str] = []
        self.calls: dict[int, JSONObject] = {}
        self.finish: str | None = None
        self.logprobs: Any = None

    def add_delta(self, delta: JSONObject) -> None:
        """Add a `chat.completion.chunk` delta."""
        if delta.get("content"):
            self.text.append(delta["content"])
        for call in delta.get("tool_calls") or []:
            into = self.calls.setdefault(
                int(call.get("index", len(self.calls))),
                {"id": "", "type": "function", "function": {"name": "", "arguments": ""}},
            )
            into["id"] = call.get("id") or into["id"]
            into["type"] = call.get("type") or into["type"]
            function = call.get("function") or {}
            into["function"]["name"] += function.get("name") or ""
            into["function"]["arguments"] += function.get("arguments") or ""

    def tool_calls(self) -> list[JSONObject]:
        """The calls so far, whole, in their order."""
        return [self.calls[i] for i in sorted(self.calls)]

    def chat(self) -> JSONObject:
        message: JSONObject = {"role": "assistant", "content": "".join(self.text), "refusal": None}
        if self.calls:
            message["content"] = None
            message["tool_calls"] = self.tool_calls()
        return {
            "index": self.index,
            "message": message,
            "logprobs": self.logprobs,
            "finish_reason": self.finish or "stop",
        }

    def text_choice(self) -> JSONObject:
        return {
            "text": "".join(self.text),
            "index": self.index,
            "logprobs": self.logprobs,
            "finish_reason": self.finish or "stop",
        }


async def _gather(chunks: AsyncIterator[JSONObject], chat: bool) -> JSONObject:
    head: JSONObject = {}
    choices: dict[int, ChoiceBuilder] = {}
    usage: Any = None
    async for chunk in chunks:
        head = head or chunk
        if chunk.get("usage"):
            usage = chunk["usage"]
        for part in chunk.get("choices") or []:
            choice = choices.setdefault(
                int(part.get("index", 0)), ChoiceBuilder(part.get("index", 0))
            )
            if chat:
                choice.add_delta(part.get("delta") or {})
            elif part.get("text"):
                choice.text.append(part["text"])
            choice.finish = part.get("finish_reason") or choice.finish
            choice.logprobs = part.get("logprobs") or choice.logprobs
    whole: JSONObject = {
        "id": head.get("id", ""),
        "object": "chat.completion" if chat else "text_completion",
        "created": head.get("created", 0),
        "model": head.get("model", ""),
        "system_fingerprint": head.get("system_fingerprint"),
        "choices": [
            choices[i].chat() if chat else choices[i].text_choice() for i in sorted(choices)
        ],
    }
    if usage is not None:
        whole["usage"] = usage
    return whole


async def collect_chat(chunks: AsyncIterator[JSONObject]) -> JSONObject:
    """A `chat.completion` from `chat.completion.chunk` events (text, tool calls, usage)."""
    return await _gather(chunks, chat=True)


async def collect_text(chunks: AsyncIterator[JSONObject]) -> JSONObject:
    """A `text_completion` from its stream's events."""
    return await _gather(chunks, chat=False)
