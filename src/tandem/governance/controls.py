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
from tandem.governance.budgets import BudgetExceededError, BudgetGuard, cost_usd
from tandem.governance.keys import TOPIC as KEYS_TOPIC
from tandem.governance.keys import KeyStore
from tandem.governance.keys import fingerprint as keys_fingerprint
from tandem.governance.ledger import UsageEvent, UsageLedger, now
from tandem.governance.principal import Principal, open_principal, platform_principal
from tandem.governance.quotas import Admission, InProcessLimiter, Limit, Limiter, RedisLimiter
from tandem.store.changes import ChangeFeed
from tandem.store.engine import Database, database_url

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

    def __init__(self, settings: Settings, limiter: Limiter | None = None) -> None:
        self.settings = settings
        self.db = Database(database_url(settings.database_url, settings.data_dir))
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

    async def start(self) -> None:
        """Migrate the schema, start the ledger writer (replaying crash journals) and begin
        hearing of changes other replicas and the CLI make."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self.db.upgrade)
        await self.ledger.start()
        await self.changes.start()

    async def stop(self) -> None:
        """Flush the ledger and close connections."""
        await self.changes.stop()
        await self.ledger.stop()
        await self.limiter.close()
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
            self.budgets.check(principal)
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

    async def settle(
        self,
        ticket: Ticket,
        *,
        status: str,
        usage: Any = None,
        backend: str = "",
        safety: str = "none",
    ) -> None:
        """Record how the request ended, with its real usage, and reconcile TPM."""
        if self._record(ticket, status, usage, backend, safety) and usage is not None:
            try:
                await self.limiter.reconcile(ticket.admission, sum(_usage_tokens(usage)))
            except Exception:
                log.exception("quota reconciliation failed")

    def ledger_settle_nowait(
        self,
        ticket: Ticket,
        *,
        status: str,
        usage: Any = None,
        backend: str = "",
        safety: str = "none",
    ) -> None:
        """Settle from a place that must not await (a stream's cleanup); reconcile later."""
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
        self.ledger.record(
            replace(
                ticket.event,
                backend=backend,
                prompt_tokens=prompt,
                completion_tokens=completion,
                latency_ms=round((time.perf_counter() - ticket.started) * 1000, 2),
                status=status,
                cost_usd=cost_usd(prompt, completion, ticket.prices),
                safety=safety,
            )
        )
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
