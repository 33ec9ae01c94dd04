"""Routes of the OpenAI-compatible surface (/v1/...)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from tandem.api.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.api.openai.schemas import model_card
from tandem.api.responses import JSONBytes, parse_body, unless_disconnected
from tandem.errors import DeploymentNotFoundError, InvalidRequestError, TandemError
from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest, JSONObject

router = APIRouter(prefix="/v1", tags=["openai"])


def _openai_error(exc: TandemError) -> JSONObject:
    return exc.openai_body()


@router.get("/models")
async def list_models(platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Deployments this key may use, as OpenAI lists models."""
    data = [model_card(d) for d in platform.deployments if principal.may_use(d.name)]
    return JSONBytes({"object": "list", "data": data})


@router.get("/models/{model:path}")
async def get_model(model: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One deployment, as OpenAI shows a model."""
    if not principal.may_use(model):
        raise DeploymentNotFoundError(f"The model '{model}' does not exist.", param="model")
    return JSONBytes(model_card(platform.deployments.get(model)))


@router.post("/chat/completions")
async def chat_completions(
    request: Request, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Chat completions, whole or streamed."""
    body = await parse_body(request, ChatCompletionRequest)
    deployment = _model(body.model)
    if body.stream:
        stream = await platform.service.chat_stream(ctx, body, deployment)
        return StreamingResponse(
            platform.service.sse(stream, _openai_error),
            media_type="text/event-stream",
            headers=ctx.headers,
        )
    result = await unless_disconnected(request, platform.service.chat(ctx, body, deployment))
    return JSONBytes(result, headers=ctx.headers)


@router.post("/completions")
async def completions(request: Request, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Text completions, whole or streamed."""
    body = await parse_body(request, CompletionRequest)
    deployment = _model(body.model)
    if body.stream:
        stream = await platform.service.complete_stream(ctx, body, deployment)
        return StreamingResponse(
            platform.service.sse(stream, _openai_error),
            media_type="text/event-stream",
            headers=ctx.headers,
        )
    result = await unless_disconnected(request, platform.service.complete(ctx, body, deployment))
    return JSONBytes(result, headers=ctx.headers)


@router.post("/embeddings")
async def embeddings(request: Request, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """Embeddings, float or base64."""
    body = await parse_body(request, EmbeddingRequest)
    result = await platform.service.embed(ctx, body, _model(body.model))
    return JSONBytes(result, headers=ctx.headers)


def _model(model: str) -> str:
    if not model:
        raise InvalidRequestError("you must provide a model parameter", param="model")
    return model
