"""The adoption advisor as a product: registered through the `tandem.products` entry point
(`advisor = "tandem.apps.advisor.product:build"`), like any third-party product."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tandem.apps.advisor.store import AssessmentStore

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "advisor"


class AdvisorProduct:
    """The checklist, the scoring model and the tenant's stored assessments."""

    name = NAME
    settings = None  # nothing to configure

    def __init__(self, store: AssessmentStore) -> None:
        self.store = store

    def routers(self) -> Sequence[APIRouter]:
        """GET /v1/advisor/questions and /v1/advisor/assessments."""
        from tandem.apps.advisor.router import router

        return [router]

    async def start(self) -> None:
        """Nothing to start: the table comes with the platform's migrations."""

    async def stop(self) -> None:
        """Nothing to release."""


def build(platform: Platform) -> AdvisorProduct:
    """The product over the platform's database."""
    return AdvisorProduct(AssessmentStore(platform.controls.db))
