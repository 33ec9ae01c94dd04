"""`tandem assess`: the partner checklist in the terminal, then a tandem.toml to serve."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.prompt import Confirm, Prompt
from rich.table import Table

from tandem.apps.advisor.assessment import assess as assess_locally
from tandem.apps.advisor.inputs import Inputs, answer_value, parse_context
from tandem.apps.advisor.questions import QUESTIONS, SCALE, SENSITIVITIES
from tandem.cli.http import KeyOpt, ServerOpt, checked, connect
from tandem.errors import InvalidRequestError

T = TypeVar("T")
console = Console()


def _ask(prompt: str, parse: Callable[[str], T]) -> T:
    """Ask until `parse` accepts the reply; each refusal says why."""
    while True:
        reply = Prompt.ask(prompt, console=console, default="", show_default=False)
        try:
            return parse(reply.strip())
        except (InvalidRequestError, ValueError) as exc:
            console.print(f"[red]{getattr(exc, 'message', exc)}[/] Try again.", soft_wrap=True)


def _answer(qid: str) -> Callable[[str], int]:
    def parse(reply: str) -> int:
        if not reply.lstrip("-").isdigit():
            raise ValueError("Type a whole number from 1 to 5.")
        return answer_value(qid, int(reply))

    return parse


def _context_field(key: str, kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(reply: str) -> Any:
        if not reply:
            return None
        try:
            value = kind(reply)
        except ValueError as exc:
            raise ValueError(f"'{reply}' is not a number.") from exc
        parse_context({key: value})  # the server's own bounds
        return value

    return parse


def _use_cases(reply: str) -> list[str] | None:
    cases = [c.strip() for c in reply.split(";") if c.strip()]
    if cases:
        parse_context({"use_cases": cases})
    return cases or None


def _sensitivity(reply: str) -> str | None:
    if not reply:
        return None
    parse_context({"data_sensitivity": reply.lower()})
    return reply.lower()


def ask_answers() -> dict[str, int]:
    """The five questions, each re-asked until answered 1-5."""
    scale = ", ".join(f"{k} {v}" for k, v in SCALE.items())
    answers: dict[str, int] = {}
    for n, q in enumerate(QUESTIONS, 1):
        console.print(f"\n[bold]{n}/5 {q.title}[/]: {q.question}")
        console.print(f"[dim]{q.guidance}[/]")
        answers[q.id] = _ask(f"Answer ({scale})", _answer(q.id))
    return answers


def ask_context() -> dict[str, Any]:
    """The optional context; Enter skips a field."""
    console.print("\n[bold]Context[/] (optional: press Enter to skip a question)")
    asked: dict[str, Any] = {
        "expected_users": _ask("Users at the busiest time", _context_field("expected_users", int)),
        "requests_per_second": _ask(
            "Peak requests per second", _context_field("requests_per_second", float)
        ),
        "data_sensitivity": _ask(f"Data sensitivity ({', '.join(SENSITIVITIES)})", _sensitivity),
        "monthly_budget_usd": _ask(
            "Monthly budget in USD", _context_field("monthly_budget_usd", float)
        ),
        "use_cases": _ask("Use cases, separated by ';'", _use_cases),
    }
    return {k: v for k, v in asked.items() if v is not None}


def _show(result: dict[str, Any]) -> None:
    rec = result["recommendation"]
    console.print(f"\n[bold green]Recommendation:[/] [bold]{rec['title']}[/] ({rec['confidence']})")
    console.print(rec["summary"])
    table = Table("question", "answer", "why")
    for entry in result["reasoning"]:
        table.add_row(entry["question"], str(entry["answer"]), entry["explanation"])
    console.print(table)
    for note in result["notes"]:
        console.print(f"[yellow]note:[/] {note}")
    trade = Table("trade-off", "rating", "")
    for aspect in ("convenience", "customisation", "cost"):
        item = result["trade_offs"][aspect]
        trade.add_row(aspect, f"{item['rating']}/5", item["summary"])
    console.print(trade)
    console.print("[bold]Next steps[/]")
    for step in result["next_steps"]:
        console.print(f" - [bold]{step['title']}[/]: {step['detail']}")


def write_files(result: dict[str, Any], output: Path) -> list[Path]:
    """tandem.toml, the safety policy, the evaluation and its samples, side by side."""
    folder = output.parent
    files = result["files"]
    written = {
        output: result["config"],
        folder / files["safety_policy"]: json.dumps(result["safety_policy"], indent=2) + "\n",
        folder / files["samples"]: result["evaluation"]["samples_jsonl"],
        folder / "advisor-eval.json": json.dumps(
            {k: result["evaluation"][k] for k in ("eval", "runs")}, indent=2
        )
        + "\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    return list(written)


def assess(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the config.")] = (
        Path("tandem.toml")
    ),
    offline: Annotated[
        bool, typer.Option("--offline", help="Compute here instead of asking the server.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite without asking.")] = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """Answer the five-question partner checklist; get a plan and a tandem.toml to serve."""
    if (
        output.exists()
        and not force
        and not Confirm.ask(f"{output} exists. Overwrite it?", console=console, default=False)
    ):
        raise typer.Exit(1)
    if not offline:
        with connect(server, api_key) as client:  # a server that is down says so before
            checked(client.get("/healthz"))  # the questions, not after them
    console.print(
        "[bold]Tandem adoption advisor[/]: five questions, 1 (not at all) to 5 "
        "(essential), then a little context."
    )
    answers = ask_answers()
    context = ask_context()
    if offline:
        result = assess_locally(Inputs(answers, parse_context(context)))
    else:
        with connect(server, api_key) as client:
            body = {"answers": answers, "context": context}
            result = checked(client.post("/v1/advisor/assessments", json=body))
    _show(result)
    written = write_files(result, output)
    saved = f" (assessment {result['id']})" if "id" in result else ""
    console.print(f"\n[bold]Wrote[/] {', '.join(str(p) for p in written)}{saved}")
    console.print(f"Start it with: [bold]tandem serve --config {output}[/]")
