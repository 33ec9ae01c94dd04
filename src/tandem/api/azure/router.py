"""Routes of the Azure OpenAI-compatible surface.

The deployment comes from the path and `api-version` from the query; bodies are OpenAI's
(without `model`), and errors take Azure's shape.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.api.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.api.model_routes import ApiVersion, generation_response, require_api_version
from tandem.api.openai.schemas import model_card
from tandem.api.responses import JSONBytes, parse_body
from tandem.errors import TandemError
from tandem.wire import ChatCompletionRequest, CompletionRequest, EmbeddingRequest, JSONObject

router = APIRouter(prefix="/openai", tags=["azure"])


def azure_error(exc: TandemError) -> JSONObject:
    """Azure's error body."""
    return exc.azure_body()


@router.get("/deployments")
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


@router.get("/models")
async def list_models(
    platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Models behind the deployments this key may use."""
    require_api_version(api_version)
    data = [model_card(d) for d in platform.deployments if principal.may_use(d.name)]
    return JSONBytes({"object": "list", "data": data})


@router.post("/deployments/{deployment}/chat/completions")
async def chat_completions(
    deployment: str,
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    api_version: ApiVersion = None,
) -> Response:
    """Chat completions on a deployment, whole or streamed."""
    require_api_version(api_version)
    return await generation_response(
        request, platform, ctx, deployment, azure_error, ChatCompletionRequest
    )


@router.post("/deployments/{deployment}/completions")
async def completions(
    deployment: str,
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    api_version: ApiVersion = None,
) -> Response:
    """Text completions on a deployment, whole or streamed."""
    require_api_version(api_version)
    return await generation_response(
        request, platform, ctx, deployment, azure_error, CompletionRequest
    )


@router.post("/deployments/{deployment}/embeddings")
async def embeddings(
    deployment: str,
    request: Request,
    platform: PlatformDep,
    ctx: CallContextDep,
    api_version: ApiVersion = None,
) -> Response:
    """Embeddings on a deployment."""
    require_api_version(api_version)
    body = await parse_body(request, EmbeddingRequest)
    result = await platform.service.embed(ctx, body, deployment)
    return JSONBytes(result, headers=ctx.headers)
