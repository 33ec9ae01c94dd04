"""`tandem datasets add|list|show|delete` and `tandem ask`: the analyst from the terminal,
through a running server (so answers pass the same keys, quotas and safety as the API)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from tandem.cli.http import KeyOpt, ServerOpt, checked, connect, fail
from tandem.cli.ids import WideOpt, id_column, pick, shorten

datasets_app = typer.Typer(help="Datasets for the data-analysis assistant.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)

DatasetArg = Annotated[str, typer.Argument(help="Dataset id (or a unique start of it) or name.")]
DATASET_ID_LENGTH = len("ds_") + 16


def resolve_dataset(client: httpx.Client, dataset: str) -> str:
    """A dataset's id from its id, a unique start of it, or its name."""
    if dataset.startswith("ds_") and len(dataset) >= DATASET_ID_LENGTH:
        return dataset
    listed = checked(client.get("/v1/datasets"))["data"]
    named = [d["id"] for d in listed if d["name"] == dataset]
    if len(named) == 1:
        return str(named[0])
    if named:
        fail(f"{len(named)} datasets are named '{dataset}' ({', '.join(named)}): give its id")
    found = pick(dataset, [d["id"] for d in listed], "dataset")
    if found is None:
        fail(f"no dataset named '{dataset}' or with an id starting so (`tandem datasets list`)")
    return found


@datasets_app.command("add")
def add(
    files: Annotated[list[Path], typer.Argument(help="CSV, TSV, Parquet, XLSX or JSON files.")],
    name: Annotated[str, typer.Option(help="Dataset name.")] = "",
    dictionary: Annotated[
        Path | None,
        typer.Option(
            help="Data dictionary (Markdown) or semantic model (YAML) describing the tables."
        ),
    ] = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Upload files as one dataset (each file becomes a table) and show its tables, with the
    semantic model read from `--dictionary` (or the one proposed from the data)."""
    missing = [f for f in [*files, *([dictionary] if dictionary else [])] if not f.is_file()]
    if missing:
        raise typer.BadParameter(f"not a file: {missing[0]}")
    parts: list[tuple[str, tuple[str, bytes, str]]] = []
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), console=errors
    ) as bar:
        reading = bar.add_task("reading files", total=sum(f.stat().st_size for f in files))
        for path in files:
            parts.append(("files", (path.name, path.read_bytes(), "application/octet-stream")))
            bar.advance(reading, path.stat().st_size)
        if dictionary is not None:
            # The server tells Markdown from YAML by the file name, so it travels with it.
            kind = (
                "text/yaml" if dictionary.suffix.lower() in (".yaml", ".yml") else "text/markdown"
            )
            parts.append(("dictionary", (dictionary.name, dictionary.read_bytes(), kind)))
        bar.add_task("uploading and profiling", total=None)
        with connect(server, api_key) as client:
            dataset = checked(client.post("/v1/datasets", files=parts, data={"name": name}))
    console.print(f"dataset [bold]{dataset['id']}[/] ({dataset['name']})")
    _print_tables(dataset)
    _print_model(dataset.get("semantic_model") or {})


def _print_model(model: dict[str, Any]) -> None:
    """The semantic model in one line per part: where it came from, measures, conditions."""
    if not model:
        return
    measures = [m["name"] for m in model.get("measures", [])]
    segments = [s["name"] for s in model.get("segments", [])]
    console.print(f"semantic model: {model.get('source', '?')}")
    console.print(f"  measures: {', '.join(measures) or '(none)'}")
    if segments:
        console.print(f"  named conditions: {', '.join(segments)}")
    joins = [
        f"{r['table']}.{r['column']} -> {r['to_table']}.{r['to_column']}"
        for r in model.get("relationships", [])
    ]
    if joins:
        console.print(f"  joins: {', '.join(joins)}")


def _print_tables(dataset: dict[str, Any]) -> None:
    for table in dataset["tables"]:
        grid = Table(
            "column",
            "type",
            "nulls",
            "distinct",
            "min",
            "max",
            title=f"{table['name']} ({table['rows']} rows)",
        )
        for c in table["columns"]:
            grid.add_row(
                c["name"],
                c["type"],
                str(c["nulls"]),
                str(c["distinct"]),
                str(c["min"]),
                str(c["max"]),
            )
        console.print(grid)


@datasets_app.command("list")
def list_datasets(
    wide: WideOpt = False, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None
) -> None:
    """Your datasets (ids shortened unless --wide; a unique start of one, or the name, names
    the dataset to the other commands)."""
    with connect(server, api_key) as client:
        data = checked(client.get("/v1/datasets"))["data"]
    ids = shorten([d["id"] for d in data], wide)
    grid = Table(id_column(ids.values()), "name", "tables", "created")
    for d in data:
        grid.add_row(
            ids[d["id"]], d["name"], ", ".join(t["name"] for t in d["tables"]), d["created_at"]
        )
    console.print(grid)


@datasets_app.command("show")
def show(
    dataset: DatasetArg, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None
) -> None:
    """A dataset's tables and column profiles."""
    with connect(server, api_key) as client:
        _print_tables(checked(client.get(f"/v1/datasets/{resolve_dataset(client, dataset)}")))


@datasets_app.command("delete")
def delete(
    dataset: DatasetArg, server: ServerOpt = "http://127.0.0.1:8000", api_key: KeyOpt = None
) -> None:
    """Delete a dataset."""
    with connect(server, api_key) as client:
        dataset_id = resolve_dataset(client, dataset)
        checked(client.delete(f"/v1/datasets/{dataset_id}"))
    console.print(f"deleted {dataset_id}")


def ask(
    dataset: DatasetArg,
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    chart: Annotated[Path | None, typer.Option(help="Save the chart here (PNG).")] = None,
    conversation: Annotated[str | None, typer.Option(help="Continue a conversation.")] = None,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Ask a dataset a question: prints the SQL, a table and how it was answered."""
    with connect(server, api_key) as client:
        body: dict[str, Any] = {"dataset": resolve_dataset(client, dataset), "question": question}
        if conversation:
            body["conversation_id"] = conversation
        answer = checked(client.post("/v1/analyst/ask", json=body))
        if answer["chart"] and chart is not None:
            image = client.get(answer["chart"]["image_url"])
            if image.status_code == 200:
                chart.write_bytes(image.content)
    if answer.get("clarification"):
        console.print(f"[yellow]{answer['explanation']}[/]")
        console.print(f"[dim]conversation {answer['conversation_id']}[/]")
        raise typer.Exit(code=2)  # not an answer: scripts can tell a question back apart
    console.print(f"[dim]{answer['sql']}[/]")
    if answer.get("interpretation"):
        console.print(f"[italic]{answer['interpretation']}[/]")
    grid = Table(*answer["columns"])
    for row in answer["rows"][:50]:
        grid.add_row(*(f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row))
    console.print(grid)
    shown = min(50, len(answer["rows"]))
    console.print(
        f"{shown} of {answer['total_rows']} rows. {answer['explanation']} ({answer['method']})"
    )
    if chart is not None and answer["chart"]:
        console.print(f"chart saved to {chart}")
    console.print(f"[dim]conversation {answer['conversation_id']}[/]")
