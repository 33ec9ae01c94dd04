"""The evals product: built from the platform's core through the `tandem.products` entry
point (`evals = "tandem.apps.evals.product:build"`), like any third-party product."""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tandem.apps.evals.runner import RunExecutor
from tandem.apps.evals.service import EvalsService
from tandem.apps.evals.settings import EvalsSettings
from tandem.apps.evals.store import EvalStore
from tandem.stateful.ids import new_id

if TYPE_CHECKING:
    from tandem.platform import Platform

log = logging.getLogger(__name__)


class EvalsProduct:
    """Routes of /v1/evals, and the executor that runs evals in the background."""

    name = "evals"

    def __init__(self, platform: Platform, settings: EvalsSettings | None = None) -> None:
        self.settings = settings or EvalsSettings()
        data_dir = str(platform.settings.data_dir.resolve())
        # Stable per host and data directory, so a restarted process resumes its own runs;
        # the random part tells this process from its predecessor.
        prefix = f"{socket.gethostname()[:40]}:{hashlib.sha256(data_dir.encode()).hexdigest()[:8]}"
        self.store = EvalStore(platform.controls.db)
        self.executor = RunExecutor(
            self.store,
            platform.service,
            platform.safety.screener.classifier,
            platform.settings.embedding_deployment,
            self.settings,
            f"{prefix}:{new_id('w', 8)}",
        )
        self.service = EvalsService(
            self.store,
            self.executor,
            platform.deployments,
            platform.hosted.files,
            platform.hosted.responses,
            self.settings,
        )

    def routers(self) -> Sequence[APIRouter]:
        """The /v1/evals routes."""
        from tandem.apps.evals.router import router

        return [router]

    async def start(self) -> None:
        """Resume the runs this host's previous process left running."""
        resumed = await self.service.resume()
        if resumed:
            log.info("eval runs resumed after a restart", extra={"runs": resumed})

    async def stop(self) -> None:
        """Stop running evals (they resume at the next start)."""
        await self.executor.stop()


def build(platform: Platform) -> EvalsProduct:
    """The entry point's factory."""
    return EvalsProduct(platform)
