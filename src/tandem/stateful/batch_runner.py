"""Running one batch line through the model service, as the key that made the batch,
behind interactive traffic (`BACKGROUND`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tandem.backends.generation_queue import BACKGROUND
from tandem.errors import InvalidRequestError, TandemError
from tandem.gateway.service import CallContext, ModelService
from tandem.governance.principal import Principal
from tandem.http.bodies import request_error
from tandem.stateful.responses import ResponsesService
from tandem.stateful.wire import ResponseRequest
from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest, JSONObject

RETRYABLE = (429, 503)


@dataclass(frozen=True)
class Outcome:
    """A line's HTTP-style result; `retry_after` set when it should be tried again later."""

    status_code: int
    body: JSONObject
    retry_after: float | None = None


def principal_json(principal: Principal) -> JSONObject:
    """A principal as stored with its batch."""
    return {
        "tenant": principal.tenant,
        "project": principal.project,
        "key_id": principal.key_id,
        "scope": principal.scope,
        "rpm": principal.rpm,
        "tpm": principal.tpm,
        "budget_usd": principal.budget_usd,
        "deployments": sorted(principal.deployments) if principal.deployments is not None else None,
    }


def principal_of(data: JSONObject) -> Principal:
    """The principal a batch runs as."""
    deployments = data.get("deployments")
    return Principal(
        tenant=data["tenant"],
        project=data["project"],
        key_id=data.get("key_id"),
        scope=data["scope"],
        rpm=data.get("rpm"),
        tpm=data.get("tpm"),
        budget_usd=data.get("budget_usd"),
        deployments=frozenset(deployments) if deployments is not None else None,
    )


class LineRunner:
    """Runs a line's request as the matching route would."""

    def __init__(self, models: ModelService, responses: ResponsesService) -> None:
        self.models = models
        self.responses = responses

    async def run(
        self, principal: Principal, endpoint: str, body: JSONObject, request_id: str
    ) -> Outcome:
        """The line's response (or error) as status and body."""
        ctx = CallContext(principal=principal, request_id=request_id)
        token = BACKGROUND.set(True)
        try:
            return Outcome(200, await self._call(ctx, endpoint, body))
        except ValidationError as exc:
            error = request_error(exc.errors())
            return Outcome(error.status_code, error.openai_body())
        except TandemError as exc:
            retry = exc.status_code in RETRYABLE and exc.code != "insufficient_quota"
            delay = _retry_after(exc.headers) if retry else None
            return Outcome(exc.status_code, exc.openai_body(), delay)
        finally:
            BACKGROUND.reset(token)

    async def _call(self, ctx: CallContext, endpoint: str, body: JSONObject) -> JSONObject:
        if body.get("stream"):
            raise InvalidRequestError("batch requests cannot stream", param="stream")
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise InvalidRequestError("you must provide a model parameter", param="model")
        if endpoint == "/v1/chat/completions":
            chat = ChatCompletionRequest.model_validate(body)
            return await self.models.generate(ctx, chat, model)
        if endpoint == "/v1/completions":
            text = CompletionRequest.model_validate(body)
            return await self.models.generate(ctx, text, model)
        if endpoint == "/v1/embeddings":
            result = await self.models.embed(ctx, EmbeddingRequest.model_validate(body), model)
            plain: JSONObject = _plain(result)
            return plain
        request = ResponseRequest.model_validate(body)
        if request.background:
            raise InvalidRequestError("batch requests cannot run in background", param="background")
        return await self.responses.create(ctx, request, model)


def _plain(value: Any) -> Any:
    """JSON-ready: embedding rows come back as NumPy arrays."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    tolist = getattr(value, "tolist", None)
    return tolist() if tolist is not None else value


def _retry_after(headers: dict[str, str]) -> float:
    try:
        return max(0.5, float(headers.get("retry-after", "2")))
    except ValueError:
        return 2.0
