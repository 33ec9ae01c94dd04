"""Routes of the Azure OpenAI-compatible surface.

The deployment comes from the path and `api-version` from the query; bodies are OpenAI's
(without `model`), and errors take Azure's shape.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.api.model_routes import ApiVersion, generation_response, require_api_version
from tandem.api.openai.schemas import (
    AzureDeploymentList,
    ChatCompletion,
    EmbeddingList,
    ModelList,
    TextCompletion,
    model_card,
    streamed,
)
from tandem.errors import TandemError
from tandem.http.bodies import JSONRoute
from tandem.http.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.http.responses import JSONBytes
from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest, JSONObject

router = APIRouter(prefix="/openai", tags=["azure"], route_class=JSONRoute)


def azure_error(exc: TandemError) -> JSONObject:
    """Azure's error body."""
    return exc.azure_body()


@router.get("/deployments", responses={200: {"model": AzureDeploymentList}})
async def list_deployments(
    platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Deployments this key may use, as Azure lists them."""
    require_api_version(api_version)
    data = [
        {"id": d.name, "model": d.name, "object": "deployment", "status": "succeeded"}
        for d in platform.deployments
        if principal.may_use(d.name)
    ]
    return JSONBytes({"object": "list", "data": data})


@router.get("/models", responses={200: {"model": ModelList}})
async def list_models(
    platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Models behind the deployments this key may use."""
    require_api_version(api_version)
    data = [model_card(d) for d in platform.deployments if principal.may_use(d.name)]
    return JSONBytes({"object": "list", "data": data})


@router.post("/deployments/{deployment}/chat/completions", responses=streamed(ChatCompletion))
async def chat_completions(
    deployment: str,
    body: ChatCompletionRequest,
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    api_version: ApiVersion = None,
) -> Response:
    """Chat completions on a deployment, whole or streamed."""
    require_api_version(api_version)
    return await generation_response(request, platform, ctx, deployment, azure_error, body)


@router.post("/deployments/{deployment}/completions", responses=streamed(TextCompletion))
async def completions(
    deployment: str,
    body: CompletionRequest,
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    api_version: ApiVersion = None,
) -> Response:
    """Text completions on a deployment, whole or streamed."""
    require_api_version(api_version)
    return await generation_response(request, platform, ctx, deployment, azure_error, body)


@router.post("/deployments/{deployment}/embeddings", responses={200: {"model": EmbeddingList}})
async def embeddings(
    deployment: str,
    body: EmbeddingRequest,
    platform: PlatformDep,
    ctx: CallContextDep,
    api_version: ApiVersion = None,
) -> Response:
    """Embeddings on a deployment."""
    require_api_version(api_version)
    result = await platform.service.embed(ctx, body, deployment)
    return JSONBytes(result, headers=ctx.headers)
