"""Chat messages and tools rendered for a local model, and tool calls parsed back.

Tool use on small local models follows the function-calling prompt SmolLM2 was trained
with: tools listed in the system prompt, calls answered as `<tool_call>[...]</tool_call>`.
A forced call (`tool_choice` "required" or a named function) is enforced by a JSON-schema
grammar; "auto" lets the model choose and parses what it wrote.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from tandem.errors import UnsupportedParameterError
from tandem.wire import ChatCompletionRequest, ChatMessage, JSONObject, NamedToolChoice, TextPart

TOOL_SYSTEM_PROMPT = (
    "You are an expert in composing functions. You are given a question and a set of possible "
    "functions. Based on the question, you will need to make one or more function/tool calls "
    "to achieve the purpose. If none of the functions can be used, point it out and refuse to "
    "answer. If the given question lacks the parameters required by the function, also point "
    "it out.\n\nYou have access to the following tools:\n<tools>{tools}</tools>\n\n"
    "The output MUST strictly adhere to the following format, and NO other text MUST be "
    "included.\nThe example format is as follows. Please make sure the parameter type is "
    "correct. If no function call is needed, please make the tool calls an empty list '[]'.\n"
    '<tool_call>[\n{{"name": "func_name1", "arguments": {{"argument1": "value1", '
    '"argument2": "value2"}}}},\n... (more tool calls as required)\n]</tool_call>'
)

_TOOL_CALL_BLOCK = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)


def template_messages(request: ChatCompletionRequest, with_tools: bool) -> list[dict[str, str]]:
    """Messages as plain role/content strings for a chat template."""
    out: list[dict[str, str]] = []
    for message in request.messages:
        out.append({"role": _role(message), "content": _content(message)})
    if with_tools and request.tools:
        tools = json.dumps([t.function.model_dump(exclude_none=True) for t in request.tools])
        tool_prompt = TOOL_SYSTEM_PROMPT.format(tools=tools)
        if out and out[0]["role"] == "system":
            out[0] = {"role": "system", "content": f"{out[0]['content']}\n\n{tool_prompt}"}
        else:
            out.insert(0, {"role": "system", "content": tool_prompt})
    return out


def _role(message: ChatMessage) -> str:
    return "system" if message.role == "developer" else message.role


def _content(message: ChatMessage) -> str:
    if isinstance(message.content, list) and any(
        not isinstance(p, TextPart) for p in message.content
    ):
        raise UnsupportedParameterError(
            "this deployment takes text only; image parts need a vision model",
            param="messages.content",
        )
    text = message.text()
    if message.tool_calls:
        calls = [
            {"name": c.function.name, "arguments": _loads_or_raw(c.function.arguments)}
            for c in message.tool_calls
        ]
        text = f"{text}\n<tool_call>{json.dumps(calls)}</tool_call>".strip()
    return text


def _loads_or_raw(arguments: str) -> Any:
    try:
        return json.loads(arguments)
    except json.JSONDecodeError:
        return arguments


def tools_active(request: ChatCompletionRequest) -> bool:
    """Whether this request may produce tool calls."""
    return bool(request.tools) and request.tool_choice != "none"


def forced_call_schema(request: ChatCompletionRequest) -> JSONObject | None:
    """The JSON schema a forced tool call must match, or None when the model may choose."""
    if not request.tools or request.tool_choice in (None, "auto", "none"):
        return None
    tools = request.tools
    if isinstance(request.tool_choice, NamedToolChoice):
        wanted = request.tool_choice.function.name
        tools = [t for t in tools if t.function.name == wanted]
    options = [
        {
            "type": "object",
            "properties": {
                "name": {"const": t.function.name},
                "arguments": t.function.parameters or {"type": "object"},
            },
            "required": ["name", "arguments"],
        }
        for t in tools
    ]
    call = options[0] if len(options) == 1 else {"anyOf": options}
    max_items = 4 if request.parallel_tool_calls else 1
    return {"type": "array", "items": call, "minItems": 1, "maxItems": max_items}


def parse_tool_calls(text: str, request: ChatCompletionRequest) -> list[JSONObject] | None:
    """OpenAI `tool_calls` from model output, or None when it holds no valid call."""
    match = _TOOL_CALL_BLOCK.search(text)
    payload = match.group(1) if match else text.strip()
    try:
        parsed = json.loads(payload)
    except json.JSONDecodeError:
        return None
    calls = parsed if isinstance(parsed, list) else [parsed]
    known = {t.function.name for t in request.tools or []}
    out: list[JSONObject] = []
    for call in calls:
        if not isinstance(call, dict) or call.get("name") not in known:
            continue
        arguments = call.get("arguments", {})
        out.append(
            {
                "id": f"call_{uuid.uuid4().hex[:24]}",
                "type": "function",
                "function": {
                    "name": call["name"],
                    "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
                },
            }
        )
    return out or None
