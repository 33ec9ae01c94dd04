"""The official AzureOpenAI client against `tandem serve`: only endpoint and key change."""

from __future__ import annotations

import numpy as np
import openai
import pytest
from openai import AzureOpenAI

pytestmark = pytest.mark.integration

USER = [{"role": "user", "content": "Say hello."}]


@pytest.fixture(scope="module", params=["api-key", "bearer"])
def client(request: pytest.FixtureRequest, tandem_url: str) -> AzureOpenAI:
    if request.param == "api-key":
        return AzureOpenAI(
            azure_endpoint=tandem_url, api_key="any", api_version="2024-10-21", max_retries=0
        )
    return AzureOpenAI(
        azure_endpoint=tandem_url,
        azure_ad_token="any-token",
        api_version="2024-10-21",
        max_retries=0,
    )


def test_chat(client: AzureOpenAI) -> None:
    reply = client.chat.completions.create(
        model="smollm2",
        messages=USER,
        max_tokens=12,
        temperature=0,  # type: ignore[arg-type]
    )
    assert reply.choices[0].message.content
    assert reply.usage is not None
    assert reply.usage.total_tokens > 0


def test_stream(client: AzureOpenAI) -> None:
    chunks = list(
        client.chat.completions.create(
            model="smollm2",
            messages=USER,  # type: ignore[arg-type]
            max_tokens=12,
            # Greedy: a sampled reply may end at its first token, and the test is about streaming.
            temperature=0,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].usage is not None


def test_completions(client: AzureOpenAI) -> None:
    reply = client.completions.create(model="smollm2", prompt="The sky is", max_tokens=5)
    assert reply.choices[0].text


def test_embeddings(client: AzureOpenAI) -> None:
    reply = client.embeddings.create(model="all-minilm-l6-v2", input=["a", "b"])
    assert np.array([d.embedding for d in reply.data]).shape == (2, 384)


def test_unknown_deployment(client: AzureOpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="missing", messages=USER)  # type: ignore[arg-type]
    assert caught.value.code == "DeploymentNotFound"  # type: ignore[attr-defined]


def test_bad_parameter(client: AzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="smollm2", messages=USER, temperature=5)  # type: ignore[arg-type]


def test_content_filter_error(client: AzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="smollm2",
            messages=[{"role": "user", "content": "Immigrants are vermin and should be wiped out"}],
        )
    assert caught.value.code == "content_filter"
    body = caught.value.body
    assert isinstance(body, dict)
    assert body["innererror"]["code"] == "ResponsibleAIPolicyViolation"
