"""`tandem safety policy ...` and `tandem review ...`: responsible-AI administration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from tandem.cli.store import CLI_ACTOR, open_database
from tandem.errors import TandemError
from tandem.governance.audit import AuditLog
from tandem.safety.policy import DEFAULT, PolicyStore, SafetyPolicy
from tandem.safety.review import Decision, ReviewQueue

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="tandem.toml to read.")]

safety_app = typer.Typer(help="Safety policies per deployment.", no_args_is_help=True)
policy_app = typer.Typer(help="Show and set policies.", no_args_is_help=True)
review_app = typer.Typer(help="The human review queue.", no_args_is_help=True)
safety_app.add_typer(policy_app, name="policy")

console = Console()
errors = Console(stderr=True)


@policy_app.command("show")
def show_policy(
    deployment: Annotated[str, typer.Argument(help="Deployment, or 'default'.")] = DEFAULT,
    config: ConfigOpt = None,
) -> None:
    """Print the policy in force for a deployment as JSON."""
    _, db = open_database(config)
    print(json.dumps(PolicyStore(db).for_deployment(deployment).model_dump(mode="json"), indent=2))


@policy_app.command("set")
def set_policy(
    deployment: Annotated[str, typer.Argument(help="Deployment, or 'default'.")],
    policy_json: Annotated[str, typer.Argument(help="The policy as JSON (or @file.json).")],
    config: ConfigOpt = None,
) -> None:
    """Store a policy, e.g. '{"prompt": {"violence": {"threshold": "low", "action": "block"}}}'."""
    text = Path(policy_json[1:]).read_text() if policy_json.startswith("@") else policy_json
    try:
        policy = SafetyPolicy.model_validate_json(text)
    except ValidationError as exc:
        errors.print(
            f"[red]invalid policy:[/] {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}"
        )
        raise typer.Exit(1) from exc
    _, db = open_database(config)
    PolicyStore(db).put(deployment, policy)
    AuditLog(db).append(
        tenant="system", actor=CLI_ACTOR, action="safety.policy.set", target=deployment,
        details=policy.model_dump(mode="json"),
    )  # fmt: skip
    console.print(f"policy of [bold]{deployment}[/] stored")


@review_app.command("list")
def list_review(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all.")] = "pending",
    config: ConfigOpt = None,
) -> None:
    """Items waiting for (or past) review."""
    settings, db = open_database(config)
    queue = ReviewQueue(db, settings.safety_retention_days)
    table = Table("id", "created", "tenant", "kind", "deployment", "findings", "content")
    for item in queue.list(tenant, None if status == "all" else status):
        findings = ", ".join(item.findings.get("filtered", [])) or json.dumps(item.findings)[:40]
        table.add_row(
            item.id, item.created_at.strftime("%Y-%m-%d %H:%M"), item.tenant, item.kind,
            item.deployment, findings, (item.content or "(expired)")[:60],
        )  # fmt: skip
    console.print(table)


def _decide(item_id: str, decision: Decision, note: str | None, config: Path | None) -> None:
    settings, db = open_database(config)
    try:
        row = ReviewQueue(db, settings.safety_retention_days).decide(
            item_id, None, decision, CLI_ACTOR, note
        )
    except TandemError as exc:
        errors.print(f"[red]error:[/] {exc.message}")
        raise typer.Exit(1) from exc
    AuditLog(db).append(
        tenant=row.tenant, actor=CLI_ACTOR, action=f"review.{decision}", target=item_id,
        details={"note": note, "kind": row.kind},
    )  # fmt: skip
    console.print(f"{item_id}: {decision}")


@review_app.command("approve")
def approve(
    item_id: str,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Mark an item acceptable."""
    _decide(item_id, "approved", note, config)


@review_app.command("reject")
def reject(
    item_id: str,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Confirm an item as a violation."""
    _decide(item_id, "rejected", note, config)
