"""An OpenAI-compatible upstream for real: llama-cpp-python's server, proxied by Tandem."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from openai import OpenAI

pytestmark = pytest.mark.integration

ASK = [{"role": "user", "content": "Name three colours."}]


@pytest.fixture(scope="module")
def proxied(tandem_url: str, llama_server_url: str) -> Iterator[str]:
    """A runtime deployment `upstream-smol` pointing at the llama.cpp server."""
    body = {
        "name": "upstream-smol",
        "backend": "openai",
        "options": {"base_url": llama_server_url, "model": "smol"},
    }
    created = httpx.post(f"{tandem_url}/admin/deployments", json=body, timeout=30)
    assert created.status_code == 201, created.text
    yield "upstream-smol"
    httpx.delete(f"{tandem_url}/admin/deployments/upstream-smol", timeout=30)


def test_whole_answer_matches_the_upstream(
    tandem_url: str, llama_server_url: str, proxied: str
) -> None:
    upstream = OpenAI(base_url=llama_server_url, api_key="x")

    def direct() -> str | None:
        reply = upstream.chat.completions.create(
            model="smol",
            messages=ASK,  # type: ignore[arg-type]
            max_tokens=20,
            temperature=0,
        )
        return reply.choices[0].message.content

    # The server reuses its cache for a prompt it has just seen, and a cached prompt decodes
    # with slightly different numerics than a fresh one: each compared answer follows a
    # request for the same prompt, so both are computed from the same state.
    direct()
    through = OpenAI(base_url=f"{tandem_url}/v1", api_key="x").chat.completions.create(
        model=proxied,
        messages=ASK,
        max_tokens=20,
        temperature=0,  # type: ignore[arg-type]
    )
    assert through.choices[0].message.content == direct()
    assert through.usage is not None
    assert through.usage.completion_tokens > 0


def test_stream_passes_through(tandem_url: str, llama_server_url: str, proxied: str) -> None:
    client = OpenAI(base_url=f"{tandem_url}/v1", api_key="x")
    whole = client.chat.completions.create(
        model=proxied,
        messages=ASK,
        max_tokens=20,
        temperature=0,  # type: ignore[arg-type]
    )
    chunks = list(
        client.chat.completions.create(
            model=proxied,
            messages=ASK,
            max_tokens=20,
            temperature=0,
            stream=True,  # type: ignore[arg-type]
        )
    )
    assert len(chunks) > 3
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content


def test_upstream_client_errors_come_back_as_client_errors(tandem_url: str, proxied: str) -> None:
    # Longer than the upstream's 2048-token context: the upstream answers 400.
    body = {"model": proxied, "messages": [{"role": "user", "content": "word " * 3000}]}
    response = httpx.post(f"{tandem_url}/v1/chat/completions", json=body, timeout=60)
    assert response.status_code == 400
    assert response.json()["error"]["message"]
