"""Samples for `completions` and `responses` runs: each item's messages (a template over
`{{item.*}}`, or a list of messages read from the item) sent to the deployment through the
platform's own model path, timed and priced."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import ValidationError

from tandem.apps.evals import schemas as s
from tandem.apps.evals.graders.base import GradeEnv
from tandem.apps.evals.templates import MissingFieldError, Reference, Template, parse_reference
from tandem.errors import InvalidRequestError, TandemError
from tandem.gateway.results import Reply
from tandem.governance.budgets import cost_usd
from tandem.stateful.responses import ResponsesService
from tandem.stateful.wire import ResponseRequest
from tandem.wire import ChatCompletionRequest, JSONObject

DEFAULT_MAX_TOKENS = 256
Prices = Callable[[str], tuple[float, float]]


class SampleError(Exception):
    """The item's messages could not be built (a missing field)."""


@dataclass
class Sampler:
    """Builds and sends one item's request."""

    kind: str
    model: str
    template: list[tuple[str, Template]] | None
    reference: Reference | None
    params: dict[str, Any]
    prices: Prices
    responses: ResponsesService

    @classmethod
    def build(
        cls,
        source: s.CompletionsSource | s.ResponsesSource,
        max_chars: int,
        max_tokens: int,
        prices: Prices,
        responses: ResponsesService,
    ) -> Sampler:
        """A sampler for the run's data source (400s name `data_source.<field>`)."""
        if not source.model:
            raise InvalidRequestError(
                f"a {source.type} run needs the deployment to sample", param="data_source.model"
            )
        if source.input_messages is None:
            raise InvalidRequestError(
                f"a {source.type} run needs input_messages", param="data_source.input_messages"
            )
        template: list[tuple[str, Template]] | None = None
        reference: Reference | None = None
        if isinstance(source.input_messages, s.TemplateMessages):
            template = [
                (
                    m.role,
                    Template.parse(
                        m.text(), f"data_source.input_messages.template[{i}].content", max_chars
                    ),
                )
                for i, m in enumerate(source.input_messages.template)
            ]
        else:
            ref = source.input_messages.item_reference
            reference = parse_reference(ref, "data_source.input_messages.item_reference")
        given = source.sampling_params
        params = given.model_dump(exclude_none=True) if given else {}
        tokens = params.get("max_completion_tokens", DEFAULT_MAX_TOKENS)
        if tokens > max_tokens:
            raise InvalidRequestError(
                f"max_completion_tokens is at most {max_tokens} in an eval run",
                param="data_source.sampling_params.max_completion_tokens",
            )
        params["max_completion_tokens"] = tokens
        sampler = cls(source.type, source.model, template, reference, params, prices, responses)
        sampler.probe()
        return sampler

    def probe(self) -> None:
        """Build a request with placeholder messages so bad sampling params fail now."""
        try:
            self.chat_request(
                [{"role": "user", "content": "x"}]
            ) if self.kind == "completions" else self.responses_request(
                [{"role": "user", "content": "x"}]
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise InvalidRequestError(
                f"sampling_params: {first.get('msg', 'invalid')} ({where})",
                param=f"data_source.sampling_params.{where}".rstrip("."),
            ) from exc

    def messages(self, scope: dict[str, Any], limit: int) -> list[JSONObject]:
        """The item's messages."""
        try:
            if self.template is not None:
                return [{"role": r, "content": t.render(scope, limit)} for r, t in self.template]
            assert self.reference is not None
            value = self.reference.resolve(scope)
        except MissingFieldError as exc:
            raise SampleError(str(exc)) from exc
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in value)
        ):
            raise SampleError(f"{{{{{self.reference}}}}} is not a list of messages")
        return value

    def chat_request(self, messages: list[JSONObject]) -> ChatCompletionRequest:
        """Chat completions' request for a completions run."""
        p = self.params
        keys = ("temperature", "top_p", "seed", "response_format", "tools")
        body: dict[str, Any] = {
            "messages": messages,
            "max_completion_tokens": p["max_completion_tokens"],
            **{k: p[k] for k in keys if k in p},
        }
        return ChatCompletionRequest.model_validate(body)

    def responses_request(self, messages: list[JSONObject]) -> ResponseRequest:
        """The Responses API's request for a responses run (not stored)."""
        p = self.params
        if "seed" in p:
            raise InvalidRequestError(
                "the Responses API takes no seed", param="data_source.sampling_params.seed"
            )
        body: dict[str, Any] = {
            "input": messages,
            "max_output_tokens": p["max_completion_tokens"],
            "store": False,
            **{k: p[k] for k in ("temperature", "top_p", "text", "tools") if k in p},
        }
        return ResponseRequest.model_validate(body)

    async def sample(self, scope: dict[str, Any], env: GradeEnv) -> JSONObject:
        """The sample of one item (with `error` set when the model call failed)."""
        messages = self.messages(scope, env.render_limit)
        sample: JSONObject = {
            "model": self.model,
            "input": [_plain(m) for m in messages],
            "output": [],
            "output_text": "",
            "output_tools": [],
            "finish_reason": "",
            "error": None,
            "seed": self.params.get("seed", 0),
            "temperature": self.params.get("temperature", 1.0),
            "top_p": self.params.get("top_p", 1.0),
            "max_completion_tokens": self.params["max_completion_tokens"],
            "tools": self.params.get("tools") or [],
        }
        started = time.perf_counter()
        try:
            if self.kind == "completions":
                request = self.chat_request(messages)
                _from_chat(sample, await env.models.ask(env.ctx(), request, self.model))
            else:
                asked = self.responses_request(messages)
                _from_response(sample, await self.responses.create(env.ctx(), asked, self.model))
        except ValidationError as exc:
            sample["error"] = {"code": "invalid_request", "message": str(exc)[:500]}
        except TandemError as exc:
            sample["error"] = {"code": exc.code or exc.error_type, "message": exc.message[:500]}
        sample["latency_ms"] = (time.perf_counter() - started) * 1000
        usage = sample.setdefault("usage", {})
        prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
        sample["cost_usd"] = cost_usd(prompt, completion, self.prices(self.model))
        if sample["error"] is None:
            env.count(self.model, usage)
        return sample


def _plain(message: JSONObject) -> JSONObject:
    content = message.get("content")
    text = content if isinstance(content, str) else orjson.dumps(content).decode()
    return {"role": message.get("role", "user"), "content": text}


def _usage(prompt: int, completion: int, cached: int = 0) -> JSONObject:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "cached_tokens": cached,
    }


def _from_chat(sample: JSONObject, reply: Reply) -> None:
    calls = [
        {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
        for c in reply.tool_calls
    ]
    message = {"role": "assistant", "content": reply.text}
    sample["output"] = [{**message, "tool_calls": calls} if calls else message]
    sample["output_text"], sample["output_tools"] = reply.text, calls
    sample["finish_reason"] = reply.finish_reason
    usage = reply.usage
    sample["usage"] = _usage(usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens)
    _json(sample)


def _from_response(sample: JSONObject, response: JSONObject) -> None:
    texts: list[str] = []
    calls: list[JSONObject] = []
    for item in response.get("output") or []:
        if item.get("type") == "message":
            texts += [
                c.get("text", "")
                for c in item.get("content") or []
                if c.get("type") == "output_text"
            ]
        elif item.get("type") == "function_call":
            calls.append(
                {
                    "id": item.get("call_id"),
                    "type": "function",
                    "function": {"name": item.get("name"), "arguments": item.get("arguments")},
                }
            )
    text = "".join(texts)
    sample["output"] = [{"role": "assistant", "content": text}]
    sample["output_text"], sample["output_tools"] = text, calls
    sample["finish_reason"] = "stop" if response.get("status") == "completed" else "length"
    usage = response.get("usage") or {}
    sample["usage"] = _usage(usage.get("input_tokens", 0), usage.get("output_tokens", 0))
    _json(sample)


def _json(sample: JSONObject) -> None:
    """`sample.output_json` when the output is a JSON object."""
    try:
        value = orjson.loads(sample["output_text"])
    except orjson.JSONDecodeError:
        return
    if isinstance(value, dict):
        sample["output_json"] = value
