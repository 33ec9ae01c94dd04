"""`tandem kb create|list|show|ingest|search|delete`: knowledge bases from the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tandem.cli.http import KeyOpt, ServerOpt, checked, connect, fail
from tandem.cli.ids import WideOpt, id_column, pick, shorten
from tandem.knowledge.extract import SUFFIXES

kb_app = typer.Typer(help="Knowledge bases for the support assistant.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)
KbArg = Annotated[str, typer.Argument(help="Knowledge base name, id, or a unique start of its id.")]
BATCH_FILES = 16
BATCH_BYTES = 16 * 1024 * 1024
KB_ID_LENGTH = len("kb_") + 16
STATUS_STYLE = {"added": "green", "replaced": "yellow", "unchanged": "dim", "failed": "red"}


def documents_in(paths: list[Path]) -> list[Path]:
    """The files named, and the supported files under the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise typer.BadParameter(f"no such file or folder: {path}")
    return found


def batches(files: list[Path]) -> list[list[Path]]:
    """Files grouped into uploads of at most 16 files or 16 MiB."""
    groups: list[list[Path]] = [[]]
    size = 0
    for path in files:
        length = path.stat().st_size
        if groups[-1] and (len(groups[-1]) >= BATCH_FILES or size + length > BATCH_BYTES):
            groups.append([])
            size = 0
        groups[-1].append(path)
        size += length
    return [g for g in groups if g]


def resolve(client: httpx.Client, kb: str, create: bool = False) -> str:
    """A knowledge base id from its id, a unique start of it, or its name (created when
    asked and missing)."""
    if kb.startswith("kb_") and len(kb) >= KB_ID_LENGTH:
        return kb
    listed = checked(client.get("/v1/knowledge-bases"))["data"]
    match = [k["id"] for k in listed if k["name"] == kb]
    if match:
        return str(match[0])
    found = pick(kb, [k["id"] for k in listed], "knowledge base")
    if found is not None:
        return found
    if not create:
        fail(f"no knowledge base named '{kb}' or with an id starting so (use --create to make it)")
    return str(checked(client.post("/v1/knowledge-bases", json={"name": kb}))["id"])


@kb_app.command("create")
def create(name: str, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None) -> None:
    """A new, empty knowledge base."""
    with connect(server, api_key) as client:
        kb = checked(client.post("/v1/knowledge-bases", json={"name": name}))
    console.print(f"knowledge base [bold]{kb['id']}[/] ({kb['name']})")


@kb_app.command("list")
def list_all(
    wide: WideOpt = False, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None
) -> None:
    """Your knowledge bases (ids shortened unless --wide; a unique start of one, or the
    name, names the knowledge base to the other commands)."""
    with connect(server, api_key) as client:
        data = checked(client.get("/v1/knowledge-bases"))["data"]
    ids = shorten([kb["id"] for kb in data], wide)
    grid = Table(id_column(ids.values()), "name")
    for kb in data:
        grid.add_row(ids[kb["id"]], kb["name"])
    console.print(grid)


@kb_app.command("show")
def show(
    kb: KbArg,
    wide: WideOpt = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """A knowledge base's documents."""
    with connect(server, api_key) as client:
        data = checked(client.get(f"/v1/knowledge-bases/{resolve(client, kb)}"))
    ids = shorten([d["id"] for d in data["documents"]], wide)
    grid = Table(
        "document",
        id_column(ids.values()),
        "chunks",
        "added",
        title=f"{data['name']} ({data['id']})",
    )
    for d in data["documents"]:
        grid.add_row(d["name"], ids[d["id"]], str(d["chunks"]), d["created_at"])
    console.print(grid)


@kb_app.command("ingest")
def ingest(
    kb: KbArg,
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (searched recursively).")],
    create: Annotated[bool, typer.Option(help="Create the knowledge base if missing.")] = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Add documents; unchanged files are skipped, changed ones replaced, broken ones reported."""
    files = documents_in(paths)
    if not files:
        raise typer.BadParameter(f"no {', '.join(sorted(SUFFIXES))} files found")
    results: list[dict[str, Any]] = []
    with connect(server, api_key) as client:
        kb_id = resolve(client, kb, create)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=errors) as bar:
            task = bar.add_task("ingesting", total=len(files))
            for group in batches(files):
                bar.update(task, description=f"ingesting {group[0].name}")
                parts = [("files", (p.name, p.read_bytes())) for p in group]
                url = f"/v1/knowledge-bases/{kb_id}/documents"
                results += checked(client.post(url, files=parts))["data"]
                bar.advance(task, len(group))
    grid = Table("file", "status", "chunks", "note")
    for r in results:
        style = STATUS_STYLE.get(r["status"], "")
        grid.add_row(r["name"], f"[{style}]{r['status']}[/]", str(r["chunks"]), r["error"] or "")
    console.print(grid)
    counts = {s: sum(r["status"] == s for r in results) for s in STATUS_STYLE}
    console.print(", ".join(f"{n} {s}" for s, n in counts.items() if n) + f" into {kb_id}")
    if counts["failed"]:
        raise typer.Exit(1)


@kb_app.command("search")
def search(
    kb: KbArg,
    query: str,
    top_k: Annotated[int, typer.Option(min=1, max=50)] = 5,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """The passages that best match a question."""
    with connect(server, api_key) as client:
        body = {"query": query, "top_k": top_k}
        hits = checked(client.post(f"/v1/knowledge-bases/{resolve(client, kb)}/search", json=body))
    grid = Table("document", "section", "score", "passage")
    for h in hits["data"]:
        grid.add_row(h["document"], h["title"], f"{h['score']:.4f}", h["chunk"][:160])
    console.print(grid)


@kb_app.command("delete")
def delete(kb: KbArg, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None) -> None:
    """Delete a knowledge base and its documents."""
    with connect(server, api_key) as client:
        kb_id = resolve(client, kb)
        checked(client.delete(f"/v1/knowledge-bases/{kb_id}"))
    console.print(f"deleted {kb_id}")
