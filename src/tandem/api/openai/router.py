"""Routes of the OpenAI-compatible surface (/v1/...)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from tandem.api.deps import PlatformDep
from tandem.api.openai.schemas import model_card
from tandem.api.responses import JSONBytes, parse_body, unless_disconnected
from tandem.errors import InvalidRequestError, TandemError
from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest, JSONObject

router = APIRouter(prefix="/v1", tags=["openai"])


def _openai_error(exc: TandemError) -> JSONObject:
    return exc.openai_body()


@router.get("/models")
async def list_models(platform: PlatformDep) -> Response:
    """Deployments, as OpenAI lists models."""
    return JSONBytes({"object": "list", "data": [model_card(d) for d in platform.deployments]})


@router.get("/models/{model:path}")
async def get_model(model: str, platform: PlatformDep) -> Response:
    """One deployment, as OpenAI shows a model."""
    return JSONBytes(model_card(platform.deployments.get(model)))


@router.post("/chat/completions")
async def chat_completions(request: Request, platform: PlatformDep) -> Response:
    """Chat completions, whole or streamed."""
    body = await parse_body(request, ChatCompletionRequest)
    deployment = _model(body.model)
    if body.stream:
        stream = await platform.service.chat_stream(body, deployment)
        return StreamingResponse(
            platform.service.sse(stream, "chat", _openai_error), media_type="text/event-stream"
        )
    return JSONBytes(await unless_disconnected(request, platform.service.chat(body, deployment)))


@router.post("/completions")
async def completions(request: Request, platform: PlatformDep) -> Response:
    """Text completions, whole or streamed."""
    body = await parse_body(request, CompletionRequest)
    deployment = _model(body.model)
    if body.stream:
        stream = await platform.service.complete_stream(body, deployment)
        return StreamingResponse(
            platform.service.sse(stream, "completions", _openai_error),
            media_type="text/event-stream",
        )
    return JSONBytes(
        await unless_disconnected(request, platform.service.complete(body, deployment))
    )


@router.post("/embeddings")
async def embeddings(request: Request, platform: PlatformDep) -> Response:
    """Embeddings, float or base64."""
    body = await parse_body(request, EmbeddingRequest)
    return JSONBytes(await platform.service.embed(body, _model(body.model)))


def _model(model: str) -> str:
    if not model:
        raise InvalidRequestError("you must provide a model parameter", param="model")
    return model
