"""`create_app` on fake deployments, served by uvicorn in a thread over real HTTP on
loopback: for what an in-process transport cannot show (keep-alive, server logging)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tests.fakes import FakeBackend

ADMIN_KEY = "live-admin-key"
AUTH = {"authorization": f"Bearer {ADMIN_KEY}"}


def live_settings(data_dir: Path, database_url: str | None = None) -> Settings:
    """Fake chat and embedding deployments behind every product; a static admin key."""
    return Settings(
        data_dir=data_dir,
        **({"database_url": database_url} if database_url else {}),
        builtin_deployments=False,
        admin_key=ADMIN_KEY,
        support_deployment="fake",
        analyst_deployment="fake",
        embedding_deployment="fake-embed",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
        max_body_bytes=256 * 1024,
        max_upload_bytes=1024 * 1024,
    )


def live_app(settings: Settings) -> FastAPI:
    """The app; its platform starts with the server (lifespan), on the server's loop."""
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", FakeBackend)
    return create_app(settings, Platform.build(settings, registry))


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve `app` on a free loopback port until the block ends; its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    # log_config=None: uvicorn's loggers propagate, so tests see what the server logs.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
