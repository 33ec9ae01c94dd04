"""Per-backend health: consecutive failures and the cooldown they trigger."""

from __future__ import annotations

from dataclasses import dataclass


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
