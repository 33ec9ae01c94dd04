"""The live table of deployments: each a name, weighted backends and fallbacks."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from tandem.backends.base import Backend, BackendContext
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig
from tandem.errors import ConflictError, DeploymentNotFoundError
from tandem.routing.health import TargetHealth, UpstreamProbe
from tandem.wire import JSONObject

log = logging.getLogger(__name__)


@dataclass
class Target:
    """One backend of a deployment, its weight and its health."""

    backend: Backend
    weight: float
    health: TargetHealth


@dataclass
class Deployment:
    """A named deployment as the router sees it."""

    config: DeploymentConfig
    targets: list[Target]
    source: str = "config"
    _rng: random.Random = field(default_factory=random.Random)

    @property
    def name(self) -> str:
        """The deployment's name (the `model` clients send)."""
        return self.config.name

    @property
    def ready(self) -> bool:
        """Whether at least one backend can serve."""
        return any(t.backend.ready for t in self.targets)

    def serving(self, now: float) -> bool:
        """Whether a backend is loaded and not cooling down after failures."""
        return any(t.backend.ready and t.health.available(now) for t in self.targets)

    def state(self, now: float) -> str:
        """'ready', 'loading' (no backend loaded yet) or 'cooling_down' (all failing)."""
        if self.serving(now):
            return "ready"
        return "cooling_down" if self.ready else "loading"

    def queue_depth(self) -> int:
        """Requests waiting across this deployment's backends."""
        return sum(t.backend.queue_depth() for t in self.targets)

    def pick(self, now: float, tried: set[int]) -> Target | None:
        """A weighted random choice among backends not cooling down, untried ones first."""
        healthy = [t for t in self.targets if t.health.available(now)]
        fresh = [t for t in healthy if id(t) not in tried] or healthy
        if not fresh:
            return None
        return self._rng.choices(fresh, weights=[t.weight for t in fresh])[0]

    def next_available_at(self) -> float:
        """When the first cooling backend becomes available again."""
        return min(t.health.cooldown_until for t in self.targets)


class DeploymentTable:
    """Deployments by name; built from config and changeable at run time."""

    def __init__(self, registry: BackendRegistry, context: BackendContext) -> None:
        self._registry = registry
        self._context = context
        self._deployments: dict[str, Deployment] = {}
        self._lock = asyncio.Lock()
        self.probe = UpstreamProbe()  # readiness checks of upstream servers

    def __iter__(self) -> Iterator[Deployment]:
        return iter(list(self._deployments.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._deployments

    def get(self, name: str) -> Deployment:
        """The deployment called `name`, or a 404."""
        deployment = self._deployments.get(name)
        if deployment is None:
            raise DeploymentNotFoundError(
                f"The model '{name}' does not exist or you do not have access to it.",
                param="model",
            )
        return deployment

    def build(self, config: DeploymentConfig, source: str = "config") -> Deployment:
        """Validate a deployment's backends and build them (nothing is started)."""
        targets = [
            Target(
                backend=self._registry.create(t.backend, t.options, self._context),
                weight=t.weight,
                health=TargetHealth(threshold=config.cooldown_after, cooldown_s=config.cooldown_s),
            )
            for t in config.targets
        ]
        return Deployment(config=config, targets=targets, source=source)

    async def add(self, deployment: Deployment, *, start: bool = True) -> None:
        """Register a deployment; with `start`, wait for its backends to start."""
        async with self._lock:
            if deployment.name in self._deployments:
                raise ConflictError(f"deployment '{deployment.name}' already exists", param="name")
            self._deployments[deployment.name] = deployment
        if start:
            await start_deployment(deployment)

    async def remove(self, name: str) -> Deployment:
        """Unregister a deployment and close its backends."""
        async with self._lock:
            deployment = self.get(name)
            del self._deployments[name]
        await close_deployment(deployment)
        return deployment

    async def close(self) -> None:
        """Close every backend."""
        for deployment in list(self._deployments.values()):
            await close_deployment(deployment)
        self._deployments.clear()


async def start_deployment(deployment: Deployment) -> None:
    """Start every backend of a deployment."""
    for target in deployment.targets:
        await target.backend.start()
    log.info("deployment ready", extra={"deployment": deployment.name})


async def close_deployment(deployment: Deployment) -> None:
    """Close every backend of a deployment, logging (not hiding) failures."""
    for target in deployment.targets:
        try:
            await target.backend.close()
        except Exception:
            log.exception("closing a backend failed", extra={"deployment": deployment.name})


def describe(deployment: Deployment) -> JSONObject:
    """A deployment's configuration and live state (secrets masked)."""
    config = deployment.config.model_dump(mode="json")
    for target in config["targets"]:
        if "api_key" in target["options"]:
            target["options"]["api_key"] = "***"
    return {
        **config,
        "source": deployment.source,
        "ready": deployment.ready,
        "queue_depth": deployment.queue_depth(),
        "backends": [
            {
                "label": t.backend.label,
                "weight": t.weight,
                "consecutive_failures": t.health.consecutive_failures,
                "cooling_down": t.health.cooldown_until > 0
                and t.health.consecutive_failures >= t.health.threshold,
            }
            for t in deployment.targets
        ],
    }
