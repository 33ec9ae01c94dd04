"""The console product: sessions, templates, vendored assets and the console's routes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tandem.apps.console.assets import Asset, load_assets
from tandem.apps.console.render import Renderer
from tandem.apps.console.sessions import SessionStore
from tandem.governance.rollups import Rollups

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "console"
ROLL_EVERY_S = 10.0
ROLL_BUDGET_S = 20.0

log = logging.getLogger(__name__)


class ConsoleProduct:
    """What the console keeps between requests."""

    name = NAME
    settings = None  # nothing to configure

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.sessions = SessionStore()
        self.assets: dict[str, Asset] = load_assets()
        self.renderer = Renderer()
        self.rollups = Rollups(platform.db)
        self._roller: asyncio.Task[None] | None = None

    def routers(self) -> Sequence[APIRouter]:
        """Pages under /console, `/` leading there, and offline /docs and /redoc."""
        from tandem.apps.console.datasets_page import router as datasets_router
        from tandem.apps.console.docs import router as docs_router
        from tandem.apps.console.evals_page import router as evals_router
        from tandem.apps.console.operations import router as operations_router
        from tandem.apps.console.overview import router as overview_router
        from tandem.apps.console.pages import router as pages_router
        from tandem.apps.console.playground import router as playground_router
        from tandem.apps.console.safety_page import router as safety_router
        from tandem.apps.console.workspaces import router as workspaces_router

        return [
            pages_router,
            overview_router,
            playground_router,
            evals_router,
            operations_router,
            safety_router,
            workspaces_router,
            datasets_router,
            docs_router,
        ]

    async def start(self) -> None:
        """Keep the usage rollups up with the ledger in the background."""
        self._roller = asyncio.create_task(self._roll_forever())

    async def _roll_forever(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.rollups.roll_all, ROLL_BUDGET_S)
            except Exception:
                log.exception("rolling up usage failed; retrying")
            await asyncio.sleep(ROLL_EVERY_S)

    async def stop(self) -> None:
        """Stop rolling up and forget every session."""
        if self._roller is not None:
            self._roller.cancel()
            await asyncio.gather(self._roller, return_exceptions=True)
        self.sessions = SessionStore()


def build(platform: Platform) -> ConsoleProduct:
    """The entry point named in pyproject.toml (`tandem.products`)."""
    return ConsoleProduct(platform)
