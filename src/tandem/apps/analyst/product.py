"""The data analyst as a product, registered through the `tandem.products` entry point
(`analyst = "tandem.apps.analyst.product:build"`) like any third-party product."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter
from pydantic_settings import BaseSettings, SettingsConfigDict

from tandem.apps.analyst.chart_files import ChartFiles
from tandem.apps.analyst.conversations import Conversations
from tandem.apps.analyst.datasets import DatasetStore
from tandem.apps.analyst.service import AnalystService
from tandem.config import DEFAULT_CHAT_DEPLOYMENT
from tandem.products import product_settings
from tandem.store.shared_files import SharedFiles

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "analyst"


class AnalystSettings(BaseSettings):
    """`[analyst]` in tandem.toml, `TANDEM_ANALYST_*` in the environment."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_ANALYST_", extra="forbid")

    deployment: str = DEFAULT_CHAT_DEPLOYMENT


class AnalystProduct:
    """Datasets, their semantic models, questions and charts."""

    name = NAME

    def __init__(self, platform: Platform, settings: AnalystSettings) -> None:
        self.settings = settings
        data_dir = platform.settings.data_dir
        # On PostgreSQL the files live in the database, so every replica serves them.
        shared = SharedFiles(platform.db) if platform.db.dialect == "postgresql" else None
        self.datasets = DatasetStore(data_dir / "datasets", shared)
        self.service = AnalystService(
            self.datasets,
            platform.service,
            ChartFiles(data_dir / "charts", shared),
            Conversations(platform.db),
            settings.deployment,
        )

    def routers(self) -> Sequence[APIRouter]:
        """/v1/datasets and /v1/analyst."""
        from tandem.apps.analyst.router import ask_router, router

        return [router, ask_router]

    async def start(self) -> None:
        """Nothing to start: datasets are read when asked for."""

    async def stop(self) -> None:
        """Close the sandboxes."""
        self.service.close()


def build(platform: Platform) -> AnalystProduct:
    """The entry point's factory."""
    return AnalystProduct(platform, product_settings(platform.settings, NAME, AnalystSettings))
