"""Background work (batch lines) takes an embedded model only when no interactive request
is waiting."""

from __future__ import annotations

import asyncio

from tandem.backends.generation_queue import BACKGROUND, GenerationQueue


async def test_interactive_waiters_go_before_background_ones() -> None:
    queue: GenerationQueue[str] = GenerationQueue(8, "t")
    order: list[str] = []
    release = asyncio.Event()

    async def use(name: str, background: bool, hold: bool = False) -> None:
        BACKGROUND.set(background)
        async with queue.turn():
            order.append(name)
            if hold:
                await release.wait()

    holder = asyncio.create_task(use("batch-1", True, hold=True))
    await asyncio.sleep(0.01)
    waiting = [asyncio.create_task(use("batch-2", True)), asyncio.create_task(use("batch-3", True))]
    await asyncio.sleep(0.01)
    waiting.append(asyncio.create_task(use("chat", False)))
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(holder, *waiting)
    assert order == ["batch-1", "chat", "batch-2", "batch-3"]
    queue.shutdown()


async def test_a_cancelled_waiter_passes_the_turn_on() -> None:
    queue: GenerationQueue[str] = GenerationQueue(8, "t")
    release = asyncio.Event()
    got: list[str] = []

    async def use(name: str, hold: bool = False) -> None:
        async with queue.turn():
            got.append(name)
            if hold:
                await release.wait()

    holder = asyncio.create_task(use("a", hold=True))
    await asyncio.sleep(0.01)
    doomed = asyncio.create_task(use("b"))
    later = asyncio.create_task(use("c"))
    await asyncio.sleep(0.01)
    doomed.cancel()
    release.set()
    await asyncio.gather(holder, later)
    assert got == ["a", "c"]
    assert queue.depth() == 0
    queue.shutdown()
