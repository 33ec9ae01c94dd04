"""The customer-service assistant as a product, registered through the `tandem.products` entry
point (`support = "tandem.apps.support.product:build"`); it answers from the knowledge bases
of the `knowledge` product."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from tandem.apps.knowledge.product import KnowledgeProduct
from tandem.apps.support.service import AnswerMode, SupportService
from tandem.config import DEFAULT_CHAT_DEPLOYMENT
from tandem.products import product_settings

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "support"


class SupportSettings(BaseSettings):
    """`[support]` in tandem.toml, `TANDEM_SUPPORT_*` in the environment."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_SUPPORT_", extra="forbid")

    deployment: str = DEFAULT_CHAT_DEPLOYMENT
    answer_mode: AnswerMode = "auto"
    widget_rpm: int = Field(default=120, ge=1, description="model calls per minute per widget key")


class SupportProduct:
    """Grounded chat, handoff to people, tickets and the website widget."""

    name = NAME

    def __init__(self, platform: Platform, settings: SupportSettings) -> None:
        self.settings = settings
        knowledge = platform.product("knowledge", KnowledgeProduct).service
        classifier = platform.safety.screener.classifier
        self.service = SupportService(
            knowledge,
            platform.service,
            platform.db,
            platform.controls.audit,
            classifier,
            settings.deployment,
            settings.answer_mode,
        )

    def routers(self) -> Sequence[APIRouter]:
        """/v1/support and the widget's routes."""
        from tandem.apps.support.router import router
        from tandem.apps.support.widget import router as widget_router

        return [router, widget_router]

    async def start(self) -> None:
        """Nothing to start: conversations live in the platform database."""

    async def stop(self) -> None:
        """Nothing to release."""


def build(platform: Platform) -> SupportProduct:
    """The entry point's factory."""
    return SupportProduct(platform, product_settings(platform.settings, NAME, SupportSettings))
