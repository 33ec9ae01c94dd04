"""The Responses API over the model service: every response passes the same keys,
quotas, safety and ledger as a chat completion, because it is one underneath."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from tandem.errors import InvalidRequestError, TandemError
from tandem.gateway.service import CallContext, ModelService
from tandem.stateful import translate
from tandem.stateful.files import FileStore
from tandem.stateful.ids import new_id
from tandem.stateful.response_store import TERMINAL, ConversationStore, ResponseStore
from tandem.stateful.stream import ResponseEvents
from tandem.stateful.translate import Context
from tandem.stateful.wire import ResponseRequest
from tandem.wire import ChatCompletionRequest, JSONObject

log = logging.getLogger(__name__)

PROMPT_PASSAGES = 5
TEXT_PURPOSES = ("user_data", "assistants")


class Searcher(Protocol):
    """What file_search needs of vector stores."""

    async def search(
        self,
        ctx: CallContext,
        vector_store_id: str,
        query: str,
        max_results: int,
        filters: JSONObject | None,
    ) -> list[JSONObject]: ...


@dataclass
class Prepared:
    """A request ready to run: the chat call, the response so far, what to store."""

    request: ResponseRequest
    deployment: str
    chat: ChatCompletionRequest
    body: JSONObject
    items: list[JSONObject]
    context: Context
    native: JSONObject | None = None  # the request for an upstream that speaks Responses
    prefix: list[JSONObject] = field(default_factory=list)  # file_search_call, if any
    annotations: list[JSONObject] = field(default_factory=list)


class ResponsesService:
    """Create, stream, store, read, cancel and delete responses."""

    def __init__(
        self,
        models: ModelService,
        store: ResponseStore,
        conversations: ConversationStore,
        files: FileStore,
        searcher: Searcher,
    ) -> None:
        self.models = models
        self.store = store
        self.conversations = conversations
        self.files = files
        self.searcher = searcher
        self._background: dict[str, asyncio.Task[None]] = {}

    async def create(
        self, ctx: CallContext, request: ResponseRequest, deployment: str
    ) -> JSONObject:
        """A whole response (or, with `background`, a queued one)."""
        prepared = await self.prepare(ctx, request, deployment, stream=False)
        if request.background:
            prepared.body["status"] = "queued"
            await self.store.save(ctx.principal.tenant, prepared.body, self._stored_input(prepared))
            task = asyncio.create_task(self._run_background(ctx, prepared))
            self._background[prepared.body["id"]] = task
            task.add_done_callback(lambda _: self._background.pop(prepared.body["id"], None))
            return dict(prepared.body)
        completion = await self.models.generate(ctx, prepared.chat, deployment, prepared.native)
        body = self._finish(prepared, completion)
        await self._keep(ctx, prepared)
        return body

    async def prepare(
        self, ctx: CallContext, request: ResponseRequest, deployment: str, stream: bool
    ) -> Prepared:
        """Check the request, gather its context (chain, conversation, files, search)."""
        request.check()
        tenant = ctx.principal.tenant
        context = Context()
        if request.previous_response_id:
            previous = await self.store.get(
                tenant, request.previous_response_id, "previous_response_id"
            )
            context.history = list(previous.input_items) + list(previous.body.get("output", []))
        elif request.conversation_id:
            context.history = await self.conversations.items(tenant, request.conversation_id)
        for file_id in translate.check_parts(request):
            context.files[file_id] = await self._file_text(tenant, file_id)
        items = translate.normalize_items(request)
        prefix, annotations = await self._file_search(ctx, request, items, context)
        return Prepared(
            request=request,
            deployment=deployment,
            chat=translate.chat_request(request, context, items, stream),
            body=_skeleton(request, deployment),
            items=items,
            context=context,
            native=translate.native_request(request, context, items, stream),
            prefix=prefix,
            annotations=annotations,
        )

    async def _file_text(self, tenant: str, file_id: str) -> str:
        row, data = await self.files.content(tenant, file_id)
        if row.purpose not in TEXT_PURPOSES:
            raise InvalidRequestError(
                f"file '{file_id}' has purpose '{row.purpose}'; input files need purpose "
                "user_data or assistants",
                param="input",
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidRequestError(f"file '{file_id}' is not UTF-8 text", param="input") from exc

    async def _file_search(
        self,
        ctx: CallContext,
        request: ResponseRequest,
        items: list[JSONObject],
        context: Context,
    ) -> tuple[list[JSONObject], list[JSONObject]]:
        """Search the vector stores for the last user message: the file_search_call item,
        and citations; the best passages go into the context."""
        tool = request.file_search
        query = _last_user_text(items)
        if tool is None or request.tool_choice == "none" or not query.strip():
            return [], []
        limit = tool.max_num_results or 10
        found: list[JSONObject] = []
        for vector_store_id in tool.vector_store_ids:
            found.extend(
                await self.searcher.search(ctx, vector_store_id, query, limit, tool.filters)
            )
        found.sort(key=lambda r: -float(r["score"]))
        results = [
            {
                "file_id": r["file_id"],
                "filename": r["filename"],
                "score": r["score"],
                "attributes": r.get("attributes") or {},
                "text": "".join(c["text"] for c in r["content"]),
            }
            for r in found[:limit]
        ]
        include = "file_search_call.results" in (request.include or [])
        context.passages = [f"({r['filename']}) {r['text']}" for r in results[:PROMPT_PASSAGES]]
        cited: dict[str, str] = {}
        for r in results[:PROMPT_PASSAGES]:
            cited.setdefault(r["file_id"], r["filename"])
        annotations = [
            {"type": "file_citation", "file_id": f, "filename": n, "index": 0}
            for f, n in cited.items()
        ]
        return [translate.file_search_item(query, results if include else None)], annotations

    def _finish(self, prepared: Prepared, completion: JSONObject) -> JSONObject:
        choice = (completion.get("choices") or [{}])[0]
        status, incomplete = translate.response_status(choice.get("finish_reason"))
        output = prepared.prefix + translate.output_items(completion, prepared.annotations)
        for item in output:
            _place_citations(item)
        body = prepared.body
        body.update(
            status=status,
            incomplete_details=incomplete,
            output=output,
            usage=translate.usage(completion.get("usage")),
            completed_at=int(time.time()),
        )
        return body

    def _stored_input(self, prepared: Prepared) -> list[JSONObject]:
        return prepared.context.history + prepared.items

    async def _keep(self, ctx: CallContext, prepared: Prepared) -> None:
        """Store the response and add the turn to its conversation."""
        tenant = ctx.principal.tenant
        if prepared.request.store:
            await self.store.save(tenant, prepared.body, self._stored_input(prepared))
        conversation = prepared.request.conversation_id
        if conversation:
            output = list(prepared.body["output"])
            await self.conversations.append(tenant, conversation, prepared.items + output)

    async def _run_background(self, ctx: CallContext, prepared: Prepared) -> None:
        body = prepared.body
        try:
            body["status"] = "in_progress"
            await self.store.finish({**body, "status": "in_progress"})
            completion = await self.models.generate(
                ctx, prepared.chat, prepared.deployment, prepared.native
            )
            self._finish(prepared, completion)
        except asyncio.CancelledError:
            return  # cancelled through the API: the store says so already
        except TandemError as exc:
            body.update(
                status="failed", error={"code": exc.code or "server_error", "message": exc.message}
            )
        except Exception:
            log.exception("background response failed", extra={"response_id": body["id"]})
            body.update(
                status="failed", error={"code": "server_error", "message": "the response failed"}
            )
        await self.store.finish(body)
        if body["status"] != "failed" and prepared.request.conversation_id:
            await self.conversations.append(
                ctx.principal.tenant,
                prepared.request.conversation_id,
                prepared.items + body["output"],
            )

    async def stream(
        self, ctx: CallContext, request: ResponseRequest, deployment: str
    ) -> AsyncIterator[JSONObject]:
        """Open the stream (errors before the first event are raised here); its events."""
        prepared = await self.prepare(ctx, request, deployment, stream=True)
        opened = await self.models.stream(ctx, prepared.chat, deployment, prepared.native)
        return self._events(ctx, prepared, opened)

    async def _events(
        self, ctx: CallContext, prepared: Prepared, opened: Any
    ) -> AsyncIterator[JSONObject]:
        events = ResponseEvents(prepared.body, prepared.annotations)
        for event in events.start(prepared.prefix):
            yield event
        try:
            async for chunk in self.models.chunks(opened):
                for event in events.chunk(chunk):
                    yield event
        except TandemError as exc:
            # The status line is long gone: the failure is the stream's last event.
            for event in events.fail(exc.code or "server_error", exc.message):
                yield event
            await self._keep_quietly(ctx, prepared)
            return
        except Exception:
            log.exception("response stream failed", extra={"response_id": prepared.body["id"]})
            for event in events.fail("server_error", "the stream was interrupted"):
                yield event
            return
        for event in events.finish():
            yield event
        await self._keep_quietly(ctx, prepared)

    async def _keep_quietly(self, ctx: CallContext, prepared: Prepared) -> None:
        # The client has every event; a storage failure is logged, not sent.
        try:
            await self._keep(ctx, prepared)
        except Exception:
            log.exception("storing a streamed response failed")

    async def get(self, ctx: CallContext, response_id: str) -> JSONObject:
        """A stored response."""
        return dict((await self.store.get(ctx.principal.tenant, response_id)).body)

    async def delete(self, ctx: CallContext, response_id: str) -> JSONObject:
        """Delete a stored response."""
        await self.store.delete(ctx.principal.tenant, response_id)
        return {"id": response_id, "object": "response", "deleted": True}

    async def cancel(self, ctx: CallContext, response_id: str) -> JSONObject:
        """Cancel a background response (a finished one is returned as it is)."""
        row = await self.store.get(ctx.principal.tenant, response_id)
        if not row.body.get("background"):
            raise InvalidRequestError(
                "only background responses can be cancelled", param="response_id"
            )
        if row.status in TERMINAL:
            return dict(row.body)
        body = {**row.body, "status": "cancelled"}
        if await self.store.finish(body):
            task = self._background.get(response_id)
            if task is not None:
                task.cancel()
            return body
        return await self.get(ctx, response_id)

    async def input_items(
        self, ctx: CallContext, response_id: str, limit: int, order: str, after: str | None
    ) -> JSONObject:
        """The input the response saw, as a list page."""
        row = await self.store.get(ctx.principal.tenant, response_id)
        items = list(row.input_items)
        if order == "desc":
            items.reverse()
        if after:
            ids = [i.get("id") for i in items]
            items = items[ids.index(after) + 1 :] if after in ids else []
        page = items[:limit]
        return {
            "object": "list",
            "data": page,
            "first_id": page[0].get("id") if page else None,
            "last_id": page[-1].get("id") if page else None,
            "has_more": len(items) > limit,
        }

    async def stop(self) -> None:
        """Cancel background responses of this process (they stay in_progress in the store)."""
        for task in list(self._background.values()):
            task.cancel()
        await asyncio.gather(*self._background.values(), return_exceptions=True)


def _skeleton(request: ResponseRequest, deployment: str) -> JSONObject:
    text = request.text.model_dump(by_alias=True, exclude_none=True) if request.text else None
    tools = [t.model_dump(by_alias=True, exclude_none=True) for t in request.tools or []]
    choice = request.tool_choice
    return {
        "id": new_id("resp", 48),
        "object": "response",
        "created_at": int(time.time()),
        "status": "in_progress",
        "background": request.background,
        "completed_at": None,
        "conversation": {"id": request.conversation_id} if request.conversation_id else None,
        "error": None,
        "incomplete_details": None,
        "instructions": request.instructions,
        "max_output_tokens": request.max_output_tokens,
        "metadata": request.metadata or {},
        "model": deployment,
        "output": [],
        "parallel_tool_calls": request.parallel_tool_calls,
        "previous_response_id": request.previous_response_id,
        "store": request.store,
        "temperature": request.temperature,
        "text": text or {"format": {"type": "text"}},
        "tool_choice": choice if isinstance(choice, str) else choice.model_dump(),
        "tools": tools,
        "top_p": request.top_p,
        "truncation": request.truncation,
        "usage": None,
        "user": request.user,
    }


def _last_user_text(items: list[JSONObject]) -> str:
    for item in reversed(items):
        if item.get("type") == "message" and item.get("role") == "user":
            return " ".join(p.get("text", "") for p in item["content"] if "text" in p)
    return ""


def _place_citations(item: JSONObject) -> None:
    """File citations point at the end of the text they support."""
    if item.get("type") != "message":
        return
    for part in item["content"]:
        if part.get("type") == "output_text":
            for note in part["annotations"]:
                note["index"] = len(part["text"])
