"""The productivity assistant as a product, registered through the `tandem.products` entry
point (`productivity = "tandem.apps.productivity.product:build"`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tandem.apps.productivity.limits import ProductivitySettings
from tandem.apps.productivity.service import ProductivityService
from tandem.config import DEFAULT_CHAT_DEPLOYMENT
from tandem.errors import NotFoundError
from tandem.products import product_settings

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "productivity"


class ProductivityProduct:
    """Summaries, decks, workbook insights, rewrites and drafts over Office files."""

    name = NAME

    def __init__(self, platform: Platform, settings: ProductivitySettings) -> None:
        self.settings = settings
        self.service = ProductivityService(platform.service, settings)

    def routers(self) -> Sequence[APIRouter]:
        """/v1/productivity."""
        from tandem.apps.productivity.router import router

        return [router]

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to release."""


def build(platform: Platform) -> ProductivityProduct:
    """The entry point's factory; the deployment falls back to the analyst's."""
    settings = product_settings(platform.settings, NAME, ProductivitySettings)
    if settings.deployment is None:
        settings.deployment = _analyst_deployment(platform)
    return ProductivityProduct(platform, settings)


def _analyst_deployment(platform: Platform) -> str:
    from tandem.apps.analyst.product import AnalystProduct

    try:
        return platform.product("analyst", AnalystProduct).settings.deployment
    except NotFoundError:
        return DEFAULT_CHAT_DEPLOYMENT
