"""POST /v1/responses on the fake backend: shapes, streaming events, chains, tools, errors."""

from __future__ import annotations

import httpx
import pytest

from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script
from tests.responses.conftest import poll, sse_events

EVENTS = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


async def test_whole_response_is_stored(client: httpx.AsyncClient, platform: Platform) -> None:
    reply = await client.post("/v1/responses", json={"model": "fake", "input": "Hi there"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["object"] == "response"
    assert body["status"] == "completed"
    assert body["id"].startswith("resp_")
    [message] = body["output"]
    assert message["type"] == "message"
    assert message["role"] == "assistant"
    assert message["content"][0] == {
        "type": "output_text",
        "text": "hello",
        "annotations": [],
        "logprobs": [],
    }
    assert body["usage"]["input_tokens"] == 3
    assert body["usage"]["total_tokens"] == 4
    again = await client.get(f"/v1/responses/{body['id']}")
    assert again.json() == body
    items = (await client.get(f"/v1/responses/{body['id']}/input_items")).json()
    assert items["data"][0]["content"] == [{"type": "input_text", "text": "Hi there"}]
    deleted = await client.delete(f"/v1/responses/{body['id']}")
    assert deleted.json() == {"id": body["id"], "object": "response", "deleted": True}
    assert (await client.get(f"/v1/responses/{body['id']}")).status_code == 404


async def test_stream_sends_the_exact_event_sequence(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    fake_of(platform).enqueue(Script(text="Bonjour Paris"))
    reply = await client.post(
        "/v1/responses", json={"model": "fake", "input": "Hi", "stream": True}
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/event-stream")
    events = sse_events(reply.content)
    assert [e["type"] for e in events] == EVENTS
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    deltas = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert "".join(deltas) == "Bonjour Paris"
    final = events[-1]["response"]
    assert final["status"] == "completed"
    assert final["output"][0]["content"][0]["text"] == "Bonjour Paris"
    assert final["usage"]["output_tokens"] == 2
    stored = (await client.get(f"/v1/responses/{final['id']}")).json()
    assert stored["output"] == final["output"]


async def test_previous_response_id_continues_the_chain(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    first = (
        await client.post(
            "/v1/responses",
            json={"model": "fake", "input": "My name is Ada.", "instructions": "Be brief."},
        )
    ).json()
    second = await client.post(
        "/v1/responses",
        json={"model": "fake", "input": "What is my name?", "previous_response_id": first["id"]},
    )
    assert second.status_code == 200, second.text
    request = fake_of(platform).history[-1][1]
    roles = [(m.role, m.text()) for m in request.messages]
    # Instructions belong to the response that had them; the turns carry over.
    assert roles == [
        ("user", "My name is Ada."),
        ("assistant", "hello"),
        ("user", "What is my name?"),
    ]
    assert second.json()["previous_response_id"] == first["id"]
    items = await client.get(f"/v1/responses/{second.json()['id']}/input_items?order=asc")
    assert [i.get("role") for i in items.json()["data"]] == ["user", "assistant", "user"]


async def test_unstored_responses_cannot_be_continued(client: httpx.AsyncClient) -> None:
    body = (
        await client.post("/v1/responses", json={"model": "fake", "input": "hi", "store": False})
    ).json()
    assert (await client.get(f"/v1/responses/{body['id']}")).status_code == 404
    reply = await client.post(
        "/v1/responses",
        json={"model": "fake", "input": "again", "previous_response_id": body["id"]},
    )
    assert reply.status_code == 404
    assert reply.json()["error"]["param"] == "previous_response_id"


async def test_json_schema_and_sampling_reach_the_model(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    reply = await client.post(
        "/v1/responses",
        json={
            "model": "fake",
            "input": "Where?",
            "temperature": 0.3,
            "top_p": 0.9,
            "max_output_tokens": 20,
            "text": {
                "format": {"type": "json_schema", "name": "place", "schema": schema, "strict": True}
            },
        },
    )
    assert reply.status_code == 200, reply.text
    request = fake_of(platform).history[-1][1]
    assert request.response_format.type == "json_schema"
    assert request.response_format.json_schema.schema_ == schema
    assert (request.temperature, request.top_p, request.token_limit) == (0.3, 0.9, 20)
    assert reply.json()["text"]["format"]["name"] == "place"


async def test_function_tool_round_trip(client: httpx.AsyncClient, platform: Platform) -> None:
    tool = {
        "type": "function",
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    first = await client.post(
        "/v1/responses",
        json={
            "model": "fake",
            "input": "Weather in Paris?",
            "tools": [tool],
            "tool_choice": {"type": "function", "name": "get_weather"},
        },
    )
    assert first.status_code == 200, first.text
    [call] = first.json()["output"]
    assert call["type"] == "function_call"
    assert call["name"] == "get_weather"
    assert call["arguments"] == '{"city": "Paris"}'
    assert call["call_id"] == "call_fake1"
    output = {"type": "function_call_output", "call_id": call["call_id"], "output": "21C, sunny"}
    second = await client.post(
        "/v1/responses",
        json={
            "model": "fake",
            "input": [output],
            "tools": [tool],
            "previous_response_id": first.json()["id"],
        },
    )
    assert second.status_code == 200, second.text
    assert second.json()["output"][0]["content"][0]["text"] == "hello"
    request = fake_of(platform).history[-1][1]
    assert [m.role for m in request.messages] == ["user", "assistant", "tool"]
    assert request.messages[1].tool_calls[0].function.name == "get_weather"
    assert request.messages[2].tool_call_id == "call_fake1"


async def test_streamed_function_call_events(client: httpx.AsyncClient) -> None:
    tool = {"type": "function", "name": "lookup", "parameters": {"type": "object"}}
    reply = await client.post(
        "/v1/responses",
        json={
            "model": "fake",
            "input": "x",
            "tools": [tool],
            "tool_choice": "required",
            "stream": True,
        },
    )
    events = sse_events(reply.content)
    assert [e["type"] for e in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert events[4]["arguments"] == '{"city": "Paris"}'
    assert events[-1]["response"]["output"][0]["call_id"] == "call_fake1"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"input": [{"type": "telepathy", "text": "x"}]}, "input[0].type"),
        ({"input": [{"role": "user", "content": "a"}, {"foo": 1}]}, "input[1].type"),
        (
            {"input": [{"role": "user", "content": [{"type": "input_txt", "text": "a"}]}]},
            "input[0].content[0].type",
        ),
        ({"input": "x", "tools": [{"type": "web_search"}]}, "tools[0].type"),
        ({"input": "x", "tool_choice": {"type": "function", "name": "nope"}}, "tool_choice.name"),
        (
            {
                "input": "x",
                "tools": [{"type": "function", "name": "a"}],
                "tool_choice": {"type": "function", "name": "b"},
            },
            "tool_choice.name",
        ),
        ({"input": "x", "reasoning": {"effort": "low"}}, "reasoning"),
        ({"input": "x", "background": True, "store": False}, "store"),
        ({"input": ""}, "input"),
        ({"input": "x", "include": ["message.output_text.logprobs"]}, "include"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, object], param: str
) -> None:
    reply = await client.post("/v1/responses", json={"model": "fake", **body})
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["param"] == param, reply.json()


async def test_unknown_model_is_a_404(client: httpx.AsyncClient) -> None:
    reply = await client.post("/v1/responses", json={"model": "nope", "input": "x"})
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "model_not_found"


async def test_background_response_and_cancel(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    fake_of(platform).enqueue(Script(text="late", delay_s=0.3), Script(text="x", delay_s=5))
    body = (
        await client.post("/v1/responses", json={"model": "fake", "input": "a", "background": True})
    ).json()
    assert body["status"] == "queued"
    assert body["background"] is True
    done = await poll(client, f"/v1/responses/{body['id']}", lambda b: b["status"] == "completed")
    assert done["output"][0]["content"][0]["text"] == "late"
    slow = (
        await client.post("/v1/responses", json={"model": "fake", "input": "b", "background": True})
    ).json()
    cancelled = await client.post(f"/v1/responses/{slow['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert (await client.get(f"/v1/responses/{slow['id']}")).json()["status"] == "cancelled"
    plain = (await client.post("/v1/responses", json={"model": "fake", "input": "c"})).json()
    refused = await client.post(f"/v1/responses/{plain['id']}/cancel")
    assert refused.status_code == 400


async def test_conversations_carry_turns(client: httpx.AsyncClient, platform: Platform) -> None:
    conv = (
        await client.post(
            "/v1/conversations",
            json={"items": [{"role": "user", "content": "My favourite colour is green."}]},
        )
    ).json()
    assert conv["object"] == "conversation"
    reply = await client.post(
        "/v1/responses",
        json={"model": "fake", "input": "Which colour do I prefer?", "conversation": conv["id"]},
    )
    assert reply.status_code == 200, reply.text
    request = fake_of(platform).history[-1][1]
    assert [m.text() for m in request.messages] == [
        "My favourite colour is green.",
        "Which colour do I prefer?",
    ]
    items = (await client.get(f"/v1/conversations/{conv['id']}/items?order=asc")).json()["data"]
    assert [i.get("role") for i in items] == ["user", "user", "assistant"]
    bad = await client.post(
        f"/v1/conversations/{conv['id']}/items", json={"items": [{"type": "x"}]}
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == "items[0].type"


async def test_azure_v1_path(client: httpx.AsyncClient) -> None:
    reply = await client.post("/openai/v1/responses", json={"model": "fake", "input": "hi"})
    assert reply.status_code == 200, reply.text
    chat = await client.post(
        "/openai/v1/chat/completions",
        json={"model": "fake", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert chat.status_code == 200
    missing = await client.get("/openai/v1/responses/resp_nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NotFound"  # Azure's shape
