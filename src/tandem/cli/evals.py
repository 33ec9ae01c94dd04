"""`tandem eval run SPEC.jsonl --deployment a --deployment b`: one eval, one run per
deployment against a server, shown side by side (a table, and a PNG chart).

SPEC.jsonl: an optional first line `{"eval": {"name", "testing_criteria", "input_messages",
"sampling_params"}}`, then one item per line (`{"item": {...}}` or the item itself). Without
the header, each item's `input` is asked and its `expected` looked for in the answer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from tandem.apps.evals.sets import KINDS, SetFormatError, convert
from tandem.cli.http import KeyOpt, ServerOpt, checked, connect

eval_app = typer.Typer(help="Evaluate deployments on your own tasks.", no_args_is_help=True)
console = Console()

DEFAULT_SPEC: dict[str, Any] = {
    "name": "contains expected",
    "testing_criteria": [
        {
            "type": "string_check",
            "name": "contains expected",
            "input": "{{sample.output_text}}",
            "reference": "{{item.expected}}",
            "operation": "ilike",
        }
    ],
    "input_messages": {
        "type": "template",
        "template": [{"role": "user", "content": "{{item.input}}"}],
    },
    "sampling_params": {"max_completion_tokens": 64, "temperature": 0},
}


def read_spec(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The eval header (or the default) and the rows of a SPEC.jsonl."""
    spec: dict[str, Any] = dict(DEFAULT_SPEC)
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise typer.BadParameter(f"line {number} of {path} is not JSON: {exc}") from exc
        if isinstance(value, dict) and isinstance(value.get("eval"), dict) and not rows:
            spec.update(value["eval"])
        elif isinstance(value, dict):
            rows.append(value if isinstance(value.get("item"), dict) else {"item": value})
        else:
            raise typer.BadParameter(f"line {number} of {path} is not a JSON object")
    if not rows:
        raise typer.BadParameter(f"{path} has no items")
    return spec, rows


def compare(
    client: Any,
    spec: dict[str, Any],
    rows: list[dict[str, Any]],
    deployments: list[str],
    poll_s: float = 0.5,
    timeout_s: float = 3600,
) -> tuple[str, list[dict[str, Any]]]:
    """Create the eval, one run per deployment, and wait for them all; (eval id, runs)."""
    body = {
        "name": spec.get("name", "comparison"),
        "testing_criteria": spec["testing_criteria"],
        "data_source_config": {
            "type": "custom",
            "item_schema": {"type": "object"},
            "include_sample_schema": True,
        },
    }
    eval_id = checked(client.post("/v1/evals", json=body))["id"]
    runs = []
    for deployment in deployments:
        source = {
            "type": "completions",
            "model": deployment,
            "source": {"type": "file_content", "content": rows},
            "input_messages": spec["input_messages"],
            "sampling_params": spec.get("sampling_params") or {},
        }
        created = client.post(
            f"/v1/evals/{eval_id}/runs", json={"data_source": source, "name": deployment}
        )
        runs.append(checked(created))
    deadline = time.monotonic() + timeout_s
    while any(r["status"] in ("queued", "in_progress") for r in runs):
        if time.monotonic() > deadline:
            break
        time.sleep(poll_s)
        runs = [checked(client.get(f"/v1/evals/{eval_id}/runs/{r['id']}")) for r in runs]
    return eval_id, runs


def table(runs: list[dict[str, Any]]) -> Table:
    """Deployments side by side: pass rate overall and per criterion, tokens, status."""
    names = [c["testing_criteria"] for c in runs[0]["per_testing_criteria_results"]] if runs else []
    grid = Table("", *(r["model"] for r in runs))
    grid.add_row("status", *(r["status"] for r in runs))
    grid.add_row("passed", *(_rate(r["result_counts"]) for r in runs))
    grid.add_row("errored", *(str(r["result_counts"]["errored"]) for r in runs))
    for name in names:
        grid.add_row(name, *(_criterion(r, name) for r in runs))
    grid.add_row(
        "tokens", *(str(sum(u["total_tokens"] for u in r["per_model_usage"])) for r in runs)
    )
    return grid


def _rate(counts: dict[str, int]) -> str:
    total = counts["total"]
    return f"{counts['passed']}/{total} ({100 * counts['passed'] / total:.0f}%)" if total else "0/0"


def _criterion(run: dict[str, Any], name: str) -> str:
    for c in run["per_testing_criteria_results"]:
        if c["testing_criteria"] == name:
            return _rate({"passed": c["passed"], "total": c["passed"] + c["failed"]})
    return "-"


def chart(runs: list[dict[str, Any]], path: Path) -> Path:
    """A grouped bar chart of pass rates per criterion and deployment (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [c["testing_criteria"] for c in runs[0]["per_testing_criteria_results"]]
    figure, axes = plt.subplots(figsize=(max(5, 1.6 * len(names) * len(runs)), 4))
    width = 0.8 / max(1, len(runs))
    for i, run in enumerate(runs):
        rates = []
        for c in run["per_testing_criteria_results"]:
            total = c["passed"] + c["failed"]
            rates.append(100 * c["passed"] / total if total else 0)
        axes.bar([x + i * width for x in range(len(rates))], rates, width, label=run["model"])
    axes.set_xticks([x + width * (len(runs) - 1) / 2 for x in range(len(names))], names)
    axes.set_ylabel("passed (%)")
    axes.set_ylim(0, 100)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


@eval_app.command("run")
def run(
    spec: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="SPEC.jsonl")],
    deployment: Annotated[list[str], typer.Option(help="A deployment to run (repeat).")],
    chart_path: Annotated[Path, typer.Option("--chart", help="Where to write the PNG.")] = Path(
        "eval-comparison.png"
    ),
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Run one eval on each deployment and show them side by side."""
    header, rows = read_spec(spec)
    with connect(server, api_key) as client:
        eval_id, runs = compare(client, header, rows, deployment)
    console.print(f"eval {eval_id}")
    console.print(table(runs))
    console.print(f"chart: {chart(runs, chart_path)}")


@eval_app.command("convert")
def convert_set(
    folder: Annotated[Path, typer.Argument(exists=True, help="A product evaluation set.")],
    kind: Annotated[str, typer.Option(help=f"The set's kind: {' | '.join(KINDS)}.")],
    out: Annotated[
        Path | None, typer.Option(help="Where to write SPEC.jsonl (default: standard output).")
    ] = None,
) -> None:
    """Turn a safety, support or analyst set into a SPEC.jsonl for `tandem eval run`."""
    if kind not in KINDS:
        raise typer.BadParameter(f"one of {', '.join(KINDS)}", param_hint="--kind")
    try:
        spec = convert(folder, kind)
    except SetFormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="FOLDER") from exc
    for name in spec.skipped:
        typer.echo(f"skipped {name}: not a {kind} set's format", err=True)
    if out is None:
        typer.echo(spec.jsonl().decode(), nl=False)
        return
    out.write_bytes(spec.jsonl())
    console.print(
        f"{out}: {len(spec.items)} items, {len(spec.header['testing_criteria'])} criteria"
    )
