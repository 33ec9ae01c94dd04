"""`tandem keys|db|usage|audit|budgets`: enterprise controls from the command line.

These work on the database directly (no server needed), so the first admin key can be
created before anything else; every change lands in the audit log as actor 'cli'.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tandem.cli.ids import WideOpt, id_column, shorten
from tandem.cli.store import CLI_ACTOR, by_prefix, open_database, where
from tandem.errors import TandemError
from tandem.governance.audit import AuditLog
from tandem.governance.budgets import Budget, list_budgets, store_budget
from tandem.governance.keys import KeySpec, KeyStore
from tandem.governance.principal import Scope
from tandem.governance.usage_report import METRICS, summarize, to_csv
from tandem.store.models import ApiKey

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="tandem.toml to read.")]
KeyIdArg = Annotated[str, typer.Argument(help="The key's id, or any unique start of it.")]

keys_app = typer.Typer(help="Create, list, revoke and rotate API keys.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
budgets_app = typer.Typer(
    help="Monthly budgets of projects and tenants, in USD and in tokens.", no_args_is_help=True
)

console = Console()
errors = Console(stderr=True)


def _fail(exc: TandemError) -> typer.Exit:
    errors.print(f"[red]error:[/] {exc.message}")
    return typer.Exit(1)


@keys_app.command("create")
def create_key(
    tenant: Annotated[str, typer.Option(help="Tenant the key belongs to.")],
    project: Annotated[str, typer.Option(help="Project within the tenant.")] = "default",
    name: Annotated[str, typer.Option(help="A label for people.")] = "",
    admin: Annotated[bool, typer.Option(help="Admin of its tenant.")] = False,
    platform: Annotated[bool, typer.Option(help="Admin of the whole platform.")] = False,
    deployments: Annotated[
        list[str] | None, typer.Option("--deployments", help="Allowed deployment (repeat).")
    ] = None,
    rpm: Annotated[int | None, typer.Option(help="Requests per minute.")] = None,
    tpm: Annotated[int | None, typer.Option(help="Tokens per minute.")] = None,
    budget: Annotated[float | None, typer.Option(help="Monthly budget in USD.")] = None,
    budget_tokens: Annotated[
        int | None, typer.Option(min=0, help="Monthly budget in tokens (prompt + completion).")
    ] = None,
    expires: Annotated[
        datetime | None, typer.Option(help="Expiry, ISO date or datetime (UTC).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Create a key and print its secret (shown this once, stored hashed)."""
    for option, value, most in (("--tenant", tenant, 64), ("--project", project, 64)):
        if not 1 <= len(value) <= most:
            raise typer.BadParameter(f"1-{most} characters", param_hint=option)
    if len(name) > 128:
        raise typer.BadParameter("at most 128 characters", param_hint="--name")
    _, db = open_database(config)
    scope: Scope = "platform" if platform else "admin" if admin else "user"
    try:
        issued = KeyStore(db).create(
            KeySpec(
                tenant=tenant,
                project=project,
                name=name,
                scope=scope,
                deployments=deployments or None,
                rpm=rpm,
                tpm=tpm,
                budget_usd=budget,
                budget_tokens=budget_tokens,
                expires_at=expires,
            )
        )
    except TandemError as exc:
        raise _fail(exc) from exc
    AuditLog(db).append(
        tenant=tenant,
        actor=CLI_ACTOR,
        action="key.create",
        target=issued.id,
        details={"scope": scope, "project": project, "name": name},
    )
    errors.print(
        f"key id {issued.id} ({scope}, tenant {tenant}) in {where(db)}; the secret is shown once:",
        soft_wrap=True,
    )
    print(issued.secret)


@keys_app.command("list")
def list_keys(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    wide: WideOpt = False,
    config: ConfigOpt = None,
) -> None:
    """List keys (never their secrets); ids are shortened unless --wide, and any unique
    start of one names the key to `revoke` and `rotate`."""
    _, db = open_database(config)
    rows = KeyStore(db).list(tenant)
    ids = shorten([row.id for row in rows], wide)
    table = Table(
        id_column(ids.values()),
        *("prefix", "tenant", "project", "scope", "rpm", "tpm", "budget", "state"),
    )
    for row in rows:
        state = "revoked" if row.revoked_at else "active"
        table.add_row(
            ids[row.id],
            f"sk-{row.prefix}",
            row.tenant,
            row.project,
            row.scope,
            str(row.rpm or "-"),
            str(row.tpm or "-"),
            describe_budget(Budget(row.budget_usd, row.budget_tokens)),
            state,
        )
    console.print(table)


@keys_app.command("revoke")
def revoke_key(key_id: KeyIdArg, config: ConfigOpt = None) -> None:
    """Revoke a key."""
    _, db = open_database(config)
    key_id = by_prefix(db, ApiKey.id, key_id, "key")
    try:
        row = KeyStore(db).revoke(key_id, None)
    except TandemError as exc:
        raise _fail(exc) from exc
    AuditLog(db).append(tenant=row.tenant, actor=CLI_ACTOR, action="key.revoke", target=key_id)
    console.print(f"revoked {key_id}")


@keys_app.command("rotate")
def rotate_key(key_id: KeyIdArg, config: ConfigOpt = None) -> None:
    """Issue a new secret with the same rights and revoke the old key."""
    _, db = open_database(config)
    key_id = by_prefix(db, ApiKey.id, key_id, "key")
    store = KeyStore(db)
    try:
        issued = store.rotate(key_id, None)
    except TandemError as exc:
        raise _fail(exc) from exc
    tenant = store.get(issued.id, None).tenant
    AuditLog(db).append(
        tenant=tenant,
        actor=CLI_ACTOR,
        action="key.rotate",
        target=key_id,
        details={"new_key": issued.id},
    )
    errors.print(f"new key id {issued.id}; the secret is shown once:")
    print(issued.secret)


def describe_budget(budget: Budget) -> str:
    """'$25 + 1,000,000 tokens', '$25', '500,000 tokens' or '-'."""
    parts = []
    if budget.usd is not None:
        parts.append(f"${budget.usd:g}")
    if budget.tokens is not None:
        parts.append(f"{budget.tokens:,} token" + ("" if budget.tokens == 1 else "s"))
    return " + ".join(parts) or "-"


@budgets_app.command("set")
def set_budget(
    tenant: Annotated[str, typer.Option(help="The tenant.")],
    project: Annotated[
        str | None, typer.Option(help="One project of the tenant (default: the whole tenant).")
    ] = None,
    usd: Annotated[float | None, typer.Option(min=0, help="Monthly limit in USD.")] = None,
    tokens: Annotated[
        int | None, typer.Option(min=0, help="Monthly limit in tokens (prompt + completion).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Set a monthly budget (neither --usd nor --tokens: remove it). The built-in
    deployments are priced at $0, so only a token budget limits them."""
    for name, value in (("--tenant", tenant), ("--project", project)):
        if value is not None and not 1 <= len(value) <= 64:
            raise typer.BadParameter("1-64 characters", param_hint=name)
    _, db = open_database(config)
    budget = Budget(usd, tokens)
    store_budget(db, tenant, project, budget, now=datetime.now(UTC))
    AuditLog(db).append(
        tenant=tenant,
        actor=CLI_ACTOR,
        action="budget.set",
        target=project if project is not None else "*",
        details={"budget_usd": usd, "budget_tokens": tokens},
    )
    where = f"project {project} of {tenant}" if project is not None else f"tenant {tenant}"
    console.print(f"budget of {where}: {describe_budget(budget)}")


@budgets_app.command("list")
def list_all_budgets(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Budgets of projects and tenants (keys' own budgets are in `tandem keys list`)."""
    _, db = open_database(config)
    table = Table("tenant", "project", "budget")
    for name, project, budget in list_budgets(db, tenant):
        table.add_row(
            name, project if project is not None else "(whole tenant)", describe_budget(budget)
        )
    console.print(table)


@db_app.command("upgrade")
def upgrade(config: ConfigOpt = None) -> None:
    """Apply pending migrations (the server also does this when it starts)."""
    _, db = open_database(config)
    console.print(f"database up to date ({db.dialect})")


def usage(
    by: Annotated[
        list[str] | None, typer.Option("--by", help="day, key, deployment, project, tenant, status")
    ] = None,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    since: Annotated[datetime | None, typer.Option(help="From this date (UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="Before this date (UTC).")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Usage totals from the ledger."""
    _, db = open_database(config)
    groups = by or ["day"]
    try:
        rows = summarize(db, tenant=tenant, group_by=groups, since=since, until=until)
    except TandemError as exc:
        raise _fail(exc) from exc
    if csv:
        print(to_csv(rows, groups), end="")
        return
    table = Table(*groups, *METRICS)
    for row in rows:
        table.add_row(*(str(row[c]) for c in [*groups, *METRICS]))
    console.print(table)


@audit_app.command("verify")
def verify(config: ConfigOpt = None) -> None:
    """Check the hash chain; exit 1 if any entry was edited or deleted."""
    _, db = open_database(config)
    result = AuditLog(db).verify()
    for problem in result.problems:
        errors.print(f"[red]{problem}[/]")
    if not result.ok:
        raise typer.Exit(1)
    console.print(f"audit log intact: {result.entries} entries")


@audit_app.command("list")
def list_audit(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    config: ConfigOpt = None,
) -> None:
    """Show recent audit entries."""
    _, db = open_database(config)
    table = Table("id", "time", "tenant", "actor", "action", "target")
    for row in AuditLog(db).list(tenant, limit=limit):
        table.add_row(
            str(row.id), row.ts.isoformat(), row.tenant, row.actor, row.action, row.target
        )
    console.print(table)
