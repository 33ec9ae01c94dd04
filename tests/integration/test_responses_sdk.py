"""The official OpenAI SDK's Responses, Files, Vector stores and Batches against
`tandem serve` on the real embedded models."""

from __future__ import annotations

import json
import time
from typing import Any, cast

import openai
import pytest
from openai import OpenAI
from pydantic import BaseModel

pytestmark = pytest.mark.integration

STREAM_ORDER = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
]
STREAM_END = [
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather in a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
FAQ = (
    b"# Shipping\n\nStandard shipping takes 4 to 6 business days and costs $6.95. Express "
    b"shipping arrives in 2 business days.\n\n# Returns\n\nReturns are accepted within 30 days.\n"
)


@pytest.fixture(scope="module")
def client(tandem_url: str) -> OpenAI:
    return OpenAI(base_url=f"{tandem_url}/v1", api_key="unused", max_retries=0)


def test_whole_response(client: OpenAI) -> None:
    response = client.responses.create(
        model="smollm2",
        input="What is the capital of France?",
        instructions="Answer briefly.",
        max_output_tokens=24,
        temperature=0,
    )
    assert response.object == "response"
    assert response.status in ("completed", "incomplete")
    assert response.output_text
    assert response.usage is not None
    assert response.usage.input_tokens > 5
    assert 0 < response.usage.output_tokens <= 24
    again = client.responses.retrieve(response.id)
    assert again.output_text == response.output_text
    items = client.responses.input_items.list(response.id)
    assert items.data[0].type == "message"


def test_streamed_events_in_order(client: OpenAI) -> None:
    events = list(
        client.responses.create(
            model="smollm2",
            input="Count from one to five.",
            max_output_tokens=24,
            temperature=0,
            stream=True,
        )
    )
    kinds = [e.type for e in events]
    deltas = kinds.count("response.output_text.delta")
    assert deltas >= 2
    assert kinds[:5] == STREAM_ORDER
    assert kinds[4 : 4 + deltas] == ["response.output_text.delta"] * deltas
    assert kinds[4 + deltas :] in (STREAM_END, [*STREAM_END[:-1], "response.incomplete"])
    assert [e.sequence_number for e in events] == list(range(len(events)))
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert events[-1].response.output_text == text  # type: ignore[union-attr]


def test_stream_helper_and_final_response(client: OpenAI) -> None:
    with client.responses.stream(
        model="smollm2",
        input="Reply with one word: hello.",
        max_output_tokens=64,
        temperature=0,
    ) as stream:
        events = list(stream)
    kinds = [event.type for event in events]
    assert kinds[0] == "response.created"
    if kinds[-1] == "response.completed":  # (cut by max_output_tokens: response.incomplete)
        final = stream.get_final_response()
        assert final.output_text
        assert client.responses.retrieve(final.id).output_text == final.output_text
    else:
        assert kinds[-1] == "response.incomplete"


def test_previous_response_id_chain(client: OpenAI) -> None:
    first = client.responses.create(
        model="smollm2", input="My name is Ada. Reply with OK.", max_output_tokens=8
    )
    second = client.responses.create(
        model="smollm2",
        input="What is my name?",
        previous_response_id=first.id,
        max_output_tokens=16,
        temperature=0,
    )
    assert second.previous_response_id == first.id
    seen = [i for i in client.responses.input_items.list(second.id, order="asc").data]
    assert [getattr(i, "role", None) for i in seen] == ["user", "assistant", "user"]


class City(BaseModel):
    city: str
    country: str


def test_json_schema_output(client: OpenAI) -> None:
    parsed = client.responses.parse(
        model="smollm2",
        input="Paris is in France. Reply with the city and the country it is in.",
        text_format=City,
        max_output_tokens=60,
        temperature=0,
    )
    assert isinstance(parsed.output_parsed, City)
    assert parsed.output_parsed.city


def test_function_tool_round_trip(client: OpenAI) -> None:
    tools: Any = [WEATHER]
    first = client.responses.create(
        model="smollm2",
        input="What is the weather in Paris?",
        tools=tools,
        tool_choice={"type": "function", "name": "get_weather"},
        max_output_tokens=60,
        parallel_tool_calls=False,
        temperature=0,
    )
    [call] = [item for item in first.output if item.type == "function_call"]
    assert call.name == "get_weather"
    assert "city" in json.loads(call.arguments)
    output: Any = [
        {
            "type": "function_call_output",
            "call_id": call.call_id,
            "output": json.dumps({"temperature_c": 21, "sky": "sunny"}),
        }
    ]
    second = client.responses.create(
        model="smollm2",
        previous_response_id=first.id,
        tools=tools,
        input=output,
        max_output_tokens=40,
        temperature=0,
    )
    assert second.output_text


def test_bad_requests_name_the_field(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="smollm2", input=cast(Any, [{"type": "hologram"}]))
    assert caught.value.param == "input[0].type"
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="smollm2", input="x", tools=[{"type": "web_search"}])
    assert caught.value.param == "tools[0].type"


def _wait(get: Any, done: Any, timeout: float = 240) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def test_file_search_over_uploaded_files(client: OpenAI) -> None:
    faq = client.files.create(file=("faq.md", FAQ), purpose="assistants")
    store = client.vector_stores.create(name="Help centre", file_ids=[faq.id])
    store = _wait(
        lambda: client.vector_stores.retrieve(store.id), lambda s: s.status == "completed"
    )
    assert store.file_counts.completed == 1
    found = client.vector_stores.search(store.id, query="How long does standard shipping take?")
    hits = list(found)
    assert hits
    assert hits[0].file_id == faq.id
    assert "4 to 6" in hits[0].content[0].text
    response = client.responses.create(
        model="smollm2",
        input="How long does standard shipping take?",
        tools=[{"type": "file_search", "vector_store_ids": [store.id]}],
        include=["file_search_call.results"],
        max_output_tokens=40,
        temperature=0,
    )
    search = response.output[0]
    assert search.type == "file_search_call"
    assert search.results
    assert search.results[0].file_id == faq.id
    batch_file = client.files.create(file=("x.jsonl", b"{}\n"), purpose="batch")
    with pytest.raises(openai.BadRequestError) as caught:
        client.vector_stores.files.create(store.id, file_id=batch_file.id)
    assert caught.value.param == "file_id"


def _line(custom_id: str, url: str, body: dict[str, Any]) -> bytes:
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": url, "body": body}).encode()


def test_batch_of_chat_and_embeddings_with_a_bad_line(client: OpenAI) -> None:
    chat = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Say hi."}],
        "max_tokens": 8,
    }
    lines = [
        _line("chat-1", "/v1/chat/completions", chat),
        _line("embed-1", "/v1/embeddings", {"model": "all-minilm-l6-v2", "input": ["a", "b"]}),
        _line("bad-1", "/v1/images/generations", {"prompt": "a cat"}),
        _line("chat-2", "/v1/chat/completions", chat),
    ]
    batch_input = client.files.create(file=("in.jsonl", b"\n".join(lines)), purpose="batch")
    batch = client.batches.create(
        input_file_id=batch_input.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    batch = _wait(lambda: client.batches.retrieve(batch.id), lambda b: b.status == "completed")
    assert batch.status == "completed"
    assert batch.request_counts is not None
    assert (batch.request_counts.completed, batch.request_counts.failed) == (3, 1)
    assert batch.output_file_id
    assert batch.error_file_id
    output = [json.loads(x) for x in client.files.content(batch.output_file_id).text.splitlines()]
    by_id = {row["custom_id"]: row for row in output}
    assert set(by_id) == {"chat-1", "chat-2", "embed-1"}
    assert len(by_id["embed-1"]["response"]["body"]["data"][0]["embedding"]) == 384
    errors = [json.loads(x) for x in client.files.content(batch.error_file_id).text.splitlines()]
    assert errors[0]["custom_id"] == "bad-1"
    assert errors[0]["error"]["code"] == "invalid_url"
    assert batch.id in {b.id for b in client.batches.list()}


def test_batch_cancel(client: OpenAI) -> None:
    chat = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Write a poem."}],
        "max_tokens": 24,
    }
    data = b"\n".join(_line(f"c{i}", "/v1/chat/completions", chat) for i in range(40))
    batch_input = client.files.create(file=("in.jsonl", data), purpose="batch")
    batch = client.batches.create(
        input_file_id=batch_input.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    _wait(lambda: client.batches.retrieve(batch.id), lambda b: b.request_counts.completed > 0)
    cancelled = client.batches.cancel(batch.id)
    assert cancelled.status in ("cancelling", "cancelled")
    final = _wait(lambda: client.batches.retrieve(batch.id), lambda b: b.status == "cancelled")
    assert final.status == "cancelled"
    assert final.request_counts is not None
    assert final.request_counts.completed < 40


def test_azure_v1_base_url(tandem_url: str) -> None:
    azure = OpenAI(base_url=f"{tandem_url}/openai/v1/", api_key="unused", max_retries=0)
    response = azure.responses.create(model="smollm2", input="Hi", max_output_tokens=8)
    assert response.output_text
    chat = azure.chat.completions.create(
        model="smollm2", messages=[{"role": "user", "content": "Hi"}], max_tokens=4
    )
    assert chat.choices[0].message.content is not None
    assert isinstance(azure.files.list().data, list)
