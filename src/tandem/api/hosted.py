"""The routers of the stateful OpenAI APIs (responses, conversations, files, batches,
vector stores), and the same routes under Azure's v1 path `/openai/v1/...` (no
`api-version`), so `OpenAI(base_url=".../openai/v1/")` works as it does against Azure."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from tandem.api.batches.router import router as batches_router
from tandem.api.files.router import router as files_router
from tandem.api.openai.router import router as openai_router
from tandem.api.responses_api.router import router as responses_router
from tandem.api.vector_stores.router import router as vector_stores_router
from tandem.http.bodies import JSONRoute

AZURE_V1 = "/openai"


def hosted_routers() -> list[APIRouter]:
    """Every router to include: the stateful APIs on /v1, and all of /v1 on /openai/v1."""
    own = [responses_router, files_router, batches_router, vector_stores_router]
    return [*own, *(alias(r, AZURE_V1) for r in [openai_router, *own])]


def alias(router: APIRouter, prefix: str) -> APIRouter:
    """A copy of `router`'s routes under `prefix` (errors there take Azure's shape)."""
    copy = APIRouter(prefix=prefix, route_class=JSONRoute)
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        copy.add_api_route(
            route.path,
            route.endpoint,
            methods=sorted(route.methods or ()),
            responses=route.responses,
            status_code=route.status_code,
            openapi_extra=route.openapi_extra,
            response_class=route.response_class,
            include_in_schema=route.include_in_schema,
            name=f"azure_v1_{route.name}",
            tags=["azure v1"],
            summary=route.summary,
            description=route.description,
        )
    return copy
