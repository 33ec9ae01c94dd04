"""`tandem serve`: start the HTTP server on the configured deployments."""

from __future__ import annotations

import errno
import ipaddress
import json
import logging
import os
import socket
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI
from rich.console import Console
from rich.table import Table
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from tandem import __version__
from tandem.app import create_app
from tandem.config import Settings, load_settings
from tandem.governance.audit import AuditLog
from tandem.governance.keys import KeySpec, KeyStore
from tandem.governance.principal import PLATFORM_TENANT
from tandem.logs import configure_logging
from tandem.store.engine import Database, database_url

WORKER_ENV = "TANDEM_SERVE_WORKER"


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
    config: Annotated[
        Path | None, typer.Option(help="A tandem.toml file (default: ./tandem.toml if present).")
    ] = None,
    log_format: Annotated[str | None, typer.Option(help="json or text.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes sharing the port, each a whole platform (N > 1 needs "
            "redis_url, which keeps rate limits exact across them).",
        ),
    ] = 1,
) -> None:
    """Serve the OpenAI- and Azure-compatible API (models load in the background)."""
    overrides = {"host": host, "port": port, "log_format": log_format}
    try:
        settings = load_settings(config, **overrides)
    except (FileNotFoundError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    configure_logging(settings.log_level, settings.log_format)
    log = logging.getLogger("tandem.serve")
    if workers > 1 and not settings.redis_url:
        # Without a shared counter each worker would admit the whole RPM/TPM limit itself.
        log.error(
            "--workers %d needs redis_url (TANDEM_REDIS_URL or redis_url in tandem.toml) so "
            "rate limits stay exact across workers; set it, or serve with --workers 1",
            workers,
        )
        raise typer.Exit(2)
    sock = _bind(settings.host, settings.port)
    _banner(settings, workers)
    _bootstrap_admin_key(settings)
    if workers == 1:
        server = uvicorn.Server(_server_config(create_app(settings), settings))
        server.run(sockets=[sock])
        if not server.started:
            raise typer.Exit(STARTUP_FAILURE)
        return
    # Migrate once here, so the workers do not all race to apply the same migrations.
    _upgrade(settings)
    os.environ[WORKER_ENV] = json.dumps({"config": str(config) if config else None, **overrides})
    # Each worker is spawned afresh, builds its own platform through `worker_app` and
    # accepts on the socket bound here; uvicorn replaces a worker that dies.
    supervisor = Multiprocess(_server_config(f"{__name__}:worker_app", settings, workers), [sock])
    supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        raise typer.Exit(STARTUP_FAILURE)


def _server_config(app: FastAPI | str, settings: Settings, workers: int = 1) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        factory=isinstance(app, str),
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_config=None,
        timeout_graceful_shutdown=10,
        # A worker answers the supervisor from a thread of its own once spawned; importing
        # the platform before that takes longer than uvicorn's 5 s on a busy machine.
        timeout_worker_healthcheck=60,
    )


def worker_app() -> FastAPI:
    """The application of one `--workers` process, from the settings `serve` was given."""
    given = json.loads(os.environ[WORKER_ENV])
    config = given.pop("config")
    settings = load_settings(Path(config) if config else None, **given)
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything loads: a taken address is one line and
    exit status 1, in either log format."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        log = logging.getLogger("tandem.serve")
        if exc.errno == errno.EADDRINUSE:
            log.error(
                "%s:%d: address already in use; stop the other server or choose --port",
                host,
                port,
            )
        else:
            log.error("%s:%d: %s; choose --host or --port", host, port, exc.strerror or exc)
        raise typer.Exit(1) from exc
    sock.set_inheritable(True)
    return sock


def _upgrade(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url(settings.database_url, settings.data_dir))
    try:
        db.upgrade()
    finally:
        db.dispose()


def _banner(settings: Settings, workers: int = 1) -> None:
    console = Console(stderr=True)
    table = Table(title=f"Tandem {__version__}", show_header=True, header_style="bold")
    table.add_column("deployment")
    table.add_column("backends")
    for deployment in settings.all_deployments():
        table.add_row(deployment.name, ", ".join(t.backend for t in deployment.targets))
    console.print(table)
    base = f"http://{settings.host}:{settings.port}"
    console.print(
        f"OpenAI API: [bold]{base}/v1[/]   Azure API: [bold]{base}/openai[/]   "
        f"ready: {base}/readyz   data: {settings.data_dir}"
        + (f"   workers: {workers}" if workers > 1 else "")
    )
    console.print("[dim]Models load in the background; /readyz answers 200 once they have.[/]")


def _bootstrap_admin_key(settings: Settings) -> None:
    """Serving beyond loopback with no key at all: make a platform admin key, show it once."""
    if settings.auth == "off" or settings.admin_key is not None or _is_loopback(settings.host):
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url(settings.database_url, settings.data_dir))
    db.upgrade()
    keys = KeyStore(db)
    if keys.count_active() > 0:
        return
    issued = keys.create(KeySpec(tenant=PLATFORM_TENANT, name="bootstrap", scope="platform"))
    AuditLog(db).append(
        tenant=PLATFORM_TENANT,
        actor="serve",
        action="key.create",
        target=issued.id,
        details={"scope": "platform", "name": "bootstrap"},
    )
    db.dispose()
    console = Console(stderr=True)
    console.print("[bold yellow]No API keys exist and the server is reachable beyond loopback.")
    console.print("A platform admin key was created. It is shown this once and stored hashed:")
    console.print(f"[bold]{issued.secret}[/]")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
