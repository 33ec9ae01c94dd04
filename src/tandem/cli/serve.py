"""`tandem serve`: start the HTTP server on the configured deployments."""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from tandem import __version__
from tandem.app import create_app
from tandem.config import Settings, load_settings
from tandem.governance.audit import AuditLog
from tandem.governance.keys import KeySpec, KeyStore
from tandem.governance.principal import PLATFORM_TENANT
from tandem.logs import configure_logging
from tandem.store.engine import Database, database_url


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
    config: Annotated[
        Path | None, typer.Option(help="A tandem.toml file (default: ./tandem.toml if present).")
    ] = None,
    log_format: Annotated[str | None, typer.Option(help="json or text.")] = None,
) -> None:
    """Serve the OpenAI- and Azure-compatible API (models load in the background)."""
    try:
        settings = load_settings(config, host=host, port=port, log_format=log_format)
    except (FileNotFoundError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    configure_logging(settings.log_level, settings.log_format)
    _check_port(settings.host, settings.port)
    _banner(settings)
    _bootstrap_admin_key(settings)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=10,
    )


def _check_port(host: str, port: int) -> None:
    """Fail before loading anything when the address is taken (one line, exit status 1)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                return  # let uvicorn report anything else in its own words
            logging.getLogger("tandem.serve").error(
                "%s:%d: address already in use; stop the other server or choose --port", host, port
            )
            raise typer.Exit(1) from exc


def _banner(settings: Settings) -> None:
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
