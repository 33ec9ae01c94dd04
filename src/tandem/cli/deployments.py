"""`tandem deployments list|add|remove`: manage a running server's deployments."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tandem.cli.http import AdminKeyOpt as KeyOpt
from tandem.cli.http import ServerOpt, checked, connect

app = typer.Typer(help="Manage the deployments of a running server.", no_args_is_help=True)


@app.command("list")
def list_deployments(server: ServerOpt = "http://127.0.0.1:8000", admin_key: KeyOpt = None) -> None:
    """Show every deployment, its backends and whether it is ready."""
    with connect(server, admin_key) as client:
        data = checked(client.get("/admin/deployments"))["data"]
    table = Table("name", "backends", "fallbacks", "source", "ready", "queue")
    for d in data:
        backends = ", ".join(f"{b['label']} (w={b['weight']:g})" for b in d["backends"])
        table.add_row(
            d["name"],
            backends,
            ", ".join(d["fallbacks"]) or "-",
            d["source"],
            "yes" if d["ready"] else "no",
            str(d["queue_depth"]),
        )
    Console().print(table)


@app.command("add")
def add_deployment(
    name: Annotated[str, typer.Argument(help="Deployment name clients send as `model`.")],
    backend: Annotated[
        str, typer.Option(help="llamacpp, openai, azure, minilm or a plugin's name.")
    ] = "openai",
    option: Annotated[
        list[str] | None, typer.Option("--option", "-o", help="Backend option KEY=VALUE.")
    ] = None,
    fallback: Annotated[list[str] | None, typer.Option(help="Fallback deployment.")] = None,
    spec: Annotated[
        str | None, typer.Option(help="The whole deployment as JSON (overrides the rest).")
    ] = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    admin_key: KeyOpt = None,
) -> None:
    """Add a deployment to a running server (kept across restarts)."""
    if spec is not None:
        try:
            body = json.loads(spec)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"not JSON: {exc}", param_hint="--spec") from exc
        if not isinstance(body, dict):
            raise typer.BadParameter("a JSON object", param_hint="--spec")
        body.setdefault("name", name)
    else:
        body = {
            "name": name,
            "backend": backend,
            "options": dict(_parse_option(o) for o in option or []),
            "fallbacks": fallback or [],
        }
    with connect(server, admin_key) as client:
        created = checked(client.post("/admin/deployments", json=body))
    Console().print(f"added [bold]{created['name']}[/] (ready: {created['ready']})")


@app.command("remove")
def remove_deployment(
    name: str, server: ServerOpt = "http://127.0.0.1:8000", admin_key: KeyOpt = None
) -> None:
    """Remove a deployment that was added at run time."""
    with connect(server, admin_key) as client:
        checked(client.delete(f"/admin/deployments/{name}"))
    Console().print(f"removed [bold]{name}[/]")


def _parse_option(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep:
        raise typer.BadParameter(f"--option takes KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value
