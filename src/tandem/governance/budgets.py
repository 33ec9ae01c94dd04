"""Monthly spend limits per key and per project, priced from each deployment's table."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from tandem.errors import RateLimitError
from tandem.governance.ledger import UsageLedger
from tandem.governance.principal import Principal
from tandem.store.cached import Cached, in_background
from tandem.store.engine import Database
from tandem.store.models import ProjectBudget, UsageRecord

REFRESH_S = 10.0


class BudgetExceededError(RateLimitError):
    """Spend this month has reached the budget (429, as OpenAI's insufficient_quota)."""

    error_type = "insufficient_quota"
    code = "insufficient_quota"
    azure_code = "InsufficientQuota"


def month_start(now: datetime | None = None) -> datetime:
    """Midnight UTC on the first day of the current month."""
    now = now or datetime.now(UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def cost_usd(prompt_tokens: int, completion_tokens: int, prices: tuple[float, float]) -> float:
    """Price of a request from per-1k-token prices (prompt, completion)."""
    return prompt_tokens / 1000 * prices[0] + completion_tokens / 1000 * prices[1]


class BudgetGuard:
    """Refuses requests once a key's or project's monthly spend reaches its budget."""

    def __init__(self, db: Database, ledger: UsageLedger) -> None:
        self.db = db
        self.ledger = ledger
        self._spent: dict[tuple[str, ...], tuple[float, float]] = {}
        self._project_budgets: Cached[dict[tuple[str, str], float]] = Cached(
            self._load_budgets, REFRESH_S
        )

    def warm(self) -> None:
        """Load the project budgets now, not on a request."""
        self._project_budgets.reload()

    def known(self, principal: Principal) -> bool:
        """Whether `check(principal)` would answer from memory (no database read)."""
        if not self._project_budgets.ready():
            return False
        scopes: list[tuple[str, ...]] = []
        if principal.budget_usd is not None and principal.key_id is not None:
            scopes.append(("key", principal.key_id))
        if (principal.tenant, principal.project) in self._project_budgets.get():
            scopes.append(("project", principal.tenant, principal.project))
        return all(scope in self._spent for scope in scopes)

    def check(self, principal: Principal) -> None:
        """Raise BudgetExceededError when a budget that applies is used up."""
        if principal.budget_usd is not None and principal.key_id is not None:
            spent = self._db_spent(("key", principal.key_id)) + self.ledger.unflushed_cost(
                key_id=principal.key_id
            )
            if spent >= principal.budget_usd:
                raise BudgetExceededError(
                    f"This key has used its monthly budget of ${principal.budget_usd:.2f} "
                    f"(spent ${spent:.4f}).",
                )
        project_budget = self._budgets().get((principal.tenant, principal.project))
        if project_budget is not None:
            scope = ("project", principal.tenant, principal.project)
            spent = self._db_spent(scope) + self.ledger.unflushed_cost(
                project=(principal.tenant, principal.project)
            )
            if spent >= project_budget:
                raise BudgetExceededError(
                    f"Project '{principal.project}' has used its monthly budget of "
                    f"${project_budget:.2f} (spent ${spent:.4f}).",
                )

    def set_project_budget(self, tenant: str, project: str, budget_usd: float | None) -> None:
        """Set (or with None remove) a project's monthly budget."""
        with self.db.session() as session, session.begin():
            row = session.get(ProjectBudget, (tenant, project))
            if budget_usd is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(ProjectBudget(tenant=tenant, project=project, budget_usd=budget_usd))
            else:
                row.budget_usd = budget_usd
        self._project_budgets.reload()

    def _load_budgets(self) -> dict[tuple[str, str], float]:
        with self.db.session() as session:
            rows = session.scalars(select(ProjectBudget))
            return {(r.tenant, r.project): r.budget_usd for r in rows}

    def _budgets(self) -> dict[tuple[str, str], float]:
        return self._project_budgets.get()

    def _db_spent(self, scope: tuple[str, ...]) -> float:
        cached = self._spent.get(scope)
        if cached is None:
            return self._load_spent(scope)
        if time.monotonic() - cached[0] >= REFRESH_S:
            # Served while a worker thread sums the month again (the unflushed part of the
            # ledger is added by the caller, so the figure is never behind this process).
            self._spent[scope] = (time.monotonic(), cached[1])
            if not in_background(lambda: self._load_spent(scope)):
                return self._load_spent(scope)
        return cached[1]

    def _load_spent(self, scope: tuple[str, ...]) -> float:
        now = time.monotonic()
        query = select(func.coalesce(func.sum(UsageRecord.cost_usd), 0.0)).where(
            UsageRecord.ts >= month_start()
        )
        if scope[0] == "key":
            query = query.where(UsageRecord.key_id == scope[1])
        else:
            query = query.where(UsageRecord.tenant == scope[1], UsageRecord.project == scope[2])
        with self.db.session() as session:
            spent = float(session.scalar(query) or 0.0)
        self._spent[scope] = (now, spent)
        return spent
