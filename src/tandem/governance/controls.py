"""The enterprise controls every model request passes: authentication, allow-lists,
budgets, RPM/TPM admission, and accounting in the usage ledger."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any

from tandem.config import DeploymentConfig, Settings
from tandem.errors import AuthenticationError, TandemError
from tandem.governance.audit import AuditLog
from tandem.governance.budgets import TOPIC as BUDGETS_TOPIC
from tandem.governance.budgets import Budget, BudgetExceededError, BudgetGuard, cost_usd
from tandem.governance.budgets import fingerprint as budgets_fingerprint
from tandem.governance.keys import TOPIC as KEYS_TOPIC
from tandem.governance.keys import IssuedKey, KeySpec, KeyStore
from tandem.governance.keys import fingerprint as keys_fingerprint
from tandem.governance.ledger import UsageEvent, UsageLedger, now
from tandem.governance.principal import Principal, open_principal, platform_principal
from tandem.governance.quotas import Admission, InProcessLimiter, Limit, Limiter, RedisLimiter
from tandem.store.changes import ChangeFeed
from tandem.store.engine import Database, database_url
from tandem.store.models import ApiKey

log = logging.getLogger(__name__)


@dataclass
class Ticket:
    """An admitted model request, until it is settled in the ledger."""

    event: UsageEvent
    admission: Admission
    prices: tuple[float, float]
    prompt_estimate: int = 0
    started: float = field(default_factory=time.perf_counter)
    settled: bool = False

    def headers(self) -> dict[str, str]:
        """x-ratelimit-* headers for the response."""
        return self.admission.headers()


class Controls:
    """Keys, quotas, budgets, ledger and audit, built from settings."""

    def __init__(
        self, settings: Settings, db: Database | None = None, limiter: Limiter | None = None
    ) -> None:
        self.settings = settings
        # Given by the platform (which migrates and closes it), or this object's own.
        self._owns_db = db is None
        self.db = db or Database(database_url(settings.database_url, settings.data_dir))
        self.keys = KeyStore(self.db)
        self.audit = AuditLog(self.db)
        self.ledger = UsageLedger(self.db, settings.data_dir / "ledger")
        self.budgets = BudgetGuard(self.db, self.ledger)
        self.limiter = limiter or (
            RedisLimiter(settings.redis_url) if settings.redis_url else InProcessLimiter()
        )
        self._background: set[asyncio.Task[None]] = set()
        self.changes = ChangeFeed(self.db)
        self.changes.subscribe(KEYS_TOPIC, self.keys.invalidate, keys_fingerprint)
        self.changes.subscribe(BUDGETS_TOPIC, self.budgets.invalidate, budgets_fingerprint)

    async def start(self) -> None:
        """Migrate the schema, start the ledger writer (replaying crash journals) and begin
        hearing of changes other replicas and the CLI make."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        if self._owns_db:
            await asyncio.to_thread(self.db.upgrade)
        await self.ledger.start()
        await asyncio.to_thread(self.warm)
        await self.changes.start()

    def warm(self) -> None:
        """Read what every request needs (budgets, whether a key exists) before serving."""
        self.budgets.warm()
        self.keys.ever_issued()

    async def stop(self) -> None:
        """Flush the ledger and close connections."""
        await self.changes.stop()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.ledger.stop()
        await self.limiter.close()
        if self._owns_db:
            self.db.dispose()

    # -- authentication ---------------------------------------------------------------------

    def open_mode(self, client_host: str | None) -> bool:
        """No key needed: auth is off, or 'auto' on loopback while no key has ever existed
        (revoking every key leaves the server locked: open mode ends for good)."""
        if self.settings.auth == "off":
            return True
        if self.settings.auth == "keys" or self.settings.admin_key is not None:
            return False
        return _is_loopback(client_host) and not self.keys.ever_issued()

    async def authenticate_request(
        self, presented: str | None, client_host: str | None
    ) -> Principal:
        """`authenticate` for a request on the event loop: from memory when it can be, else
        in a worker thread (a key seen for the first time, open mode not yet known)."""
        keys = self.keys
        in_memory = (not presented or keys.known(presented)) and (
            self.settings.auth != "auto"
            or self.settings.admin_key is not None
            or keys.knows_if_issued()
        )
        if in_memory:
            return self.authenticate(presented, client_host)
        return await asyncio.to_thread(self.authenticate, presented, client_host)

    def authenticate(self, presented: str | None, client_host: str | None) -> Principal:
        """The principal behind a request's key (or the open principal in open mode)."""
        admin = self.settings.admin_key
        if (
            presented
            and admin is not None
            and hmac.compare_digest(presented.encode(), admin.get_secret_value().encode())
        ):
            return platform_principal()
        if self.open_mode(client_host):
            if presented and presented.startswith("sk-"):
                try:
                    return self.keys.verify(presented)
                except AuthenticationError:
                    pass
            return open_principal()
        if not presented:
            raise AuthenticationError(
                "You didn't provide an API key. Send it as 'Authorization: Bearer KEY' "
                "or in the 'api-key' header."
            )
        return self.keys.verify(presented)

    # -- changes an administrator makes, each one audited --------------------------------------

    def issue_key(
        self, actor: Principal, spec: KeySpec, via: str | None = None
    ) -> tuple[IssuedKey, ApiKey]:
        """Issue a key (its secret is in the result only) and record who did (and through
        what, when not the API)."""
        issued = self.keys.create(spec)
        details = {"scope": spec.scope, "project": spec.project, "name": spec.name}
        self.audit.by(
            actor,
            tenant=spec.tenant,
            action="key.create",
            target=issued.id,
            details={**details, "via": via} if via else details,
        )
        return issued, self.keys.get(issued.id, spec.tenant)

    def revoke_key(
        self, actor: Principal, key_id: str, tenant: str | None, via: str | None = None
    ) -> ApiKey:
        """Revoke a key (within `tenant` unless None) and record who did."""
        row = self.keys.revoke(key_id, tenant)
        self.audit.by(
            actor,
            tenant=row.tenant,
            action="key.revoke",
            target=key_id,
            details={"via": via} if via else None,
        )
        return row

    def rotate_key(
        self, actor: Principal, key_id: str, tenant: str | None
    ) -> tuple[IssuedKey, ApiKey]:
        """Replace a key with a new secret and the same rights, and record who did."""
        issued = self.keys.rotate(key_id, tenant)
        row = self.keys.get(issued.id, None)
        self.audit.by(
            actor,
            tenant=row.tenant,
            action="key.rotate",
            target=key_id,
            details={"new_key": issued.id},
        )
        return issued, row

    def set_budget(
        self, actor: Principal, tenant: str, project: str | None, budget: Budget
    ) -> None:
        """Set or clear the monthly budget of a project (`project` None: of the whole
        tenant), and record who did."""
        self.budgets.set_budget(tenant, project, budget)
        self.audit.by(
            actor,
            tenant=tenant,
            action="budget.set",
            target=project if project is not None else "*",
            details={"budget_usd": budget.usd, "budget_tokens": budget.tokens},
        )

    # -- the request path ---------------------------------------------------------------------

    async def admit(
        self,
        principal: Principal,
        deployment: DeploymentConfig,
        operation: str,
        tokens: tuple[int, int],
        request_id: str,
    ) -> Ticket:
        """Check allow-list and budget, admit against RPM/TPM, and journal the request."""
        principal.require_deployment(deployment.name)
        event = UsageEvent(
            request_id=request_id,
            ts=now(),
            tenant=principal.tenant,
            project=principal.project,
            key_id=principal.key_id,
            deployment=deployment.name,
            operation=operation,
        )
        limits = [
            Limit(f"key:{principal.key_id}", principal.rpm, principal.tpm),
            Limit(f"deployment:{deployment.name}", deployment.rpm, deployment.tpm),
        ]
        try:
            if self.budgets.known(principal):
                self.budgets.check(principal)
            else:
                await asyncio.to_thread(self.budgets.check, principal)
            admission = await self.limiter.admit(limits, sum(tokens), request_id)
        except BudgetExceededError:
            self.ledger.record(replace(event, status="budget_exceeded"))
            raise
        except TandemError:
            self.ledger.record(replace(event, status="rate_limited"))
            raise
        self.ledger.admit(event)
        prices = (deployment.prompt_price_per_1k, deployment.completion_price_per_1k)
        return Ticket(event=event, admission=admission, prices=prices, prompt_estimate=tokens[0])

    def settle(
        self,
        ticket: Ticket,
        *,
        status: str,
        usage: Any = None,
        backend: str = "",
        safety: str = "none",
    ) -> None:
        """Record how the request ended, with its real usage, and reconcile TPM in the
        background (a stream's cleanup must not await)."""
        if self._record(ticket, status, usage, backend, safety) and usage is not None:
            task = asyncio.get_running_loop().create_task(
                self.limiter.reconcile(ticket.admission, sum(_usage_tokens(usage)))
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    def _record(self, ticket: Ticket, status: str, usage: Any, backend: str, safety: str) -> bool:
        if ticket.settled:
            return False
        ticket.settled = True
        prompt, completion = _usage_tokens(usage)
        event = replace(
            ticket.event,
            backend=backend,
            prompt_tokens=prompt,
            completion_tokens=completion,
            latency_ms=round((time.perf_counter() - ticket.started) * 1000, 2),
            status=status,
            cost_usd=cost_usd(prompt, completion, ticket.prices),
            safety=safety,
        )
        self.ledger.record(event)
        self.budgets.note(event)
        return True


def _usage_tokens(usage: Any) -> tuple[int, int]:
    if not isinstance(usage, dict):
        return 0, 0
    prompt = usage.get("prompt_tokens")
    completion = usage.get("completion_tokens")
    return (
        prompt if isinstance(prompt, int) else 0,
        completion if isinstance(completion, int) else 0,
    )


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in {"localhost", "testclient"}
