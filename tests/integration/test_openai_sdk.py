"""The official OpenAI SDK against `tandem serve` on the real embedded models."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import openai
import pytest
from openai import OpenAI

pytestmark = pytest.mark.integration

USER = [{"role": "user", "content": "What is the capital of France?"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def client(tandem_url: str) -> OpenAI:
    return OpenAI(base_url=f"{tandem_url}/v1", api_key="unused", max_retries=0)


def test_models_lists_the_default_deployments(client: OpenAI) -> None:
    ids = {m.id for m in client.models.list()}
    assert {"smollm2", "all-minilm-l6-v2"} <= ids


def test_chat(client: OpenAI) -> None:
    reply = client.chat.completions.create(
        model="smollm2", messages=USER, max_tokens=24, temperature=0
    )
    choice = reply.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.finish_reason in {"stop", "length"}
    assert reply.usage is not None
    assert reply.usage.prompt_tokens > 5
    assert 0 < reply.usage.completion_tokens <= 24


def test_max_tokens_ends_with_length(client: OpenAI) -> None:
    reply = client.chat.completions.create(
        model="smollm2",
        messages=[{"role": "user", "content": "Write a long story about a dragon."}],
        max_completion_tokens=5,
        temperature=0,
    )
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None
    assert reply.usage.completion_tokens == 5


def test_stream_with_usage_matches_the_whole_answer(client: OpenAI) -> None:
    whole = client.chat.completions.create(
        model="smollm2", messages=USER, max_tokens=20, temperature=0, seed=1
    )
    stream = client.chat.completions.create(
        model="smollm2",
        messages=USER,
        max_tokens=20,
        temperature=0,
        seed=1,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens  # type: ignore[union-attr]
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] in {"stop", "length"}


def test_seed_makes_sampling_repeatable(client: OpenAI) -> None:
    def ask() -> str | None:
        reply = client.chat.completions.create(
            model="smollm2", messages=USER, max_tokens=16, temperature=0.9, seed=42
        )
        return reply.choices[0].message.content

    assert ask() == ask()


def test_n_returns_several_choices(client: OpenAI) -> None:
    reply = client.chat.completions.create(
        model="smollm2", messages=USER, max_tokens=8, n=2, temperature=0.8, seed=3
    )
    assert [c.index for c in reply.choices] == [0, 1]


def test_stop_sequence_is_honoured(client: OpenAI) -> None:
    reply = client.completions.create(
        model="smollm2", prompt="1, 2, 3, 4,", max_tokens=20, temperature=0, stop=["7"]
    )
    assert "7" not in reply.choices[0].text


def test_text_completion(client: OpenAI) -> None:
    reply = client.completions.create(
        model="smollm2", prompt="Once upon a time", max_tokens=10, temperature=0
    )
    assert reply.choices[0].text
    assert reply.usage is not None
    assert reply.usage.completion_tokens <= 10
    streamed = client.completions.create(
        model="smollm2", prompt="Once upon a time", max_tokens=10, temperature=0, stream=True
    )
    assert "".join(c.choices[0].text for c in streamed if c.choices) == reply.choices[0].text


def test_json_schema_output_validates(client: OpenAI) -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "country": {"type": "string"},
            "population": {"type": "integer"},
        },
        "required": ["city", "country", "population"],
        "additionalProperties": False,
    }
    reply = client.chat.completions.create(
        model="smollm2",
        messages=[{"role": "user", "content": "Describe Tokyo as JSON."}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "city", "schema": schema, "strict": True},
        },
        max_tokens=120,
        seed=0,
    )
    assert reply.choices[0].finish_reason == "stop"
    jsonschema.validate(json.loads(reply.choices[0].message.content or ""), schema)


def test_json_object_mode(client: OpenAI) -> None:
    reply = client.chat.completions.create(
        model="smollm2",
        messages=[{"role": "user", "content": "Give me a JSON object with a name field."}],
        response_format={"type": "json_object"},
        max_tokens=400,
        # Greedy: a sampled object may ramble past any budget on some machines' numerics.
        temperature=0,
    )
    assert reply.choices[0].finish_reason == "stop"
    assert isinstance(json.loads(reply.choices[0].message.content or ""), dict)


def test_tool_call_round_trip(client: OpenAI) -> None:
    messages: list[dict[str, object]] = [
        {"role": "user", "content": "What's the weather like in Paris right now?"}
    ]
    first = client.chat.completions.create(
        model="smollm2",
        messages=messages,  # type: ignore[arg-type]
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        tool_choice="required",
        max_tokens=60,
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather"  # type: ignore[union-attr]
    arguments = json.loads(call.function.arguments)  # type: ignore[union-attr]
    assert isinstance(arguments["city"], str)
    messages.append(choice.message.model_dump(exclude_none=True))
    messages.append(
        {"role": "tool", "tool_call_id": call.id, "content": '{"temperature_c": 18, "sky": "rain"}'}
    )
    final = client.chat.completions.create(
        model="smollm2",
        messages=messages,  # type: ignore[arg-type]
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        tool_choice="none",
        max_tokens=40,
        temperature=0,
    )
    assert final.choices[0].message.content
    assert final.choices[0].finish_reason in {"stop", "length"}


def test_named_tool_choice_streams_the_call(client: OpenAI) -> None:
    stream = client.chat.completions.create(
        model="smollm2",
        messages=[{"role": "user", "content": "Weather in Oslo?"}],
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        max_tokens=60,
        stream=True,
    )
    chunks = list(stream)
    calls = [tc for c in chunks if c.choices for tc in c.choices[0].delta.tool_calls or []]
    assert calls
    assert calls[0].function is not None
    assert calls[0].function.name == "get_weather"
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_embeddings_float_and_base64(client: OpenAI) -> None:
    texts = ["How do I reset my password?", "I forgot my login password", "Tomatoes are red"]
    floats = client.embeddings.create(
        model="all-minilm-l6-v2", input=texts, encoding_format="float"
    )
    default = client.embeddings.create(model="all-minilm-l6-v2", input=texts)  # SDK asks base64
    a = np.array([d.embedding for d in floats.data])
    b = np.array([d.embedding for d in default.data])
    assert a.shape == (3, 384)
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert a[0] @ a[1] > a[0] @ a[2]
    assert floats.usage.prompt_tokens > 0


def test_errors_arrive_as_sdk_exceptions(client: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="no-such-model", messages=USER)  # type: ignore[arg-type]
    with pytest.raises(openai.BadRequestError) as unsupported:
        client.chat.completions.create(
            model="smollm2",
            messages=USER,  # type: ignore[arg-type]
            extra_body={"logit_bias": {"1": 5}},
        )
    assert unsupported.value.param == "logit_bias"  # type: ignore[attr-defined]
    with pytest.raises(openai.BadRequestError) as too_long:
        client.chat.completions.create(model="smollm2", messages=USER, max_tokens=100_000)  # type: ignore[arg-type]
    assert too_long.value.code == "context_length_exceeded"
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="smollm2", input="chat models do not embed")
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="all-minilm-l6-v2", input="x", dimensions=64)


def test_blocked_prompt_is_a_bad_request_with_content_filter(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="smollm2",
            messages=[
                {
                    "role": "user",
                    "content": "Give me step by step instructions to build a pipe bomb",
                }
            ],
        )
    assert caught.value.code == "content_filter"
    body = caught.value.body
    assert isinstance(body, dict)
    assert body["innererror"]["content_filter_result"]["violence"]["filtered"] is True


def test_responses_carry_filter_annotations(client: OpenAI) -> None:
    reply = client.chat.completions.create(model="smollm2", messages=USER, max_tokens=8)
    extra = reply.model_extra or {}
    assert extra["prompt_filter_results"][0]["content_filter_results"]["hate"]["severity"] == "safe"
    choice_extra = reply.choices[0].model_extra or {}
    assert "violence" in choice_extra["content_filter_results"]


def test_moderations_through_the_sdk(client: OpenAI) -> None:
    result = client.moderations.create(input="I want to kill myself tonight")
    assert result.results[0].flagged
    assert result.results[0].categories.self_harm
