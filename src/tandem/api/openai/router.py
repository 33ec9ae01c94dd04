"""Routes of the OpenAI-compatible surface (/v1/...)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.api.model_routes import generation_response, required_model
from tandem.api.openai.schemas import (
    ChatCompletion,
    EmbeddingList,
    ModelCard,
    ModelList,
    TextCompletion,
    model_card,
    streamed,
)
from tandem.errors import DeploymentNotFoundError, TandemError
from tandem.http.bodies import JSONRoute
from tandem.http.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.http.responses import JSONBytes
from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest, JSONObject

router = APIRouter(prefix="/v1", tags=["openai"], route_class=JSONRoute)


def _openai_error(exc: TandemError) -> JSONObject:
    return exc.openai_body()


@router.get("/models", responses={200: {"model": ModelList}})
async def list_models(platform: PlatformDep, principal: PrincipalDep) -> Response:
    """Deployments this key may use, as OpenAI lists models."""
    data = [model_card(d) for d in platform.deployments if principal.may_use(d.name)]
    return JSONBytes({"object": "list", "data": data})


@router.get("/models/{model:path}", responses={200: {"model": ModelCard}})
async def get_model(model: str, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """One deployment, as OpenAI shows a model."""
    if not principal.may_use(model):
        raise DeploymentNotFoundError(f"The model '{model}' does not exist.", param="model")
    return JSONBytes(model_card(platform.deployments.get(model)))


@router.post("/chat/completions", responses=streamed(ChatCompletion))
async def chat_completions(
    body: ChatCompletionRequest, request: Request, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Chat completions, whole or streamed."""
    return await generation_response(request, platform, ctx, None, _openai_error, body)


@router.post("/completions", responses=streamed(TextCompletion))
async def completions(
    body: CompletionRequest, request: Request, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Text completions, whole or streamed."""
    return await generation_response(request, platform, ctx, None, _openai_error, body)


@router.post("/embeddings", responses={200: {"model": EmbeddingList}})
async def embeddings(
    body: EmbeddingRequest, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Embeddings, float or base64."""
    result = await platform.service.embed(ctx, body, required_model(body.model))
    return JSONBytes(result, headers=ctx.headers)
