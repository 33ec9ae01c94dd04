"""`tandem safety policy ...` and `tandem review ...`: responsible-AI administration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from tandem.cli.ids import WideOpt, id_column, shorten
from tandem.cli.store import CLI_ACTOR, by_prefix, open_database
from tandem.errors import TandemError
from tandem.governance.audit import AuditLog
from tandem.safety.categories import severity_label
from tandem.safety.policy import DEFAULT, PolicyStore, SafetyPolicy
from tandem.safety.review import Decision, ReviewQueue
from tandem.store.models import ReviewItem

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="tandem.toml to read.")]
ItemIdArg = Annotated[str, typer.Argument(help="The item's id, or any unique start of it.")]

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
    policy_json: Annotated[str, typer.Argument(help="Policy keys as JSON (or @file.json).")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Store exactly this policy, not a merge.")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Change the keys given, e.g. '{"prompt": {"violence": {"threshold": "low"}}}'; the
    rest of the policy in force stays as it is (--replace stores the whole policy given)."""
    text = Path(policy_json[1:]).read_text() if policy_json.startswith("@") else policy_json
    _, db = open_database(config)
    store = PolicyStore(db)
    try:
        given = json.loads(text)
        if not isinstance(given, dict):
            raise ValueError("the policy must be a JSON object")
        base = {} if replace else store.for_deployment(deployment).model_dump(mode="json")
        policy = SafetyPolicy.model_validate(merge_keys(base, given))
    except ValidationError as exc:
        errors.print(
            f"[red]invalid policy:[/] {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}"
        )
        raise typer.Exit(1) from exc
    except ValueError as exc:  # json.JSONDecodeError is one
        errors.print(f"[red]invalid policy:[/] {exc}")
        raise typer.Exit(1) from exc
    store.put(deployment, policy)
    AuditLog(db).append(
        tenant="system",
        actor=CLI_ACTOR,
        action="safety.policy.set",
        target=deployment,
        details=policy.model_dump(mode="json"),
    )
    console.print(f"policy of [bold]{deployment}[/] {'replaced' if replace else 'updated'}")


def merge_keys(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`base` with `given` merged in, object by object (lists and values are replaced)."""
    out = dict(base)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_keys(out[key], value)
        else:
            out[key] = value
    return out


def describe_findings(findings: dict[str, Any]) -> str:
    """A review item's findings as a reader wants them: 'violence high (blocked), jailbreak'."""
    filtered = set(findings.get("filtered", []))
    parts = []
    for category, severity in sorted(findings.get("severities", {}).items()):
        label = severity_label(int(severity))
        parts.append(f"{category} {label}" + (" (blocked)" if category in filtered else ""))
    parts.extend(name for name in ("jailbreak", "indirect_attack") if findings.get(name))
    parts.extend(f"blocklist {b}" for b in findings.get("blocklists", []))
    if findings.get("pii"):
        parts.append("pii: " + ", ".join(findings["pii"]))
    parts.extend(f"{c} (blocked)" for c in sorted(filtered - set(findings.get("severities", {}))))
    return ", ".join(parts) or "-"


@review_app.command("list")
def list_review(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all.")] = "pending",
    wide: WideOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Items waiting for (or past) review; ids are shortened unless --wide, and any unique
    start of one names the item to `approve` and `reject`."""
    settings, db = open_database(config)
    queue = ReviewQueue(db, settings.safety_retention_days)
    items = queue.list(tenant, None if status == "all" else status)
    ids = shorten([item.id for item in items], wide)
    table = Table(
        id_column(ids.values()), "created", "tenant", "kind", "deployment", "findings", "content"
    )
    for item in items:
        table.add_row(
            ids[item.id],
            item.created_at.strftime("%Y-%m-%d %H:%M"),
            item.tenant,
            item.kind,
            item.deployment,
            describe_findings(item.findings),
            (item.content or "(expired)")[:60],
        )
    console.print(table)


def _decide(item_id: str, decision: Decision, note: str | None, config: Path | None) -> None:
    settings, db = open_database(config)
    item_id = by_prefix(db, ReviewItem.id, item_id, "review item")
    try:
        row = ReviewQueue(db, settings.safety_retention_days).decide(
            item_id, None, decision, CLI_ACTOR, note
        )
    except TandemError as exc:
        errors.print(f"[red]error:[/] {exc.message}")
        raise typer.Exit(1) from exc
    AuditLog(db).append(
        tenant=row.tenant,
        actor=CLI_ACTOR,
        action=f"review.{decision}",
        target=item_id,
        details={"note": note, "kind": row.kind},
    )
    console.print(f"{item_id}: {decision}")


@review_app.command("approve")
def approve(
    item_id: ItemIdArg,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Mark an item acceptable."""
    _decide(item_id, "approved", note, config)


@review_app.command("reject")
def reject(
    item_id: ItemIdArg,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Confirm an item as a violation."""
    _decide(item_id, "rejected", note, config)
