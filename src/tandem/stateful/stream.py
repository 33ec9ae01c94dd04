"""Chat completion chunks as the Responses event stream, in the order clients rely on:
response.created, response.in_progress, then per item output_item.added,
content_part.added, output_text.delta..., output_text.done, content_part.done,
output_item.done, and finally response.completed (or .incomplete / .failed), each with
a sequence_number."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

from tandem.stateful import translate
from tandem.stateful.ids import new_id
from tandem.wire import JSONObject

Events = Iterator[JSONObject]


class ResponseEvents:
    """Turns one response's chunks into events; `body` ends as the final response."""

    def __init__(self, body: JSONObject, annotations: list[JSONObject]) -> None:
        self.body = body
        self.annotations = annotations
        self.output: list[JSONObject] = []
        self.sequence = 0
        self.text = ""
        self.message_id = ""
        self.message_index: int | None = None
        self.calls: dict[int, dict[str, str]] = {}
        self.finish_reason: str | None = None
        self.chat_usage: JSONObject | None = None

    def _event(self, kind: str, **fields: Any) -> JSONObject:
        event = {"type": kind, "sequence_number": self.sequence, **fields}
        self.sequence += 1
        return event

    def _response(self) -> JSONObject:
        return copy.deepcopy({**self.body, "output": self.output})

    def start(self, prefix: list[JSONObject]) -> Events:
        """The opening events, and those of a file search already run."""
        yield self._event("response.created", response=self._response())
        yield self._event("response.in_progress", response=self._response())
        for item in prefix:
            index = len(self.output)
            at = {"output_index": index, "item_id": item["id"]}
            added = {**item, "status": "in_progress", "results": None}
            yield self._event("response.output_item.added", output_index=index, item=added)
            for stage in ("in_progress", "searching", "completed"):
                yield self._event(f"response.file_search_call.{stage}", **at)
            self.output.append(item)
            yield self._event("response.output_item.done", output_index=index, item=item)

    def chunk(self, chunk: JSONObject) -> Events:
        """Events for one chat.completion.chunk (text deltas; tool calls are gathered)."""
        if chunk.get("usage"):
            self.chat_usage = chunk["usage"]
        for choice in chunk.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta") or {}
            content = delta.get("content")
            if content:
                if self.message_index is None:
                    yield from self._open_message()
                self.text += content
                yield self._event(
                    "response.output_text.delta",
                    item_id=self.message_id,
                    output_index=self.message_index,
                    content_index=0,
                    delta=content,
                    logprobs=[],
                )
            for call in delta.get("tool_calls") or []:
                self._gather(call)
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]

    def _gather(self, call: JSONObject) -> None:
        slot = self.calls.setdefault(int(call.get("index", 0)), {"id": "", "name": "", "args": ""})
        function = call.get("function") or {}
        slot["id"] = call.get("id") or slot["id"]
        slot["name"] = slot["name"] or function.get("name") or ""
        slot["args"] += function.get("arguments") or ""

    def _open_message(self) -> Events:
        self.message_id = new_id("msg")
        self.message_index = len(self.output)
        item = {
            "type": "message",
            "id": self.message_id,
            "status": "in_progress",
            "role": "assistant",
            "content": [],
        }
        yield self._event("response.output_item.added", output_index=self.message_index, item=item)
        yield self._event(
            "response.content_part.added",
            item_id=self.message_id,
            output_index=self.message_index,
            content_index=0,
            part={"type": "output_text", "text": "", "annotations": [], "logprobs": []},
        )

    def _close_message(self, status: str = "completed") -> Events:
        index = self.message_index
        item = translate.message_item(self.text, self.annotations, item_id=self.message_id)
        item["status"] = status
        part = item["content"][0]
        for note in part["annotations"]:
            note["index"] = len(self.text)
        at = {"item_id": self.message_id, "output_index": index, "content_index": 0}
        yield self._event("response.output_text.done", **at, text=self.text, logprobs=[])
        yield self._event("response.content_part.done", **at, part=part)
        self.output.append(item)
        yield self._event("response.output_item.done", output_index=index, item=item)
        self.message_index = None

    def _function_calls(self) -> Events:
        for _, slot in sorted(self.calls.items()):
            call = {"id": slot["id"], "function": {"name": slot["name"], "arguments": slot["args"]}}
            item = translate.function_call_item(call)
            index = len(self.output)
            at = {"item_id": item["id"], "output_index": index}
            added = {**item, "arguments": "", "status": "in_progress"}
            yield self._event("response.output_item.added", output_index=index, item=added)
            yield self._event("response.function_call_arguments.delta", **at, delta=slot["args"])
            yield self._event(
                "response.function_call_arguments.done",
                **at,
                name=slot["name"],
                arguments=slot["args"],
            )
            self.output.append(item)
            yield self._event("response.output_item.done", output_index=index, item=item)

    def finish(self) -> Events:
        """The closing events; `body` is the final response afterwards."""
        if self.message_index is None and not self.calls:
            yield from self._open_message()  # an empty answer is still a message
        if self.message_index is not None:
            yield from self._close_message()
        yield from self._function_calls()
        status, incomplete = translate.response_status(self.finish_reason)
        self.body.update(
            status=status,
            incomplete_details=incomplete,
            output=self.output,
            usage=translate.usage(self.chat_usage),
            completed_at=int(time.time()),
        )
        kind = "response.completed" if status == "completed" else "response.incomplete"
        yield self._event(kind, response=self._response())

    def fail(self, code: str, message: str) -> Events:
        """The events of a stream that broke: the partial message, then response.failed."""
        if self.message_index is not None:
            yield from self._close_message("incomplete")
        self.body.update(
            status="failed",
            error={"code": code, "message": message},
            output=self.output,
            usage=translate.usage(self.chat_usage),
        )
        yield self._event("response.failed", response=self._response())
