"""Knowledge bases over HTTP as a product, registered through the `tandem.products` entry point
(`knowledge = "tandem.apps.knowledge.product:build"`). The retrieval engine it serves is the
core's (`platform.knowledge`), the same one the OpenAI vector-store API is built on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tandem.knowledge.service import KnowledgeService

if TYPE_CHECKING:
    from tandem.platform import Platform

NAME = "knowledge"


class KnowledgeProduct:
    """/v1/knowledge-bases: create, upload, list documents, search."""

    name = NAME
    settings = None  # the engine's settings are the core's (`embedding_deployment`)

    def __init__(self, service: KnowledgeService) -> None:
        self.service = service

    def routers(self) -> Sequence[APIRouter]:
        """The knowledge-base routes."""
        from tandem.apps.knowledge.router import router

        return [router]

    async def start(self) -> None:
        """Nothing to start: indexes open when asked for."""

    async def stop(self) -> None:
        """Nothing to release: every index is closed after each use."""


def build(platform: Platform) -> KnowledgeProduct:
    """The entry point's factory."""
    return KnowledgeProduct(platform.knowledge)
