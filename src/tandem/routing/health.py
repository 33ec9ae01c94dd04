"""Per-backend health: consecutive failures and the cooldown they trigger."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tandem.routing.deployments import Deployment

PROBE_EVERY_S = 5.0
log = logging.getLogger(__name__)


@dataclass
class TargetHealth:
    """Circuit-breaker state of one backend of a deployment.

    After `threshold` consecutive failures the backend cools down for `cooldown_s`; when the
    cooldown ends one request is let through, and a further failure cools it down again.
    """

    threshold: int
    cooldown_s: float
    consecutive_failures: int = 0
    cooldown_until: float = 0.0

    def available(self, now: float) -> bool:
        """Whether the backend may take a request at `now`."""
        return now >= self.cooldown_until

    def record_success(self) -> None:
        """A request succeeded: close the breaker."""
        self.consecutive_failures = 0
        self.cooldown_until = 0.0

    def record_failure(self, now: float) -> None:
        """A request failed in a way that says the backend is unwell."""
        self.consecutive_failures += 1
        if self.consecutive_failures >= self.threshold:
            self.cooldown_until = now + self.cooldown_s

    def record_unreachable(self, now: float) -> None:
        """A readiness probe found the backend's server down: cool down at once."""
        self.consecutive_failures = max(self.consecutive_failures, self.threshold)
        self.cooldown_until = max(self.cooldown_until, now + self.cooldown_s)


class UpstreamProbe:
    """Asks every backend with a server of its own whether it answers, at most every
    PROBE_EVERY_S (the readiness route calls `refresh`); one that does not is cooled down
    as repeated failures would have done, so /readyz and the router see an upstream that
    is down before a request has to fail on it. Concurrent callers share one round."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last = float("-inf")
        self._round: asyncio.Task[None] | None = None

    async def refresh(self, deployments: Iterable[Deployment]) -> None:
        """Probe now unless a round is recent; wait for the round in flight."""
        if self._round is None or self._round.done():
            if self._clock() - self._last < PROBE_EVERY_S:
                return
            self._last = self._clock()
            self._round = asyncio.create_task(self._probe_all(list(deployments)))
        await asyncio.shield(self._round)

    async def _probe_all(self, deployments: list[Deployment]) -> None:
        targets = [t for d in deployments for t in d.targets if t.backend.ready]
        answers = await asyncio.gather(
            *(t.backend.probe() for t in targets), return_exceptions=True
        )
        now = self._clock()
        for target, answer in zip(targets, answers, strict=True):
            if answer is False or isinstance(answer, Exception):
                if target.health.available(now):
                    log.warning("backend %s does not answer; cooling it down", target.backend.label)
                target.health.record_unreachable(now)
