"""Turning a request into what llama.cpp runs: prompt tokens, grammar, limits, sampling."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from tandem.backends.chat_prompt import forced_call_schema, template_messages, tools_active
from tandem.backends.json_grammar import has_ref_cycle, oversized
from tandem.errors import ContextLengthError, InvalidRequestError, UnsupportedParameterError
from tandem.wire import ChatCompletionRequest, CompletionRequest

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp.llama_grammar import LlamaGrammar

    from tandem.backends.llamacpp import LlamaCppOptions

ToolMode = Literal["none", "auto", "forced"]
# What llama.cpp's schema converter raises for a schema it cannot express (it asserts, looks
# refs up in dicts, and raises ValueError for unsupported refs and grammar it cannot parse).
_CONVERTER_ERRORS = (ValueError, KeyError, AssertionError, RecursionError, TypeError)
Piece = str | tuple[str, int]
GRAMMAR_CACHE = 128


@dataclass(frozen=True)
class GenerationPlan:
    """Everything one generation needs, decided before it is queued."""

    prompt_tokens_ids: list[int]
    max_tokens: int
    stop: list[str]
    sampling: dict[str, Any]
    grammar: str | None = None
    tool_mode: ToolMode = "none"
    seed: int | None = None
    echo_prefix: str = ""
    max_seconds: float = 300.0
    fallback: GenerationPlan | None = field(default=None, compare=False)

    @property
    def prompt_tokens(self) -> int:
        """Tokens in the prompt."""
        return len(self.prompt_tokens_ids)

    @property
    def buffered(self) -> bool:
        """Output that must be complete before it is sent (tool calls)."""
        return self.tool_mode != "none"


class Planner:
    """Owns a loaded model: renders prompts, checks limits and runs generations."""

    def __init__(self, llama: Llama, options: LlamaCppOptions, max_seconds: float = 300.0) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.llama = llama
        self.options = options
        self.max_seconds = max_seconds
        eos = llama._model.token_get_text(llama.token_eos())
        bos = llama._model.token_get_text(llama.token_bos())
        template = options.chat_template or llama.metadata.get("tokenizer.chat_template")
        if not template:
            raise ValueError("the GGUF has no chat template; set options.chat_template")
        self.formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
        self.eos_text = eos
        self._grammars: dict[str, LlamaGrammar] = {}
        self._grammar_lock = threading.Lock()

    @property
    def n_ctx(self) -> int:
        """The context window."""
        return int(self.llama.n_ctx())

    def chat_plan(self, request: ChatCompletionRequest) -> GenerationPlan:
        """Plan a chat completion, tool calls and JSON modes included."""
        mode: ToolMode = "none"
        grammar: str | None = None
        if tools_active(request):
            schema = forced_call_schema(request)
            mode = "forced" if schema is not None else "auto"
            grammar = json.dumps(schema) if schema is not None else None
            if grammar is not None:
                for i, tool in enumerate(request.tools or []):
                    _refuse_cycles(tool.function.parameters, f"tools.{i}.function.parameters")
                self._check_grammar(grammar, "tools")
        elif request.response_format is not None and request.response_format.type != "text":
            grammar = _response_grammar(request)
            if grammar != "json":
                param = "response_format.json_schema.schema"
                _refuse_cycles(json.loads(grammar), param)
                self._check_grammar(grammar, param)
        plan = self._chat(request, with_tools=mode != "none", grammar=grammar, mode=mode)
        if mode == "auto":
            # If the model declines every tool, it answers in plain words instead.
            fallback = self._chat(request, with_tools=False, grammar=None, mode="none")
            plan = GenerationPlan(**{**plan.__dict__, "fallback": fallback})
        return plan

    def _chat(
        self,
        request: ChatCompletionRequest,
        *,
        with_tools: bool,
        grammar: str | None,
        mode: ToolMode,
    ) -> GenerationPlan:
        try:
            messages: Any = template_messages(request, with_tools)
            rendered = self.formatter(messages=messages)
        except ValueError as exc:  # the template's raise_exception
            raise InvalidRequestError(f"the chat template rejected the messages: {exc}") from exc
        tokens = self.llama.tokenize(rendered.prompt.encode(), add_bos=False, special=True)
        return GenerationPlan(
            prompt_tokens_ids=tokens,
            max_tokens=self._max_tokens(len(tokens), request.token_limit, "messages"),
            stop=[self.eos_text, *request.stop_list()],
            sampling=self._sampling(request),
            grammar=grammar,
            tool_mode=mode,
            seed=request.seed,
            max_seconds=self.max_seconds,
        )

    def completion_plan(self, request: CompletionRequest, prompt: str) -> GenerationPlan:
        """Plan a text completion of one prompt."""
        if request.suffix is not None:
            raise InvalidRequestError("suffix is not supported by this deployment", param="suffix")
        tokens = self.llama.tokenize(prompt.encode(), add_bos=True, special=False)
        if not tokens:
            raise InvalidRequestError("prompt must not be empty", param="prompt")
        return GenerationPlan(
            prompt_tokens_ids=tokens,
            max_tokens=self._max_tokens(len(tokens), request.max_tokens, "prompt"),
            stop=request.stop_list(),
            sampling=self._sampling(request),
            seed=request.seed,
            echo_prefix=prompt,
            max_seconds=self.max_seconds,
        )

    def _max_tokens(self, prompt_tokens: int, requested: int | None, where: str) -> int:
        room = self.n_ctx - prompt_tokens
        if room <= 0 or (requested is not None and requested > room):
            asked = f" and {requested} for the completion" if requested is not None else ""
            raise ContextLengthError(
                f"This model's maximum context length is {self.n_ctx} tokens. However, you "
                f"requested {prompt_tokens + (requested or 0)} tokens ({prompt_tokens} in the "
                f"{where}{asked}). Please reduce the length of the {where} or the completion.",
                param=where,
            )
        return requested if requested is not None else room

    def _sampling(self, request: ChatCompletionRequest | CompletionRequest) -> dict[str, Any]:
        return {
            "temperature": (
                self.options.default_temperature
                if request.temperature is None
                else request.temperature
            ),
            "top_p": self.options.default_top_p if request.top_p is None else request.top_p,
            "presence_penalty": request.presence_penalty or 0.0,
            "frequency_penalty": request.frequency_penalty or 0.0,
        }

    def _check_grammar(self, source: str, param: str) -> None:
        """Compile (and cache) a schema's grammar now: what the converter cannot express is
        the client's to change, a 400, not a failure on the model's thread."""
        try:
            self._grammar(source)
        except _CONVERTER_ERRORS as exc:
            raise UnsupportedParameterError(
                f"this deployment cannot enforce that JSON schema: {exc}", param=param
            ) from exc

    def _grammar(self, source: str) -> LlamaGrammar:
        from llama_cpp.llama_grammar import JSON_GBNF, LlamaGrammar

        with self._grammar_lock:
            grammar = self._grammars.get(source)
            if grammar is None:
                grammar = (
                    LlamaGrammar.from_string(JSON_GBNF, verbose=False)
                    if source == "json"
                    else LlamaGrammar.from_json_schema(source, verbose=False)
                )
                if len(self._grammars) >= GRAMMAR_CACHE:
                    # Every client schema is a key: the oldest goes, so memory stays bounded.
                    del self._grammars[next(iter(self._grammars))]
                self._grammars[source] = grammar
            return grammar

    def stream(
        self, plan: GenerationPlan, index: int, should_stop: Callable[[], bool]
    ) -> Iterator[Piece]:
        """Run one generation on this thread: text pieces, then (finish_reason, tokens)."""
        from llama_cpp import StoppingCriteriaList

        deadline = time.monotonic() + plan.max_seconds
        timed_out = False

        def halt(_tokens: Any, _logits: Any) -> bool:
            nonlocal timed_out
            timed_out = time.monotonic() > deadline
            return should_stop() or timed_out

        seed = plan.seed + index if plan.seed is not None else random.randrange(2**31)
        chunks = self.llama.create_completion(
            prompt=plan.prompt_tokens_ids,
            max_tokens=plan.max_tokens,
            stop=plan.stop or None,
            stream=True,
            seed=seed,
            grammar=self._grammar(plan.grammar) if plan.grammar else None,
            stopping_criteria=StoppingCriteriaList([halt]),
            **plan.sampling,
        )
        finish = "stop"
        pieces: list[str] = []
        for chunk in cast(Iterator[dict[str, Any]], chunks):
            choice = chunk["choices"][0]
            if choice["text"]:
                pieces.append(choice["text"])
                yield choice["text"]
            if choice.get("finish_reason"):
                finish = choice["finish_reason"]
        # Counted from the text: llama.cpp's own stream reports no usage.
        text = "".join(pieces).encode()
        tokens = len(self.llama.tokenize(text, add_bos=False, special=True)) if text else 0
        tokens = min(tokens, plan.max_tokens)  # re-tokenising may merge differently
        yield ("length" if timed_out else finish, tokens)


def _refuse_cycles(schema: Any, param: str) -> None:
    if schema is not None and has_ref_cycle(schema):
        raise UnsupportedParameterError(
            "recursive schemas ($ref cycles) cannot be enforced by this deployment's grammar",
            param=param,
        )
    too_big = oversized(schema) if schema is not None else None
    if too_big is not None:
        raise UnsupportedParameterError(
            f"this deployment's grammar cannot enforce {too_big}; use a smaller bound and "
            "limit the length with max_tokens",
            param=param,
        )


def _response_grammar(request: ChatCompletionRequest) -> str:
    fmt = request.response_format
    assert fmt is not None
    if fmt.type == "json_schema" and fmt.json_schema is not None and fmt.json_schema.schema_:
        return json.dumps(fmt.json_schema.schema_)
    return "json"
