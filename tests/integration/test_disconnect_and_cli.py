"""A client that hangs up frees the model at once; the CLI manages a live server."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.integration


def _queue_depth(url: str) -> int:
    deployment = httpx.get(f"{url}/admin/deployments/smollm2", timeout=10).json()
    return int(deployment["queue_depth"])


def test_disconnect_cancels_generation(tandem_url: str) -> None:
    body = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Write a very long essay about the sea."}],
        "max_tokens": 3000,
        "stream": True,
    }
    with (
        httpx.Client(timeout=60) as client,
        client.stream("POST", f"{tandem_url}/v1/chat/completions", json=body) as response,
    ):
        lines = response.iter_lines()
        received = [next(lines) for _ in range(6)]
        assert any(line.startswith("data: ") for line in received)
        assert _queue_depth(tandem_url) == 1
    # The connection is closed; the model must be released long before 3000 tokens.
    deadline = time.monotonic() + 10
    while _queue_depth(tandem_url) != 0:
        assert time.monotonic() < deadline, "generation kept running after the client left"
        time.sleep(0.05)
    metrics = httpx.get(f"{tandem_url}/metrics", timeout=10).text
    assert 'deployment="smollm2",operation="chat",status="cancelled"' in metrics


def test_disconnect_cancels_a_whole_request_too(tandem_url: str) -> None:
    # Counting goes on until max_tokens: about 30 s of work if nothing stops it.
    body = {"model": "smollm2", "prompt": "1, 2, 3, 4, 5, 6,", "max_tokens": 3000}
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{tandem_url}/v1/completions", json=body, timeout=1.0)
    deadline = time.monotonic() + 10
    while _queue_depth(tandem_url) != 0:
        assert time.monotonic() < deadline, "generation kept running after the client left"
        time.sleep(0.05)


def _cli(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tandem", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cli_deployments_add_list_remove(tandem_url: str) -> None:
    server = ["--server", tandem_url]
    added = _cli(
        "deployments",
        "add",
        "cli-alias",
        "--backend",
        "llamacpp",
        "-o",
        "n_ctx=512",
        "--fallback",
        "smollm2",
        *server,
    )
    assert "cli-alias" in added
    listing = _cli("deployments", "list", *server)
    assert "cli-alias" in listing
    assert "smollm2" in listing
    reply = httpx.post(
        f"{tandem_url}/v1/chat/completions",
        json={
            "model": "cli-alias",
            "messages": [{"role": "user", "content": "hi"}],
            "max_tokens": 4,
        },
        timeout=60,
    )
    assert reply.status_code == 200
    _cli("deployments", "remove", "cli-alias", *server)
    assert "cli-alias" not in _cli("deployments", "list", *server)
