"""The platform object: everything `create_app` builds, in one place, no globals."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TypeVar

from tandem.backends.base import BackendContext
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.errors import ConflictError, InvalidRequestError, NotFoundError
from tandem.gateway.service import ModelService
from tandem.governance.controls import Controls
from tandem.governance.principal import Principal
from tandem.knowledge.postgres import SharedKnowledgeStore
from tandem.knowledge.service import KnowledgeService
from tandem.knowledge.store import KnowledgeBases, KnowledgeStore
from tandem.metrics import Metrics
from tandem.products import Product, ProductFactory, installed_factories
from tandem.routing.deployments import Deployment, DeploymentTable, start_deployment
from tandem.routing.persisted import TOPIC as DEPLOYMENTS_TOPIC
from tandem.routing.persisted import PersistedDeployments
from tandem.routing.persisted import fingerprint as deployments_fingerprint
from tandem.routing.router import Router
from tandem.safety.layer import SafetyLayer
from tandem.safety.policy import TOPIC as POLICIES_TOPIC
from tandem.safety.policy import fingerprint as policies_fingerprint
from tandem.stateful import Hosted, build_hosted
from tandem.store.engine import Database, database_url

log = logging.getLogger(__name__)

P = TypeVar("P")


@dataclass
class Platform:
    """The core of one running Tandem, and the products built over it.

    The core: settings, the one database, controls, safety, deployments and the router, the
    gateway (`service`), the OpenAI stateful services (`hosted`) and the retrieval engine
    they and the products search with (`knowledge`). Everything else is a product.
    """

    settings: Settings
    db: Database
    registry: BackendRegistry
    deployments: DeploymentTable
    router: Router
    service: ModelService
    metrics: Metrics
    controls: Controls
    safety: SafetyLayer
    knowledge: KnowledgeService
    persisted: PersistedDeployments
    hosted: Hosted
    products: dict[str, Product] = field(default_factory=dict)
    _factories: dict[str, ProductFactory] = field(default_factory=dict)
    _starting: list[asyncio.Task[None]] = field(default_factory=list)
    _syncing: set[asyncio.Task[None]] = field(default_factory=set)
    _registering: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def build(
        cls,
        settings: Settings,
        registry: BackendRegistry | None = None,
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
        # One database, built here and handed to every part that keeps rows.
        db = Database(database_url(settings.database_url, settings.data_dir))
        controls = Controls(settings, db)
        safety = SafetyLayer(db, controls.audit, settings.safety_retention_days)
        service = ModelService(router, metrics, controls, safety)
        knowledge = KnowledgeService(
            knowledge_store(settings, db), service, settings.embedding_deployment
        )
        platform = cls(
            settings=settings,
            db=db,
            registry=registry,
            deployments=deployments,
            router=router,
            service=service,
            metrics=metrics,
            controls=controls,
            safety=safety,
            knowledge=knowledge,
            persisted=PersistedDeployments(db),
            hosted=build_hosted(settings, db, controls.keys, service, knowledge),
        )
        # Changes other replicas (or the CLI) make reach this one at once.
        changes = controls.changes
        changes.subscribe(POLICIES_TOPIC, safety.policies.invalidate, policies_fingerprint)
        changes.subscribe(DEPLOYMENTS_TOPIC, platform._deployments_changed, deployments_fingerprint)
        # Products installed through the `tandem.products` entry points (or those given).
        platform._build_products(installed_factories() if products is None else products)
        return platform

    def product(self, name: str, kind: type[P]) -> P:
        """The product registered as `name`, checked to be a `kind`; one not built yet (a
        product another one needs while it builds) is built first."""
        found = self.products.get(name)
        if found is None and name in self._factories:
            found = self._build_product(name)
        if not isinstance(found, kind):
            raise NotFoundError(f"the '{name}' product is not installed on this server")
        return found

    def _build_products(self, factories: dict[str, ProductFactory]) -> None:
        """Build each product over the core; one that fails is left out, logged."""
        self._factories = dict(factories)
        for name in factories:
            if name in self._factories:
                self._build_product(name)

    def _build_product(self, name: str) -> Product | None:
        factory = self._factories.pop(name)  # popped first: a cycle finds it missing
        try:
            product = factory(self)
        except Exception:
            log.exception("product failed to build", extra={"product": name})
            return None
        if not isinstance(product, Product):
            log.error("entry point is not a tandem Product", extra={"product": name})
            return None
        self.products[name] = product
        return product

    async def start(self) -> None:
        """Migrate, register configured and saved deployments, load models in the background."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self.db.upgrade)
        await self.controls.start()
        await asyncio.to_thread(self.safety.apply_configured, self.settings.safety_policies)
        await asyncio.to_thread(self.safety.warm)
        configured = self.settings.all_deployments()
        names = {c.name for c in configured}
        async with self._registering:
            saved = [c for c in self.persisted.load() if c.name not in names]
            sources = [(c, "config") for c in configured] + [(c, "runtime") for c in saved]
            for config, source in sources:
                deployment = self.deployments.build(config, source=source)
                await self.deployments.add(deployment, start=False)
                self._starting.append(asyncio.create_task(self._start_one(deployment)))
        await self.hosted.start()
        for product in self.products.values():
            await product.start()

    def _deployments_changed(self) -> None:
        """Another replica added or removed a deployment: follow it (off the caller)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self.sync_deployments(), name="sync-deployments")
        self._syncing.add(task)
        task.add_done_callback(self._syncing.discard)

    async def sync_deployments(self) -> None:
        """Serve exactly the saved runtime deployments, as every replica does: add the ones
        another replica added, drop the ones it removed (configured ones stay)."""
        async with self._registering:
            saved = {c.name: c for c in await asyncio.to_thread(self.persisted.load)}
            configured = {c.name for c in self.settings.all_deployments()}
            for name, config in saved.items():
                if name not in configured and name not in self.deployments:
                    try:
                        deployment = self.deployments.build(config, source="runtime")
                        await self.deployments.add(deployment, start=True)
                    except Exception:
                        log.exception(
                            "a deployment added elsewhere failed here", extra={"deployment": name}
                        )
            for deployment in list(self.deployments):
                if deployment.source == "runtime" and deployment.name not in saved:
                    await self.deployments.remove(deployment.name)

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
        for task in [*self._starting, *self._syncing]:
            task.cancel()
        await asyncio.gather(*self._starting, *self._syncing, return_exceptions=True)
        for product in reversed(list(self.products.values())):
            try:
                await product.stop()
            except Exception:
                log.exception("product failed to stop", extra={"product": product.name})
        await self.hosted.stop()
        await self.deployments.close()
        await self.safety.drain()
        await self.controls.stop()
        self.db.dispose()

    async def add_deployment(self, config: DeploymentConfig, actor: Principal) -> Deployment:
        """Add a deployment at run time, remember it across restarts, record who did."""
        if config.name in self.deployments:
            raise ConflictError(f"deployment '{config.name}' already exists", param="name")
        deployment = self.deployments.build(config, source="runtime")
        async with self._registering:
            await self.deployments.add(deployment, start=True)
            await asyncio.to_thread(self.persisted.add, config)
        await asyncio.to_thread(
            self.controls.audit.by,
            actor,
            action="deployment.add",
            target=config.name,
            details={"backends": [t.backend for t in config.targets]},
        )
        return deployment

    async def remove_deployment(self, name: str, actor: Principal) -> None:
        """Remove a deployment added at run time, and record who did."""
        if self.deployments.get(name).source != "runtime":
            raise InvalidRequestError(
                f"deployment '{name}' comes from the configuration file; edit it there",
                param="name",
            )
        async with self._registering:
            await self.deployments.remove(name)
            await asyncio.to_thread(self.persisted.remove, name)
        await asyncio.to_thread(
            self.controls.audit.by, actor, action="deployment.remove", target=name
        )


def knowledge_store(settings: Settings, db: Database) -> KnowledgeBases:
    """Knowledge bases in the shared PostgreSQL when the platform runs on it (every replica
    serves the same ones), else one SQLite file each in the data directory."""
    if db.dialect == "postgresql":
        return SharedKnowledgeStore(db)
    return KnowledgeStore(settings.data_dir / "knowledge")
