"""Responses ⇄ chat completions: a Responses request becomes the chat request every
backend speaks, and a chat completion becomes Responses output items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tandem.errors import InvalidRequestError, UnsupportedParameterError
from tandem.stateful.ids import new_id
from tandem.stateful.wire import (
    HostedToolChoice,
    InputFile,
    InputImage,
    InputText,
    MessageItem,
    NamedFunctionChoice,
    OutputText,
    Refusal,
    ResponseRequest,
)
from tandem.wire import (
    ChatCompletionRequest,
    ChatMessage,
    FunctionCall,
    FunctionDefinition,
    ImagePart,
    ImageURL,
    JSONObject,
    JSONSchemaFormat,
    NamedFunction,
    NamedToolChoice,
    ResponseFormat,
    StreamOptions,
    TextPart,
    Tool,
    ToolCall,
)


@dataclass
class Context:
    """What the model sees: earlier items (a chain or a conversation), passages found by
    file search, and the text of stored files named by `input_file` parts."""

    history: list[JSONObject] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def normalize_items(request: ResponseRequest) -> list[JSONObject]:
    """This turn's input as stored items, each with an id."""
    if isinstance(request.input, str):
        return [_message("user", [{"type": "input_text", "text": request.input}])]
    items: list[JSONObject] = []
    for item in request.input:
        data = item.model_dump(by_alias=True, exclude_none=True)
        if isinstance(item, MessageItem):
            content = item.content
            parts = (
                [{"type": "input_text", "text": content}]
                if isinstance(content, str)
                else data["content"]
            )
            items.append(_message(item.role, parts, item.id))
        else:
            prefix = {"function_call": "fc", "function_call_output": "fco"}.get(item.type, "fs")
            data.setdefault("id", new_id(prefix))
            data.setdefault("status", "completed")
            items.append(data)
    return items


def _message(role: str, parts: list[JSONObject], item_id: str | None = None) -> JSONObject:
    return {
        "type": "message",
        "id": item_id or new_id("msg"),
        "role": role,
        "status": "completed",
        "content": parts,
    }


def chat_request(
    request: ResponseRequest, context: Context, items: list[JSONObject], stream: bool
) -> ChatCompletionRequest:
    """The chat completion that answers `request` in `context`."""
    messages: list[ChatMessage] = []
    if request.instructions:
        messages.append(ChatMessage(role="system", content=request.instructions))
    if context.passages:
        messages.append(ChatMessage(role="system", content=_passages_prompt(context.passages)))
    messages.extend(to_messages(context.history + items, context.files))
    if not messages:
        raise InvalidRequestError("input must not be empty", param="input")
    fields: dict[str, Any] = {
        "model": request.model,
        "messages": messages,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "max_completion_tokens": request.max_output_tokens,
        "user": request.user,
        "response_format": _response_format(request),
        "stream": stream,
    }
    if stream:
        fields["stream_options"] = StreamOptions(include_usage=True)
    tools = request.function_tools
    if tools and request.tool_choice != "none":
        fields["tools"] = [
            Tool(
                type="function",
                function=FunctionDefinition(
                    name=t.name,
                    description=t.description,
                    parameters=t.parameters,
                    strict=t.strict,
                ),
            )
            for t in tools
        ]
        fields["tool_choice"] = _tool_choice(request)
        fields["parallel_tool_calls"] = request.parallel_tool_calls
    return ChatCompletionRequest(**{k: v for k, v in fields.items() if v is not None})


def _tool_choice(request: ResponseRequest) -> Any:
    choice = request.tool_choice
    if isinstance(choice, NamedFunctionChoice):
        return NamedToolChoice(type="function", function=NamedFunction(name=choice.name))
    if isinstance(choice, HostedToolChoice):
        return "auto"  # the search has run already; the functions stay optional
    return choice


def _response_format(request: ResponseRequest) -> ResponseFormat | None:
    fmt = request.text.format if request.text else None
    if fmt is None or fmt.type == "text":
        return None
    if fmt.type == "json_object":
        return ResponseFormat(type="json_object")
    schema = JSONSchemaFormat(
        name=fmt.name or "response",
        description=fmt.description,
        schema=fmt.schema_,
        strict=fmt.strict,
    )
    return ResponseFormat(type="json_schema", json_schema=schema)


def _passages_prompt(passages: Sequence[str]) -> str:
    numbered = "\n\n".join(f"[{i + 1}] {p}" for i, p in enumerate(passages))
    return (
        "Answer from these passages of the user's files when they are relevant; say so if "
        f"they do not hold the answer.\n\n{numbered}"
    )


def to_messages(items: list[JSONObject], files: dict[str, str]) -> list[ChatMessage]:
    """Stored items as chat messages; consecutive function calls share one assistant turn."""
    messages: list[ChatMessage] = []
    for item in items:
        kind = item.get("type", "message")
        if kind == "message":
            messages.append(_chat_message(item, files))
        elif kind == "function_call":
            call = ToolCall(
                id=item["call_id"],
                function=FunctionCall(name=item["name"], arguments=item["arguments"]),
            )
            last = messages[-1] if messages else None
            if last is not None and last.role == "assistant" and last.tool_calls:
                last.tool_calls.append(call)
            else:
                messages.append(ChatMessage(role="assistant", tool_calls=[call]))
        elif kind == "function_call_output":
            output = item["output"]
            text = output if isinstance(output, str) else "".join(p["text"] for p in output)
            messages.append(ChatMessage(role="tool", tool_call_id=item["call_id"], content=text))
        # file_search_call: its passages were context for the answer that followed it.
    return messages


def _chat_message(item: JSONObject, files: dict[str, str]) -> ChatMessage:
    role = item["role"]
    parts: list[JSONObject] = item["content"]
    if role == "assistant":
        text = "".join(p.get("text") or p.get("refusal") or "" for p in parts)
        return ChatMessage(role="assistant", content=text)
    chat_parts: list[TextPart | ImagePart] = []
    for part in parts:
        kind = part["type"]
        if kind in ("input_text", "output_text"):
            chat_parts.append(TextPart(type="text", text=part["text"]))
        elif kind == "input_image":
            image = ImageURL(url=part["image_url"])
            chat_parts.append(ImagePart(type="image_url", image_url=image))
        elif kind == "input_file":
            text = files.get(part.get("file_id") or "", part.get("file_data") or "")
            name = part.get("filename") or part.get("file_id") or "file"
            chat_parts.append(TextPart(type="text", text=f"[{name}]\n{text}"))
    if all(isinstance(p, TextPart) for p in chat_parts):
        joined = "\n".join(p.text for p in chat_parts if isinstance(p, TextPart))
        return ChatMessage(role=role, content=joined)
    return ChatMessage(role=role, content=chat_parts)


def check_parts(request: ResponseRequest) -> list[str]:
    """File ids that `input_file` parts name (read before the call); refuses image parts
    without a URL."""
    wanted: list[str] = []
    if isinstance(request.input, str):
        return wanted
    for i, item in enumerate(request.input):
        if not isinstance(item, MessageItem) or isinstance(item.content, str):
            continue
        for j, part in enumerate(item.content):
            where = f"input[{i}].content[{j}]"
            if isinstance(part, InputImage) and not part.image_url:
                raise UnsupportedParameterError(
                    "images are taken by image_url here, not file_id", param=f"{where}.image_url"
                )
            if isinstance(part, InputFile):
                if part.file_id:
                    wanted.append(part.file_id)
                elif part.file_data is None:
                    raise InvalidRequestError(
                        "input_file needs a file_id or file_data", param=f"{where}.file_id"
                    )
            if isinstance(part, OutputText | Refusal) and item.role != "assistant":
                raise InvalidRequestError(
                    f"{part.type} parts belong to assistant messages", param=f"{where}.type"
                )
            if isinstance(part, InputText) and item.role == "assistant":
                raise InvalidRequestError(
                    "assistant messages hold output_text parts", param=f"{where}.type"
                )
    return wanted


def output_items(completion: JSONObject, annotations: list[JSONObject]) -> list[JSONObject]:
    """The output items of a chat completion's first choice."""
    choice = (completion.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    items: list[JSONObject] = []
    content = message.get("content")
    calls = message.get("tool_calls") or []
    refusal = message.get("refusal")
    if content or refusal or not calls:
        items.append(message_item(content or "", annotations, refusal))
    items.extend(function_call_item(call) for call in calls)
    return items


def message_item(
    text: str, annotations: list[JSONObject], refusal: str | None = None, item_id: str = ""
) -> JSONObject:
    """An assistant message item."""
    part: JSONObject = (
        {"type": "refusal", "refusal": refusal}
        if refusal and not text
        else {
            "type": "output_text",
            "text": text,
            "annotations": [dict(a) for a in annotations],
            "logprobs": [],
        }
    )
    return {
        "type": "message",
        "id": item_id or new_id("msg"),
        "status": "completed",
        "role": "assistant",
        "content": [part],
    }


def function_call_item(call: JSONObject, item_id: str = "") -> JSONObject:
    """A function_call item from a chat tool call."""
    function = call.get("function") or {}
    return {
        "type": "function_call",
        "id": item_id or new_id("fc"),
        "call_id": call.get("id") or new_id("call", 24),
        "name": function.get("name", ""),
        "arguments": function.get("arguments", ""),
        "status": "completed",
    }


def response_status(finish_reason: str | None) -> tuple[str, JSONObject | None]:
    """The response's status and incomplete_details from a chat finish reason."""
    if finish_reason == "length":
        return "incomplete", {"reason": "max_output_tokens"}
    if finish_reason == "content_filter":
        return "incomplete", {"reason": "content_filter"}
    return "completed", None


def usage(chat_usage: JSONObject | None) -> JSONObject | None:
    """Chat usage as Responses usage."""
    if not chat_usage:
        return None
    prompt = int(chat_usage.get("prompt_tokens") or 0)
    completion = int(chat_usage.get("completion_tokens") or 0)
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": completion,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + completion,
    }


def file_search_item(query: str, results: list[JSONObject] | None) -> JSONObject:
    """The file_search_call item (results only when `include` asks for them)."""
    return {
        "type": "file_search_call",
        "id": new_id("fs"),
        "status": "completed",
        "queries": [query],
        "results": results,
    }


def native_request(
    request: ResponseRequest, context: Context, items: list[JSONObject], stream: bool
) -> JSONObject | None:
    """The request for an upstream that speaks the Responses API: the whole chain as input
    (Tandem keeps the state, so any replica continues it), `store` false, function tools
    only. None where Tandem's own part cannot travel: file search passages and stored files
    are read here, so such a request is translated instead."""
    if context.passages or context.files or request.file_search is not None:
        return None
    body: JSONObject = {
        "input": [_native_item(i) for i in context.history + items if _travels(i)],
        "store": False,
        "stream": stream,
        "parallel_tool_calls": request.parallel_tool_calls,
    }
    for name in ("instructions", "max_output_tokens", "temperature", "top_p", "user"):
        value = getattr(request, name)
        if value is not None:
            body[name] = value
    if request.text is not None:
        body["text"] = request.text.model_dump(by_alias=True, exclude_none=True)
    if request.tools:
        body["tools"] = [t.model_dump(by_alias=True, exclude_none=True) for t in request.tools]
        choice = request.tool_choice
        body["tool_choice"] = choice if isinstance(choice, str) else choice.model_dump()
    return body


def _travels(item: JSONObject) -> bool:
    return item.get("type") in ("message", "function_call", "function_call_output")


def _native_item(item: JSONObject) -> JSONObject:
    """An item as any Responses server takes it as input: Tandem's ids and statuses left
    out, an earlier answer as plain assistant text."""
    if item.get("type") == "message" and item.get("role") == "assistant":
        parts = item.get("content") or []
        text = "".join(str(p.get("text") or "") for p in parts if isinstance(p, dict))
        return {"role": "assistant", "content": text}
    return {k: v for k, v in item.items() if k not in ("id", "status")}
