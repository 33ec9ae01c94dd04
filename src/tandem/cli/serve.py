"""`tandem serve`: start the HTTP server on the configured deployments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from tandem import __version__
from tandem.app import create_app
from tandem.config import Settings, load_settings
from tandem.logs import configure_logging


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
    _banner(settings)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=10,
    )


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
