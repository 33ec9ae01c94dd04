"""What an in-process model call returns: typed objects, not OpenAI-shaped dicts.

Surfaces send the wire body (`Reply.body`) as it is; products read the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tandem.wire import JSONObject


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function the model asked to call, with its JSON arguments as text."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens a call used."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt and completion together."""
        return self.prompt_tokens + self.completion_tokens

    @classmethod
    def of(cls, usage: Any) -> Usage:
        """From a wire `usage` object (absent or partial ones count as zero)."""
        if not isinstance(usage, dict):
            return cls()
        details = usage.get("prompt_tokens_details") or {}
        return cls(
            int(usage.get("prompt_tokens") or 0),
            int(usage.get("completion_tokens") or 0),
            int(details.get("cached_tokens") or 0),
        )


@dataclass(frozen=True, slots=True)
class Reply:
    """The first choice of a chat or text completion, and what the call cost."""

    text: str
    finish_reason: str
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage = field(default_factory=Usage)
    # The content-safety results on the completion, by category (Azure's shape).
    filter_results: JSONObject = field(default_factory=dict)
    body: JSONObject = field(default_factory=dict, repr=False)

    @property
    def filtered(self) -> bool:
        """Whether the completion was withheld by the content filter."""
        return self.finish_reason == "content_filter"

    @classmethod
    def of(cls, body: JSONObject) -> Reply:
        """From a chat or text completion body."""
        choices = body.get("choices") or [{}]
        choice = choices[0]
        message = choice.get("message")
        if isinstance(message, dict):
            text = message.get("content") or ""
            calls = tuple(
                ToolCall(
                    str(c.get("id") or ""),
                    str((c.get("function") or {}).get("name") or ""),
                    str((c.get("function") or {}).get("arguments") or ""),
                )
                for c in message.get("tool_calls") or []
            )
        else:
            text, calls = choice.get("text") or "", ()
        return cls(
            text=str(text),
            finish_reason=str(choice.get("finish_reason") or ""),
            tool_calls=calls,
            usage=Usage.of(body.get("usage")),
            filter_results=choice.get("content_filter_results") or {},
            body=body,
        )
