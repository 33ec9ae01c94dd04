"""What every grader is: a name, a type, and `grade(scope, env)` giving a score and a pass."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tandem.apps.evals.templates import MissingFieldError, Template
from tandem.gateway.service import CallContext, ModelService
from tandem.safety.classifier import Classifier

# Deterministic graders run inline on short texts; longer ones go to a thread so the event
# loop never waits on, say, a quadratic LCS.
INLINE_CHARS = 4000


class GraderError(Exception):
    """A grader could not grade this item (a missing field, a judge that failed...)."""


@dataclass
class Usage:
    """Tokens one model spent for a run (per_model_usage)."""

    invocation_count: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def add(self, usage: dict[str, Any] | None) -> None:
        """Count one call and its usage block."""
        usage = usage or {}
        self.invocation_count += 1
        self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.completion_tokens += int(usage.get("completion_tokens") or 0)
        details = usage.get("prompt_tokens_details") or {}
        self.cached_tokens += int(details.get("cached_tokens") or 0)


@dataclass
class GradeEnv:
    """What graders may use: the model path as the run's caller, the embedding deployment,
    the safety classifier, and the run's usage tally."""

    models: ModelService
    ctx: Callable[[], CallContext]
    embedding_deployment: str
    classifier: Classifier
    usage: dict[str, Usage] = field(default_factory=dict)
    render_limit: int = 256 * 1024

    def count(self, model: str, usage: dict[str, Any] | None) -> None:
        """Add a call's usage to `model`'s tally."""
        self.usage.setdefault(model, Usage()).add(usage)


@dataclass(frozen=True)
class GradeResult:
    """One grader's verdict on one item."""

    score: float
    passed: bool
    details: dict[str, Any] = field(default_factory=dict)


class Grader(ABC):
    """A compiled testing criterion: templates parsed and schemas compiled once per run."""

    type: str

    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    async def grade(self, scope: dict[str, Any], env: GradeEnv) -> GradeResult:
        """Grade one item ({'item': ..., 'sample': ...})."""

    def render(self, template: Template, scope: dict[str, Any], env: GradeEnv) -> str:
        """A template filled from the scope; a missing field is this item's error."""
        try:
            return template.render(scope, env.render_limit)
        except MissingFieldError as exc:
            raise GraderError(str(exc)) from exc

    def value(self, template: Template, scope: dict[str, Any]) -> Any:
        """A lone reference's raw value (or the rendered text)."""
        try:
            return template.value(scope)
        except MissingFieldError as exc:
            raise GraderError(str(exc)) from exc


async def off_loop(chars: int, work: Callable[[], GradeResult]) -> GradeResult:
    """Run CPU work inline when small, else in a thread."""
    if chars <= INLINE_CHARS:
        return work()
    return await asyncio.to_thread(work)


Judge = Callable[[dict[str, Any], GradeEnv], Awaitable[GradeResult]]
