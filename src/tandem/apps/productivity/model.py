"""The assistant's calls to the platform's own models: JSON under a schema, through the
model service, so each call is authenticated, admitted, screened and settled like any other."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

from tandem.errors import TandemError
from tandem.gateway.service import CallContext, ModelService
from tandem.safety.annotations import ContentFilterError
from tandem.wire import ChatCompletionRequest

log = logging.getLogger(__name__)

Method = Literal["auto", "model", "extractive"]


@dataclass
class Writer:
    """Writes JSON with one deployment; records how long the model took.

    Schemas here bound strings by `max_tokens`, never by `maxLength`: llama.cpp's converter
    writes one grammar rule per character of a `maxLength`, and at a few hundred it fails to
    parse the grammar and takes the process down with it (seen at 1,250)."""

    models: ModelService
    deployment: str
    auto_timeout_s: float = 60.0
    model_s: float = 0.0
    skipped: str | None = None  # why, in auto, the floor answered without the model

    async def json(
        self,
        ctx: CallContext,
        system: str,
        user: str,
        schema: dict[str, Any],
        name: str,
        max_tokens: int = 400,
    ) -> dict[str, Any] | None:
        """The model's JSON answer, or None when it is not an object. Errors of the model
        path itself (quota, safety, an unknown deployment) are raised, not papered over."""
        request = ChatCompletionRequest.model_validate(
            {
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                "temperature": 0,
                "max_tokens": max_tokens,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema},
                },
            }
        )
        started = time.perf_counter()
        try:
            reply = await self.models.ask(ctx, request, self.deployment)
        finally:
            self.model_s += time.perf_counter() - started
        if reply.filtered:
            return None
        try:
            parsed = json.loads(reply.text)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None

    async def try_json(
        self,
        ctx: CallContext,
        method: Method,
        system: str,
        user: str,
        schema: dict[str, Any],
        name: str,
        max_tokens: int = 400,
    ) -> dict[str, Any] | None:
        """`json` where the method allows the model; in `auto`, a model that cannot serve
        (loading, over capacity, filtered) leaves the floor to answer; in `model` it raises."""
        if method == "extractive":
            return None
        try:
            if method == "model":
                return await self.json(ctx, system, user, schema, name, max_tokens)
            # In auto, a slow model (a small CPU, a busy queue) must not hold the answer the
            # floor already has; the call is cancelled and settled as such in the ledger.
            return await asyncio.wait_for(
                self.json(ctx, system, user, schema, name, max_tokens), self.auto_timeout_s
            )
        except TimeoutError:
            log.info("model too slow, deterministic floor used")
            self.skipped = "timeout"
            return None
        except ContentFilterError:
            # The layer has recorded the block and the model never saw the prompt. In auto the
            # floor still answers: it returns the caller's own sentences and generates nothing,
            # and business text trips the classifier ("burn rate", "bullets"). `model` raises.
            if method == "model":
                raise
            self.skipped = "content_filter"
            return None
        except TandemError as exc:
            if method == "model" or exc.status_code in (401, 403, 429):
                raise
            log.info(
                "model unavailable, deterministic floor used", extra={"status": exc.status_code}
            )
            self.skipped = f"model error {exc.status_code}"
            return None
