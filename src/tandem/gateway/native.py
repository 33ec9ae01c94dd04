"""A Responses request passed natively to an upstream that speaks the Responses API, and its
answer read back as a chat completion, so the rest of the model path (output screening, the
ledger, the stored response) is the same whichever way the backend was asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from tandem.errors import UpstreamError
from tandem.wire import JSONObject


def _usage(usage: Any) -> JSONObject | None:
    if not isinstance(usage, dict):
        return None
    prompt = int(usage.get("input_tokens") or 0)
    completion = int(usage.get("output_tokens") or 0)
    cached = (usage.get("input_tokens_details") or {}).get("cached_tokens") or 0
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": int(cached)},
    }


def _finish(response: JSONObject, calls: int) -> str:
    if response.get("status") == "incomplete":
        reason = (response.get("incomplete_details") or {}).get("reason")
        return "content_filter" if reason == "content_filter" else "length"
    return "tool_calls" if calls else "stop"


def _call(item: JSONObject, index: int | None = None) -> JSONObject:
    call: JSONObject = {
        "id": item.get("call_id") or item.get("id") or "",
        "type": "function",
        "function": {"name": item.get("name") or "", "arguments": item.get("arguments") or ""},
    }
    return call if index is None else {"index": index, **call}


def _failure(response: JSONObject) -> UpstreamError:
    error = response.get("error") or {}
    message = error.get("message") if isinstance(error, dict) else None
    return UpstreamError(str(message or "the upstream response failed"), upstream_status=502)


def chat_of_response(response: JSONObject) -> JSONObject:
    """A `chat.completion` holding a whole upstream `response`'s text and function calls."""
    if response.get("object") != "response":
        raise UpstreamError(
            "the upstream answered /responses with a body that is not a response; "
            "turn off responses_api for this backend if it serves chat completions only",
            upstream_status=502,
        )
    if response.get("status") == "failed":
        raise _failure(response)
    texts: list[str] = []
    calls: list[JSONObject] = []
    for item in response.get("output") or []:
        if item.get("type") == "message":
            texts += [
                str(part.get("text") or "")
                for part in item.get("content") or []
                if part.get("type") == "output_text"
            ]
        elif item.get("type") == "function_call":
            calls.append(_call(item))
    message: JSONObject = {"role": "assistant", "content": "".join(texts), "refusal": None}
    if calls:
        message["tool_calls"] = calls
    completion: JSONObject = {
        "id": str(response.get("id") or ""),
        "object": "chat.completion",
        "created": int(response.get("created_at") or 0),
        "model": str(response.get("model") or ""),
        "choices": [
            {"index": 0, "message": message, "finish_reason": _finish(response, len(calls))}
        ],
    }
    usage = _usage(response.get("usage"))
    if usage is not None:
        completion["usage"] = usage
    return completion


async def chunks_of_events(events: AsyncIterator[JSONObject]) -> AsyncIterator[JSONObject]:
    """`chat.completion.chunk` events from an upstream Responses stream: text deltas as they
    come, each function call once it is whole, then the finish and the usage."""
    head: JSONObject = {"id": "", "object": "chat.completion.chunk", "created": 0, "model": ""}
    calls = 0

    def chunk(delta: JSONObject, finish: str | None = None) -> JSONObject:
        return {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    async for event in events:
        kind = event.get("type")
        if kind == "response.created":
            response = event.get("response") or {}
            head["id"] = str(response.get("id") or "")
            head["created"] = int(response.get("created_at") or 0)
            head["model"] = str(response.get("model") or "")
            yield chunk({"role": "assistant", "content": ""})
        elif kind == "response.output_text.delta":
            yield chunk({"content": str(event.get("delta") or "")})
        elif kind == "response.output_item.done":
            item = event.get("item") or {}
            if item.get("type") == "function_call":
                yield chunk({"tool_calls": [_call(item, calls)]})
                calls += 1
        elif kind in ("response.completed", "response.incomplete"):
            response = event.get("response") or {}
            yield chunk({}, _finish(response, calls))
            usage = _usage(response.get("usage"))
            if usage is not None:
                yield {**head, "choices": [], "usage": usage}
            return
        elif kind == "response.failed":
            raise _failure(event.get("response") or {})
