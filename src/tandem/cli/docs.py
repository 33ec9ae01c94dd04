"""`tandem docs summarize|slides|insights|formula|rewrite|draft`: the productivity assistant
from the terminal, through a running server (so every call passes the same keys, quotas,
safety and ledger as the API)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

from tandem.cli.http import KeyOpt, ServerOpt, checked, connect

docs_app = typer.Typer(
    help="Documents, decks and workbooks: summarise, build slides, find "
    "insights, write formulas, rewrite, draft.",
    no_args_is_help=True,
)
console = Console()

MethodOpt = Annotated[str, typer.Option(help="auto, model or extractive.")]
SERVER = "http://127.0.0.1:8000"


def _file(path: Path) -> tuple[str, bytes]:
    if not path.is_file():
        raise typer.BadParameter(f"not a file: {path}")
    return path.name, path.read_bytes()


def _save(response: httpx.Response, out: Path) -> None:
    if response.status_code >= 400:
        checked(response)  # prints the error and exits 1
    out.write_bytes(response.content)
    console.print(f"wrote [bold]{out}[/] ({len(response.content):,} bytes)")


@docs_app.command("summarize")
def summarize(
    file: Annotated[Path, typer.Argument(help=".docx .pdf .pptx .md .txt or .html")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write a .docx.")] = None,
    length: Annotated[str, typer.Option(help="short, medium or long.")] = "medium",
    method: MethodOpt = "auto",
    server: ServerOpt = SERVER,
    api_key: KeyOpt = None,
) -> None:
    """Summarise a document: summary, key points, one line per section."""
    fields = {"length": length, "method": method}
    with connect(server, api_key) as client:
        if output is not None:
            response = client.post(
                "/v1/productivity/summarize",
                params={"format": "docx"},
                files={"file": _file(file)},
                data=fields,
            )
            _save(response, output)
            return
        body = checked(
            client.post("/v1/productivity/summarize", files={"file": _file(file)}, data=fields)
        )
    console.print(f"[bold]{body['title']}[/]  [dim](method: {body['method']})[/]\n")
    console.print(body["summary"] + "\n")
    for point in body["key_points"]:
        console.print(f"• {point}")
    for section in body["sections"]:
        if section["summary"]:
            console.print(f"\n[bold]{section['heading']}[/]: {section['summary']}")


@docs_app.command("slides")
def slides(
    file: Annotated[Path, typer.Argument(help="The document to turn into a deck.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .pptx to write.")],
    max_slides: Annotated[int, typer.Option("--slides", help="Most slides, title included.")] = 12,
    template: Annotated[Path | None, typer.Option(help="A .pptx whose layouts to use.")] = None,
    method: MethodOpt = "auto",
    server: ServerOpt = SERVER,
    api_key: KeyOpt = None,
) -> None:
    """Build a PowerPoint deck from a document."""
    files: dict[str, Any] = {"file": _file(file)}
    if template is not None:
        files["template"] = _file(template)
    with connect(server, api_key) as client:
        response = client.post(
            "/v1/productivity/presentation",
            files=files,
            data={"slides": str(max_slides), "method": method},
        )
    _save(response, output)


@docs_app.command("insights")
def insights(
    file: Annotated[Path, typer.Argument(help="A .xlsx or .csv workbook.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write a .xlsx.")] = None,
    server: ServerOpt = SERVER,
    api_key: KeyOpt = None,
) -> None:
    """Totals, leaders, trends and outliers of a workbook, computed in the sandbox."""
    with connect(server, api_key) as client:
        if output is not None:
            response = client.post(
                "/v1/productivity/spreadsheet/insights",
                params={"format": "xlsx"},
                files={"file": _file(file)},
            )
            _save(response, output)
            return
        body = checked(
            client.post("/v1/productivity/spreadsheet/insights", files={"file": _file(file)})
        )
    console.print(f"[bold]{body['source']}[/] ({body['rows']:,} rows)")
    for insight in body["insights"]:
        console.print(f"• [dim]{insight['kind']}[/] {insight['text']}")


@docs_app.command("formula")
def formula(
    description: Annotated[str, typer.Argument(help="What the formula should do.")],
    headers: Annotated[str, typer.Option(help="The sheet's headers, comma-separated.")],
    row: Annotated[list[str] | None, typer.Option(help="A sample row, comma-separated.")] = None,
    method: MethodOpt = "auto",
    server: ServerOpt = SERVER,
    api_key: KeyOpt = None,
) -> None:
    """An Excel formula, checked on the sample rows."""
    payload = {
        "description": description,
        "headers": [h.strip() for h in headers.split(",")],
        "sample_rows": [[c.strip() for c in r.split(",")] for r in row or []],
        "method": method,
    }
    with connect(server, api_key) as client:
        body = checked(client.post("/v1/productivity/spreadsheet/formula", json=payload))
    console.print(f"[bold]{body['formula']}[/]\n{body['explanation']}")
    check = body["check"]
    mark = {True: "[green]ok[/]", False: "[red]failed[/]", None: "[yellow]unchecked[/]"}[
        check["ok"]
    ]
    console.print(f"check: {mark} — {check['detail']}")


@docs_app.command("rewrite")
def rewrite(
    text: Annotated[str | None, typer.Argument(help="The text (default: standard input).")] = None,
    tone: Annotated[str, typer.Option(help="formal, friendly or concise.")] = "formal",
    length: Annotated[str, typer.Option(help="shorter, same or longer.")] = "same",
    method: MethodOpt = "auto",
    server: ServerOpt = SERVER,
    api_key: KeyOpt = None,
) -> None:
    """Rewrite text in another tone or length."""
    source = text if text is not None else sys.stdin.read()
    payload = {"text": source, "tone": tone, "length": length, "method": method}
    with connect(server, api_key) as client:
        body = checked(client.post("/v1/productivity/rewrite", json=payload))
    console.print(body["text"], highlight=False)


@docs_app.command("draft")
def draft(
    instructions: Annotated[str, typer.Argument(help="What to draft.")],
    references: Annotated[list[Path], typer.Argument(help="Reference documents.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .docx to write.")],
    method: MethodOpt = "auto",
    server: ServerOpt = SERVER,
    api_key: KeyOpt = None,
) -> None:
    """Draft a Word document from instructions and reference documents."""
    files = [("files", _file(path)) for path in references]
    with connect(server, api_key) as client:
        response = client.post(
            "/v1/productivity/draft",
            files=files,
            data={"instructions": instructions, "method": method},
        )
    _save(response, output)
