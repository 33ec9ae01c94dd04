"""Real peers: `tandem serve` on the embedded models, and llama-cpp-python's own server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tandem.backends.llamacpp import packaged_model_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A server process and where to reach it."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(
    cmd: list[str], url: str, ready_path: str, log: Path, env: dict[str, str]
) -> Server:
    handle = log.open("wb")
    process = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env)
    server = Server(process, url, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{cmd[2]} exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + ready_path, timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{cmd} not ready in time:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def tandem_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `tandem serve` process with the default deployments; its base URL."""
    data = tmp_path_factory.mktemp("tandem-data")
    port = free_port()
    env = {**os.environ, "TANDEM_DATA_DIR": str(data), "TANDEM_LOG_FORMAT": "json"}
    env.pop("TANDEM_CONFIG", None)
    server = start_server(
        [sys.executable, "-m", "tandem", "serve", "--port", str(port)],
        f"http://127.0.0.1:{port}",
        "/readyz",
        data / "server.log",
        env,
    )
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def llama_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on the same GGUF; its /v1 URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(packaged_model_path()),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
    ]
    server = start_server(cmd, f"http://127.0.0.1:{port}", "/v1/models", log, dict(os.environ))
    yield server.url + "/v1"
    server.stop()


MOCK_UPSTREAM = Path(__file__).resolve().parent.parent / "peers" / "mock_upstream.py"


@pytest.fixture(scope="session")
def mock_upstream_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fast canned OpenAI-compatible upstream; its /v1 URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("mock") / "mock.log"
    server = start_server(
        [sys.executable, str(MOCK_UPSTREAM), str(port)],
        f"http://127.0.0.1:{port}",
        "/v1/chat/completions",
        log,
        dict(os.environ),
    )
    yield f"{server.url}/v1"
    server.stop()


def serve_config(path: Path, data_dir: Path, upstream: str, **extra: str) -> Path:
    """A tandem.toml with one deployment `mock` on `upstream` and no built-in models."""
    lines = [
        "builtin_deployments = false",
        f'data_dir = "{data_dir}"',
        'log_level = "warning"',
        *(f'{key} = "{value}"' for key, value in extra.items()),
        "[[deployments]]",
        'name = "mock"',
        'backend = "openai"',
        f'options = {{ base_url = "{upstream}" }}',
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def start_tandem(config: Path, log: Path) -> Server:
    """`tandem serve --config` on a free port, once /readyz answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    return start_server(
        [sys.executable, "-m", "tandem", "serve", "--port", str(port), "--config", str(config)],
        f"http://127.0.0.1:{port}",
        "/readyz",
        log,
        env,
    )
