"""A guard model as an extra classifier: a deployment serving e.g. Llama Guard.

The guard reads the conversation and answers "safe" or "unsafe" with hazard codes
(Llama Guard 3's S1-S14); codes map onto the four harm categories where they can.
"""

from __future__ import annotations

import re

from tandem.safety.categories import Category
from tandem.wire import ChatCompletionRequest

_CODES = {
    "S1": Category.VIOLENCE,
    "S9": Category.VIOLENCE,
    "S3": Category.SEXUAL,
    "S4": Category.SEXUAL,
    "S12": Category.SEXUAL,
    "S10": Category.HATE,
    "S11": Category.SELF_HARM,
}
_VERDICT = re.compile(r"^\s*(safe|unsafe)\b(.*)", re.IGNORECASE | re.DOTALL)


def guard_request(conversation: ChatCompletionRequest) -> ChatCompletionRequest:
    """The request sent to the guard: the conversation itself, greedy and short."""
    messages = [
        {"role": m.role if m.role in ("user", "assistant") else "user", "content": m.text()}
        for m in conversation.messages
        if m.text()
    ]
    return ChatCompletionRequest.model_validate(
        {"messages": messages, "max_tokens": 20, "temperature": 0}
    )


def parse_verdict(text: str) -> tuple[bool, set[Category], list[str]]:
    """(unsafe?, the harm categories named, the raw hazard codes)."""
    match = _VERDICT.match(text or "")
    if match is None or match.group(1).lower() == "safe":
        return False, set(), []
    codes = re.findall(r"\bS\d{1,2}\b", match.group(2).upper())
    return True, {_CODES[c] for c in codes if c in _CODES}, codes
