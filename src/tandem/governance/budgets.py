"""Monthly limits per key, project and tenant, in USD (priced from each deployment's table)
and in tokens (prompt plus completion, whatever the price: the built-in deployments are
priced at $0, so only a token budget limits them)."""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tandem.errors import RateLimitError
from tandem.governance.ledger import UsageEvent, UsageLedger
from tandem.governance.principal import Principal
from tandem.store.cached import Cached, in_background
from tandem.store.changes import announce
from tandem.store.engine import Database
from tandem.store.models import ProjectBudget, Tenant, UsageRecord

REFRESH_S = 10.0
TOPIC = "budgets"


class BudgetExceededError(RateLimitError):
    """Spend this month has reached the budget (429, as OpenAI's insufficient_quota)."""

    error_type = "insufficient_quota"
    code = "insufficient_quota"
    azure_code = "InsufficientQuota"


@dataclass(frozen=True)
class Budget:
    """Monthly limits of one scope; None means no limit of that kind."""

    usd: float | None = None
    tokens: int | None = None

    def __bool__(self) -> bool:
        return self.usd is not None or self.tokens is not None


@dataclass(frozen=True)
class Spent:
    """What a scope has used this month."""

    usd: float = 0.0
    tokens: int = 0

    def __add__(self, other: Spent) -> Spent:
        return Spent(self.usd + other.usd, self.tokens + other.tokens)


@dataclass
class _Tally:
    """A scope's spend: the database's figure when it was read (with what this process had
    not yet written then), plus what this process has recorded since."""

    loaded_at: float  # monotonic time the read began
    base: Spent = field(default_factory=Spent)
    extra_usd: float = 0.0
    extra_tokens: int = 0

    def total(self) -> Spent:
        return Spent(self.base.usd + self.extra_usd, self.base.tokens + self.extra_tokens)


@dataclass
class _Budgets:
    projects: dict[tuple[str, str], Budget] = field(default_factory=dict)
    tenants: dict[str, Budget] = field(default_factory=dict)


Scope = tuple[str, ...]  # ("key", id) | ("project", tenant, project) | ("tenant", tenant)


def month_start(now: datetime | None = None) -> datetime:
    """Midnight UTC on the first day of the current month."""
    now = now or datetime.now(UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def cost_usd(prompt_tokens: int, completion_tokens: int, prices: tuple[float, float]) -> float:
    """Price of a request from per-1k-token prices (prompt, completion)."""
    return prompt_tokens / 1000 * prices[0] + completion_tokens / 1000 * prices[1]


def _in_scope(event: UsageEvent, scope: Scope) -> bool:
    if scope[0] == "key":
        return event.key_id == scope[1]
    if scope[0] == "project":
        return (event.tenant, event.project) == scope[1:]
    return event.tenant == scope[1]


def _exceeded(what: str, budget: Budget, spent: Spent) -> BudgetExceededError | None:
    if budget.usd is not None and spent.usd >= budget.usd:
        return BudgetExceededError(
            f"{what} has used its monthly budget of ${budget.usd:.2f} (spent ${spent.usd:.4f})."
        )
    if budget.tokens is not None and spent.tokens >= budget.tokens:
        return BudgetExceededError(
            f"{what} has used its monthly budget of {budget.tokens:,} "
            f"token{'' if budget.tokens == 1 else 's'} "
            f"(used {spent.tokens:,})."
        )
    return None


def store_budget(
    db: Database, tenant: str, project: str | None, budget: Budget, *, now: datetime
) -> None:
    """Set a project's budget (`project` None: the whole tenant's); an empty budget removes
    it. Every replica hears of it at once (see `fingerprint` for SQLite)."""
    with db.session() as session, session.begin():
        if project is None:
            row = session.get(Tenant, tenant)
            if row is None:
                row = Tenant(name=tenant, created_at=now)
                session.add(row)
            row.budget_usd, row.budget_tokens = budget.usd, budget.tokens
        else:
            found = session.get(ProjectBudget, (tenant, project))
            if not budget:
                if found is not None:
                    session.delete(found)
            elif found is None:
                session.add(
                    ProjectBudget(
                        tenant=tenant,
                        project=project,
                        budget_usd=budget.usd,
                        budget_tokens=budget.tokens,
                    )
                )
            else:
                found.budget_usd, found.budget_tokens = budget.usd, budget.tokens
        announce(session, TOPIC)


def list_budgets(db: Database, tenant: str | None = None) -> list[tuple[str, str | None, Budget]]:
    """(tenant, project or None for the whole tenant, budget) of every budget set."""
    with db.session() as session:
        projects = select(ProjectBudget).order_by(ProjectBudget.tenant, ProjectBudget.project)
        tenants = select(Tenant).where(
            or_(Tenant.budget_usd.is_not(None), Tenant.budget_tokens.is_not(None))
        )
        if tenant is not None:
            projects = projects.where(ProjectBudget.tenant == tenant)
            tenants = tenants.where(Tenant.name == tenant)
        out: list[tuple[str, str | None, Budget]] = [
            (t.name, None, Budget(t.budget_usd, t.budget_tokens))
            for t in session.scalars(tenants.order_by(Tenant.name))
        ]
        out += [
            (p.tenant, p.project, Budget(p.budget_usd, p.budget_tokens))
            for p in session.scalars(projects)
        ]
    return out


def fingerprint(session: Session) -> Hashable:
    """What moves whenever a budget is set or removed (SQLite change watching)."""
    projects = session.execute(
        select(
            func.count(),
            func.sum(ProjectBudget.budget_usd),
            func.sum(ProjectBudget.budget_tokens),
        )
    ).one()
    tenants = session.execute(
        select(
            func.count(Tenant.budget_usd),
            func.sum(Tenant.budget_usd),
            func.count(Tenant.budget_tokens),
            func.sum(Tenant.budget_tokens),
        )
    ).one()
    return (*projects, *tenants)


class BudgetGuard:
    """Refuses requests once a key's, project's or tenant's monthly spend, in USD or in
    tokens, reaches its budget.

    Each scope's spend is read from the database (every REFRESH_S, in the background) and
    what this process records meanwhile is added as it happens, so a replica never lags
    behind its own requests; other replicas' requests arrive with the next read."""

    def __init__(self, db: Database, ledger: UsageLedger) -> None:
        self.db = db
        self.ledger = ledger
        self._tallies: dict[Scope, _Tally] = {}
        self._loading: dict[Scope, _Tally] = {}
        self._budgets: Cached[_Budgets] = Cached(self._load_budgets, REFRESH_S)

    def warm(self) -> None:
        """Load the project and tenant budgets now, not on a request."""
        self._budgets.reload()

    def invalidate(self) -> None:
        """Re-read the budgets (another process changed them); in the background when on
        the event loop."""
        if not in_background(self._budgets.reload):
            self._budgets.reload()

    def _scopes(self, principal: Principal) -> list[tuple[Scope, Budget, str]]:
        """Each budget that applies to `principal`: its scope, limits and how to name it."""
        scopes: list[tuple[Scope, Budget, str]] = []
        own = Budget(principal.budget_usd, principal.budget_tokens)
        if own and principal.key_id is not None:
            scopes.append((("key", principal.key_id), own, "This key"))
        budgets = self._budgets.get()
        project = budgets.projects.get((principal.tenant, principal.project))
        if project:
            scope = ("project", principal.tenant, principal.project)
            scopes.append((scope, project, f"Project '{principal.project}'"))
        tenant = budgets.tenants.get(principal.tenant)
        if tenant:
            scopes.append((("tenant", principal.tenant), tenant, f"Tenant '{principal.tenant}'"))
        return scopes

    def known(self, principal: Principal) -> bool:
        """Whether `check(principal)` would answer from memory (no database read)."""
        if not self._budgets.ready():
            return False
        return all(scope in self._tallies for scope, _, _ in self._scopes(principal))

    def check(self, principal: Principal) -> None:
        """Raise BudgetExceededError when a budget that applies is used up."""
        for scope, budget, what in self._scopes(principal):
            refusal = _exceeded(what, budget, self.spent(scope))
            if refusal is not None:
                raise refusal

    def note(self, event: UsageEvent) -> None:
        """Count a request this process has just recorded in the ledger."""
        if not event.cost_usd and not (event.prompt_tokens or event.completion_tokens):
            return
        tokens = event.prompt_tokens + event.completion_tokens
        scopes: list[Scope] = [("project", event.tenant, event.project), ("tenant", event.tenant)]
        if event.key_id is not None:
            scopes.append(("key", event.key_id))
        for scope in scopes:
            for tally in (self._tallies.get(scope), self._loading.get(scope)):
                if tally is not None:
                    tally.extra_usd += event.cost_usd
                    tally.extra_tokens += tokens

    def spent(self, scope: Scope) -> Spent:
        """What `scope` has used this month, as far as this process knows."""
        tally = self._tallies.get(scope)
        if tally is None:
            return self._load_spent(scope).total()
        if time.monotonic() - tally.loaded_at >= REFRESH_S and scope not in self._loading:
            # Served while a worker thread reads the month again.
            self._loading[scope] = _Tally(loaded_at=time.monotonic())
            if not in_background(lambda: self._load_spent(scope)):
                return self._load_spent(scope).total()
        return tally.total()

    def set_budget(
        self, tenant: str, project: str | None, budget: Budget, *, now: datetime | None = None
    ) -> None:
        """Set (or, with an empty budget, remove) a project's or (`project` None) a tenant's
        monthly budget; this process sees it at once, other replicas when they hear of it."""
        store_budget(self.db, tenant, project, budget, now=now or datetime.now(UTC))
        self._budgets.reload()

    def _load_budgets(self) -> _Budgets:
        with self.db.session() as session:
            projects = {
                (r.tenant, r.project): Budget(r.budget_usd, r.budget_tokens)
                for r in session.scalars(select(ProjectBudget))
            }
            tenants = {
                r.name: Budget(r.budget_usd, r.budget_tokens)
                for r in session.scalars(
                    select(Tenant).where(
                        or_(Tenant.budget_usd.is_not(None), Tenant.budget_tokens.is_not(None))
                    )
                )
            }
        return _Budgets(projects=projects, tenants=tenants)

    def _load_spent(self, scope: Scope) -> _Tally:
        # Requests recorded from here on are counted in the new tally as they happen; those
        # recorded before are in the database or still in the ledger's queue (read next),
        # so none is missed (one flushed between the two reads counts twice until the next
        # read: the error is on the side of refusing).
        tally = self._loading.get(scope) or _Tally(loaded_at=time.monotonic())
        self._loading[scope] = tally
        try:
            usd, tokens = 0.0, 0
            for event in self.ledger.pending():
                if _in_scope(event, scope):
                    usd += event.cost_usd
                    tokens += event.prompt_tokens + event.completion_tokens
            query = select(
                func.coalesce(func.sum(UsageRecord.cost_usd), 0.0),
                func.coalesce(
                    func.sum(UsageRecord.prompt_tokens + UsageRecord.completion_tokens), 0
                ),
            ).where(UsageRecord.ts >= month_start())
            if scope[0] == "key":
                query = query.where(UsageRecord.key_id == scope[1])
            elif scope[0] == "project":
                query = query.where(UsageRecord.tenant == scope[1], UsageRecord.project == scope[2])
            else:
                query = query.where(UsageRecord.tenant == scope[1])
            with self.db.session() as session:
                db_usd, db_tokens = session.execute(query).one()
            tally.base = Spent(float(db_usd or 0.0) + usd, int(db_tokens or 0) + tokens)
            self._tallies[scope] = tally
        finally:
            if self._loading.get(scope) is tally:
                del self._loading[scope]
        return tally
