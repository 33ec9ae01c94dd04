"""Once a server has started, what it loaded is frozen out of the cyclic GC and young
objects are collected rarely (requests free nearly everything by reference counting)."""

from __future__ import annotations

import asyncio
import gc

from tandem.app import GC_YOUNG_THRESHOLD, create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import Settings
from tandem.platform import Platform


async def test_started_server_freezes_and_collects_young_objects_rarely(
    settings: Settings, registry: BackendRegistry
) -> None:
    before = gc.get_threshold()
    app = create_app(settings, Platform.build(settings, registry))
    try:
        async with app.router.lifespan_context(app):
            for _ in range(200):
                if gc.get_threshold()[0] == GC_YOUNG_THRESHOLD:
                    break
                await asyncio.sleep(0.05)
            assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, before[1], before[2])
            assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
