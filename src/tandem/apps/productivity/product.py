"""The one place the productivity assistant is wired into the platform (a plugin refactor can
move this function whole): its settings, its service and its router."""

from __future__ import annotations

from fastapi import APIRouter

from tandem.apps.productivity.limits import ProductivitySettings
from tandem.apps.productivity.service import ProductivityService
from tandem.config import Settings
from tandem.gateway.service import ModelService


def build_productivity(settings: Settings, models: ModelService) -> ProductivityService:
    """The assistant's service, over the platform's model service."""
    return ProductivityService(models, ProductivitySettings.from_settings(settings))


def productivity_router() -> APIRouter:
    """The assistant's HTTP routes."""
    from tandem.api.productivity.router import router

    return router
