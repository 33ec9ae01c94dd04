"""Routes of /v1/vector_stores: OpenAI's vector stores over Tandem's knowledge bases."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from tandem.http.bodies import JSONRoute
from tandem.http.deps import CallContextDep, PlatformDep, PrincipalDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes
from tandem.wire import JSONObject

router = APIRouter(prefix="/v1/vector_stores", tags=["vector stores"], route_class=JSONRoute)

Limit = Annotated[int, Query(ge=1, le=100)]
Order = Annotated[Literal["asc", "desc"], Query()]
After = Annotated[str | None, Query(max_length=64)]
Attributes = dict[str, str | float | bool]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AutoChunking(_Body):
    """Chunking chosen by Tandem (the knowledge base's own)."""

    type: Literal["auto"]


class StoreCreate(_Body):
    """Body of POST /v1/vector_stores."""

    name: str | None = Field(default=None, max_length=256)
    file_ids: list[str] = Field(default_factory=list, max_length=500)
    metadata: dict[str, str] | None = Field(default=None, max_length=16)
    chunking_strategy: AutoChunking | None = None


class StoreUpdate(_Body):
    """Body of POST /v1/vector_stores/{id}."""

    name: str | None = Field(default=None, max_length=256)
    metadata: dict[str, str] | None = Field(default=None, max_length=16)


class FileAttach(_Body):
    """Body of POST /v1/vector_stores/{id}/files."""

    file_id: str = Field(min_length=1, max_length=64)
    attributes: Attributes | None = Field(default=None, max_length=16)
    chunking_strategy: AutoChunking | None = None


class FileBatchCreate(_Body):
    """Body of POST /v1/vector_stores/{id}/file_batches."""

    file_ids: list[str] = Field(min_length=1, max_length=500)
    attributes: Attributes | None = Field(default=None, max_length=16)
    chunking_strategy: AutoChunking | None = None


class RankingOptions(_Body):
    """Ranking of search results."""

    ranker: Literal["auto", "default-2024-11-15", "none"] = "auto"
    score_threshold: float = Field(default=0.0, ge=0, le=1)


class SearchBody(_Body):
    """Body of POST /v1/vector_stores/{id}/search."""

    query: str | list[str] = Field(min_length=1)
    max_num_results: int = Field(default=10, ge=1, le=50)
    filters: dict[str, Any] | None = None
    rewrite_query: bool = False
    ranking_options: RankingOptions | None = None


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FileCounts(BaseModel):
    """Files by status."""

    in_progress: int
    completed: int
    failed: int
    cancelled: int
    total: int


class VectorStoreObject(_Open):
    """A vector store."""

    id: str
    object: Literal["vector_store"]
    created_at: int
    name: str
    status: Literal["in_progress", "completed", "expired"]
    file_counts: FileCounts
    usage_bytes: int


class VectorStoreFileObject(_Open):
    """A file of a vector store."""

    id: str
    object: Literal["vector_store.file"]
    status: Literal["in_progress", "completed", "failed", "cancelled"]
    vector_store_id: str
    last_error: dict[str, Any] | None


class FileBatchObject(_Open):
    """A file batch of a vector store."""

    id: str
    object: Literal["vector_store.file_batch"]
    status: str
    vector_store_id: str
    file_counts: FileCounts


class Page(_Open):
    """A page of a list."""

    object: Literal["list"]
    data: list[dict[str, Any]]
    has_more: bool


class SearchPage(_Open):
    """Search results."""

    object: Literal["vector_store.search_results.page"]
    search_query: list[str]
    data: list[dict[str, Any]]
    has_more: bool


class Deleted(_Open):
    """A deleted object."""

    id: str
    object: str
    deleted: bool


def _page(data: list[JSONObject], more: bool) -> Response:
    return JSONBytes(
        {
            "object": "list",
            "data": data,
            "has_more": more,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }
    )


@router.post("", responses={200: {"model": VectorStoreObject}, **errors(400)})
async def create_store(body: StoreCreate, platform: PlatformDep, ctx: CallContextDep) -> Response:
    """A vector store; `file_ids` start ingesting at once."""
    view = await platform.hosted.vector_stores.create(ctx, body.name, body.metadata, body.file_ids)
    return JSONBytes(view)


@router.get("", responses={200: {"model": Page}})
async def list_stores(
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    order: Order = "desc",
    after: After = None,
) -> Response:
    """Your tenant's vector stores."""
    data, more = await platform.hosted.vector_stores.page(principal.tenant, limit, order, after)
    return _page(data, more)


@router.get("/{vector_store_id}", responses={200: {"model": VectorStoreObject}})
async def get_store(
    vector_store_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """A vector store with its file counts."""
    return JSONBytes(await platform.hosted.vector_stores.view(principal.tenant, vector_store_id))


@router.post("/{vector_store_id}", responses={200: {"model": VectorStoreObject}})
async def update_store(
    vector_store_id: str, body: StoreUpdate, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Rename a vector store or replace its metadata."""
    stores = platform.hosted.vector_stores
    view = await stores.modify(principal.tenant, vector_store_id, body.name, body.metadata)
    return JSONBytes(view)


@router.delete("/{vector_store_id}", responses={200: {"model": Deleted}})
async def delete_store(
    vector_store_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delete a vector store (its files stay in /v1/files)."""
    return JSONBytes(await platform.hosted.vector_stores.delete(principal.tenant, vector_store_id))


@router.post("/{vector_store_id}/search", responses={200: {"model": SearchPage}, **errors(400)})
async def search(
    vector_store_id: str, body: SearchBody, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Scored chunks for a query, with their file ids and attributes."""
    queries = [body.query] if isinstance(body.query, str) else body.query
    text = " ".join(q for q in queries if q.strip())
    stores = platform.hosted.vector_stores
    data = await stores.search(ctx, vector_store_id, text, body.max_num_results, body.filters)
    threshold = body.ranking_options.score_threshold if body.ranking_options else 0.0
    data = [d for d in data if d["score"] >= threshold]
    page = {
        "object": "vector_store.search_results.page",
        "search_query": queries,
        "data": data,
        "has_more": False,
        "next_page": None,
    }
    return JSONBytes(page)


@router.post(
    "/{vector_store_id}/files",
    responses={200: {"model": VectorStoreFileObject}, **errors(400)},
)
async def attach_file(
    vector_store_id: str, body: FileAttach, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Attach a file (purpose assistants or user_data); it is ingested in the background."""
    stores = platform.hosted.vector_stores
    return JSONBytes(await stores.attach(ctx, vector_store_id, body.file_id, body.attributes))


@router.get("/{vector_store_id}/files", responses={200: {"model": Page}})
async def list_files(
    vector_store_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    order: Order = "desc",
    after: After = None,
    filter: Annotated[
        Literal["in_progress", "completed", "failed", "cancelled"] | None, Query()
    ] = None,
) -> Response:
    """A vector store's files."""
    stores = platform.hosted.vector_stores
    data, more = await stores.file_list(
        principal.tenant, vector_store_id, filter, None, limit, order, after
    )
    return _page(data, more)


@router.get("/{vector_store_id}/files/{file_id}", responses={200: {"model": VectorStoreFileObject}})
async def get_file(
    vector_store_id: str, file_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """One attached file and how its ingestion went."""
    stores = platform.hosted.vector_stores
    return JSONBytes(await stores.file_view(principal.tenant, vector_store_id, file_id))


@router.delete("/{vector_store_id}/files/{file_id}", responses={200: {"model": Deleted}})
async def detach_file(
    vector_store_id: str, file_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Remove a file from the vector store (the file itself stays)."""
    stores = platform.hosted.vector_stores
    return JSONBytes(await stores.detach(principal.tenant, vector_store_id, file_id))


@router.post(
    "/{vector_store_id}/file_batches",
    responses={200: {"model": FileBatchObject}, **errors(400)},
)
async def create_file_batch(
    vector_store_id: str, body: FileBatchCreate, platform: PlatformDep, ctx: CallContextDep
) -> Response:
    """Attach several files at once."""
    stores = platform.hosted.vector_stores
    view = await stores.attach_batch(ctx, vector_store_id, body.file_ids, body.attributes)
    return JSONBytes(view)


@router.get(
    "/{vector_store_id}/file_batches/{batch_id}", responses={200: {"model": FileBatchObject}}
)
async def get_file_batch(
    vector_store_id: str, batch_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """A file batch with its file counts."""
    stores = platform.hosted.vector_stores
    return JSONBytes(await stores.batch_view(principal.tenant, vector_store_id, batch_id))


@router.post(
    "/{vector_store_id}/file_batches/{batch_id}/cancel",
    responses={200: {"model": FileBatchObject}},
)
async def cancel_file_batch(
    vector_store_id: str, batch_id: str, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Cancel the files of a batch not yet ingested."""
    stores = platform.hosted.vector_stores
    return JSONBytes(await stores.cancel_batch(principal.tenant, vector_store_id, batch_id))


@router.get("/{vector_store_id}/file_batches/{batch_id}/files", responses={200: {"model": Page}})
async def list_batch_files(
    vector_store_id: str,
    batch_id: str,
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Limit = 20,
    order: Order = "desc",
    after: After = None,
) -> Response:
    """The files of a file batch."""
    stores = platform.hosted.vector_stores
    await stores.batch_view(principal.tenant, vector_store_id, batch_id)
    data, more = await stores.file_list(
        principal.tenant, vector_store_id, None, batch_id, limit, order, after
    )
    return _page(data, more)
