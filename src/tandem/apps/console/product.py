"""The console product: sessions, templates, vendored assets and the console's routes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tandem.apps.console.assets import Asset, load_assets
from tandem.apps.console.render import Renderer
from tandem.apps.console.sessions import SessionStore

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "console"


class ConsoleProduct:
    """What the console keeps between requests."""

    name = NAME
    settings = None  # nothing to configure

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.sessions = SessionStore()
        self.assets: dict[str, Asset] = load_assets()
        self.renderer = Renderer()

    def routers(self) -> Sequence[APIRouter]:
        """Pages under /console, `/` leading there, and offline /docs and /redoc."""
        from tandem.apps.console.docs import router as docs_router
        from tandem.apps.console.evals_page import router as evals_router
        from tandem.apps.console.operations import router as operations_router
        from tandem.apps.console.pages import router as pages_router

        return [pages_router, evals_router, operations_router, docs_router]

    async def start(self) -> None:
        """Nothing to start: sessions and assets are in memory."""

    async def stop(self) -> None:
        """Forget every session."""
        self.sessions = SessionStore()


def build(platform: Platform) -> ConsoleProduct:
    """The entry point named in pyproject.toml (`tandem.products`)."""
    return ConsoleProduct(platform)
