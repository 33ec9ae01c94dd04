"""The platform object: everything `create_app` builds, in one place, no globals."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TypeVar

from tandem.apps.analyst.datasets import DatasetStore
from tandem.apps.analyst.service import AnalystService
from tandem.apps.productivity.product import build_productivity
from tandem.apps.productivity.service import ProductivityService
from tandem.apps.support.service import SupportService
from tandem.backends.base import BackendContext
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.errors import ConflictError, InvalidRequestError, NotFoundError
from tandem.gateway.service import ModelService
from tandem.governance.controls import Controls
from tandem.knowledge.service import KnowledgeService
from tandem.knowledge.store import KnowledgeStore
from tandem.metrics import Metrics
from tandem.products import Product, ProductFactory, build_products
from tandem.routing.deployments import Deployment, DeploymentTable, start_deployment
from tandem.routing.persisted import PersistedDeployments
from tandem.routing.router import Router
from tandem.safety.layer import SafetyLayer
from tandem.stateful import Hosted, build_hosted

log = logging.getLogger(__name__)

P = TypeVar("P")


@dataclass
class Platform:
    """Settings, deployments, router and services of one running Tandem."""

    settings: Settings
    registry: BackendRegistry
    deployments: DeploymentTable
    router: Router
    service: ModelService
    metrics: Metrics
    controls: Controls
    safety: SafetyLayer
    datasets: DatasetStore
    analyst: AnalystService
    knowledge: KnowledgeService
    support: SupportService
    productivity: ProductivityService
    persisted: PersistedDeployments
    hosted: Hosted
    products: dict[str, Product] = field(default_factory=dict)
    _starting: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        settings: Settings,
        registry: BackendRegistry | None = None,
        controls: Controls | None = None,
        products: dict[str, ProductFactory] | None = None,
        **context_extra: object,
    ) -> Platform:
        """Wire the platform from settings (nothing is loaded or started yet)."""
        registry = registry or BackendRegistry.from_entry_points()
        context = BackendContext(
            data_dir=settings.data_dir,
            queue_size=settings.queue_size,
            max_generation_s=settings.max_generation_s,
            extra=dict(context_extra),
        )
        deployments = DeploymentTable(registry, context)
        router = Router(deployments)
        metrics = Metrics()
        metrics.watch_queues(lambda: [(d.name, d.queue_depth()) for d in deployments])
        controls = controls or Controls(settings)
        safety = SafetyLayer(controls.db, controls.audit, settings.safety_retention_days)
        service = ModelService(router, metrics, controls, safety)
        datasets = DatasetStore(settings.data_dir / "datasets")
        analyst = AnalystService(
            datasets, service, settings.data_dir / "charts", settings.analyst_deployment
        )
        knowledge = KnowledgeService(
            KnowledgeStore(settings.data_dir / "knowledge"), service, settings.embedding_deployment
        )
        support = SupportService(
            knowledge, service, controls.db, safety.screener.classifier,
            settings.support_deployment, settings.support_answer_mode,
        )  # fmt: skip
        platform = cls(
            settings=settings,
            registry=registry,
            deployments=deployments,
            router=router,
            service=service,
            metrics=metrics,
            controls=controls,
            safety=safety,
            datasets=datasets,
            analyst=analyst,
            knowledge=knowledge,
            support=support,
            productivity=build_productivity(settings, service),
            persisted=PersistedDeployments(controls.db),
            hosted=build_hosted(settings, controls.db, controls.keys, service, knowledge),
        )
        # Products installed through the `tandem.products` entry points (or those given).
        platform.products = build_products(platform, products)
        return platform

    def product(self, name: str, kind: type[P]) -> P:
        """The product registered as `name`, checked to be a `kind`."""
        found = self.products.get(name)
        if not isinstance(found, kind):
            raise NotFoundError(f"the '{name}' product is not installed on this server")
        return found

    async def start(self) -> None:
        """Migrate, register configured and saved deployments, load models in the background."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        await self.controls.start()
        await asyncio.to_thread(self.safety.apply_configured, self.settings.safety_policies)
        await asyncio.to_thread(self.safety.warm)
        configured = self.settings.all_deployments()
        names = {c.name for c in configured}
        saved = [c for c in self.persisted.load() if c.name not in names]
        for config, source in [(c, "config") for c in configured] + [(c, "runtime") for c in saved]:
            deployment = self.deployments.build(config, source=source)
            await self.deployments.add(deployment, start=False)
            self._starting.append(asyncio.create_task(self._start_one(deployment)))
        await self.hosted.start()
        for product in self.products.values():
            await product.start()

    async def _start_one(self, deployment: Deployment) -> None:
        try:
            await start_deployment(deployment)
        except Exception:
            log.exception("deployment failed to start", extra={"deployment": deployment.name})

    async def wait_started(self) -> None:
        """Wait until every deployment's backends have started (or failed to)."""
        await asyncio.gather(*self._starting, return_exceptions=True)

    async def stop(self) -> None:
        """Cancel loading and close every backend."""
        for task in self._starting:
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        for product in reversed(list(self.products.values())):
            try:
                await product.stop()
            except Exception:
                log.exception("product failed to stop", extra={"product": product.name})
        await self.hosted.stop()
        await self.deployments.close()
        await self.safety.drain()
        self.analyst.close()
        await self.controls.stop()

    async def add_deployment(self, config: DeploymentConfig) -> Deployment:
        """Add a deployment at run time and remember it across restarts."""
        if config.name in self.deployments:
            raise ConflictError(f"deployment '{config.name}' already exists", param="name")
        deployment = self.deployments.build(config, source="runtime")
        await self.deployments.add(deployment, start=True)
        self.persisted.add(config)
        return deployment

    async def remove_deployment(self, name: str) -> None:
        """Remove a deployment added at run time."""
        if self.deployments.get(name).source != "runtime":
            raise InvalidRequestError(
                f"deployment '{name}' comes from the configuration file; edit it there",
                param="name",
            )
        await self.deployments.remove(name)
        self.persisted.remove(name)
