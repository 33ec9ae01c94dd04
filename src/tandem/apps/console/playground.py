"""The Playground: a chat with any deployment the signed-in key may use, through the same
gateway as the API (keys' limits, quotas, safety and the ledger apply), with a system prompt,
temperature, a token limit and an optional JSON schema; one deployment or two side by side
on the same prompt.

Without JavaScript the form posts and the page comes back with the whole answers. With it
(`playground.js`, vendored like every console asset), each answer streams: the script posts
the same form to `/console/playground/stream` (the session's CSRF token in the form) and
reads the server-sent events as they come. Each answer shows its tokens, its latency and the
content-safety results on prompt and completion.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response, StreamingResponse

from tandem.apps.console.pages import (
    Visit,
    call_context,
    field_of,
    form_of,
    posted,
    render_page,
    signed_in,
    visit_of,
)
from tandem.backends.collect import ChoiceBuilder
from tandem.errors import TandemError
from tandem.governance.principal import Principal
from tandem.wire import ChatCompletionRequest, JSONObject

router = APIRouter(include_in_schema=False)
MAX_PROMPT = 16_000
MAX_TOKENS = 2048


@dataclass
class Asked:
    """What the form asks for."""

    deployments: list[str]
    system: str
    message: str
    temperature: float
    max_tokens: int
    schema: JSONObject | None
    tools: list[JSONObject] | None = None
    problem: str | None = None


@dataclass
class Answer:
    """One deployment's answer."""

    deployment: str
    text: str = ""
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    filters: list[str] = field(default_factory=list)
    tool_calls: list[str] = field(default_factory=list)


def _usable(visit: Visit, me: Principal) -> list[str]:
    return [d.name for d in visit.console.platform.deployments if me.may_use(d.name)]


def _asked(form: FormData, usable: list[str]) -> Asked:
    chosen = [field_of(form, "deployment"), field_of(form, "compare")]
    deployments = [d for d in dict.fromkeys(chosen) if d]
    text = form.get("message")
    system = form.get("system")
    asked = Asked(
        deployments=deployments,
        system=(system if isinstance(system, str) else "")[:MAX_PROMPT],
        message=(text if isinstance(text, str) else "")[:MAX_PROMPT],
        temperature=0.7,
        max_tokens=256,
        schema=None,
    )
    try:
        asked.temperature = min(2.0, max(0.0, float(field_of(form, "temperature") or 0.7)))
        asked.max_tokens = min(MAX_TOKENS, max(1, int(field_of(form, "max_tokens") or 256)))
    except ValueError:
        asked.problem = "Temperature and max tokens must be numbers."
    raw_schema = form.get("schema")
    if isinstance(raw_schema, str) and raw_schema.strip():
        try:
            parsed = json.loads(raw_schema[:MAX_PROMPT])
        except json.JSONDecodeError as exc:
            asked.problem = f"The JSON schema is not valid JSON: {exc.msg} at line {exc.lineno}."
        else:
            asked.schema = parsed if isinstance(parsed, dict) else None
            if asked.schema is None:
                asked.problem = "The JSON schema must be an object."
    raw_tools = form.get("tools")
    if isinstance(raw_tools, str) and raw_tools.strip():
        asked.tools, problem = _tools(raw_tools[:MAX_PROMPT])
        asked.problem = asked.problem or problem
    if not deployments:
        asked.problem = "Choose a deployment."
    elif any(d not in usable for d in deployments):
        asked.problem = "This key may not use that deployment."
    elif not asked.message.strip():
        asked.problem = "Write a message."
    return asked


def _tools(raw: str) -> tuple[list[JSONObject] | None, str | None]:
    """Function tools from JSON: OpenAI's `{"type": "function", "function": {...}}` or the
    bare `{"name", "description", "parameters"}`, one object or a list."""
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, f"The tools are not valid JSON: {exc.msg} at line {exc.lineno}."
    items = parsed if isinstance(parsed, list) else [parsed]
    tools: list[JSONObject] = []
    for item in items:
        if not isinstance(item, dict):
            return None, "Each tool must be an object with a name."
        function = item.get("function") if item.get("type") == "function" else item
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            return None, "Each tool must be an object with a name."
        tools.append({"type": "function", "function": function})
    return tools, None


def _calls(calls: list[JSONObject]) -> list[str]:
    shown = []
    for call in calls:
        function = call.get("function") or {}
        shown.append(f"{function.get('name', '')}({function.get('arguments', '')})")
    return shown


def _request(asked: Asked, deployment: str, stream: bool) -> ChatCompletionRequest:
    messages = [{"role": "system", "content": asked.system}] if asked.system.strip() else []
    messages.append({"role": "user", "content": asked.message})
    body: dict[str, Any] = {
        "model": deployment,
        "messages": messages,
        "temperature": asked.temperature,
        "max_tokens": asked.max_tokens,
        "stream": stream,
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    if asked.tools:
        body["tools"] = asked.tools
    if asked.schema is not None:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "playground", "schema": asked.schema},
        }
    return ChatCompletionRequest.model_validate(body)


def _filters(body: JSONObject) -> list[str]:
    """The content-safety categories the prompt or the completion tripped, as words."""
    found: list[str] = []
    results = [
        r.get("content_filter_results") or {} for r in body.get("prompt_filter_results") or []
    ]
    results += [c.get("content_filter_results") or {} for c in body.get("choices") or []]
    for result in results:
        for category, verdict in result.items():
            if isinstance(verdict, dict) and (verdict.get("filtered") or verdict.get("detected")):
                found.append(f"{category} ({verdict.get('severity', 'detected')})")
    return found


@router.get("/console/playground")
async def playground(request: Request) -> Response:
    """The form, with the deployments the key may use."""
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    visit, me = found
    return render_page(
        visit, "playground.html", usable=_usable(visit, me), asked=None, answers=[], asked_tools=""
    )


@router.post("/console/playground")
async def ask(request: Request) -> Response:
    """Whole answers (the page without JavaScript)."""
    found = await posted(request)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    usable = _usable(visit, me)
    asked = _asked(form, usable)
    answers: list[Answer] = []
    if asked.problem is None:
        service = visit.console.platform.service
        for deployment in asked.deployments:
            answer = Answer(deployment)
            started = time.perf_counter()
            try:
                reply = await service.ask(
                    call_context(me), _request(asked, deployment, False), deployment
                )
                answer.text = reply.text
                answer.prompt_tokens = reply.usage.prompt_tokens
                answer.completion_tokens = reply.usage.completion_tokens
                answer.filters = _filters(reply.body)
                answer.tool_calls = [f"{c.name}({c.arguments})" for c in reply.tool_calls]
            except (TandemError, ValidationError) as exc:
                answer.error = exc.message if isinstance(exc, TandemError) else str(exc)[:300]
            answer.latency_ms = (time.perf_counter() - started) * 1000
            answers.append(answer)
    status = 400 if asked.problem else 200
    return render_page(
        visit,
        "playground.html",
        status,
        usable=usable,
        asked=asked,
        answers=answers,
        asked_tools=raw_tools if isinstance(raw_tools := form.get("tools"), str) else "",
    )


@router.post("/console/playground/stream")
async def stream(request: Request) -> Response:
    """One deployment's answer as server-sent events: `delta`, then `done` (tokens, latency,
    safety) or `error`."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return Response(status_code=401)
    form = await form_of(request, visit)
    if isinstance(form, Response):
        return form
    asked = _asked(form, _usable(visit, me))
    if asked.problem is not None:
        return Response(json.dumps({"error": asked.problem}), 400, media_type="application/json")
    deployment = asked.deployments[0]
    service = visit.console.platform.service
    started = time.perf_counter()
    try:
        opened = await service.stream(
            call_context(me), _request(asked, deployment, True), deployment
        )
    except (TandemError, ValidationError) as exc:
        message = exc.message if isinstance(exc, TandemError) else str(exc)[:300]
        return Response(json.dumps({"error": message}), 400, media_type="application/json")

    async def events() -> AsyncIterator[bytes]:
        usage: JSONObject = {}
        filters: list[str] = []
        built = ChoiceBuilder(0)  # the tool calls, merged as their pieces arrive
        try:
            async for chunk in service.chunks(opened):
                usage = chunk.get("usage") or usage
                filters += _filters(chunk)
                for choice in chunk.get("choices") or []:
                    delta = choice.get("delta") or {}
                    if delta.get("content"):
                        yield _event("delta", {"text": delta["content"]})
                    if delta.get("tool_calls"):
                        built.add_delta({"tool_calls": delta["tool_calls"]})
        except TandemError as exc:
            yield _event("error", {"message": exc.message})
            return
        yield _event(
            "done",
            {
                "prompt_tokens": usage.get("prompt_tokens", 0),
                "completion_tokens": usage.get("completion_tokens", 0),
                "latency_ms": round((time.perf_counter() - started) * 1000),
                "filters": filters,
                "tool_calls": _calls(built.tool_calls()),
            },
        )

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"cache-control": "no-store"}
    )


def _event(name: str, data: JSONObject) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
