"""The embedded model's queue: bounded, first come first served, cancellable."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tandem.backends.generation_queue import GenerationQueue
from tandem.errors import OverloadedError


async def test_full_queue_refuses_with_retry_after() -> None:
    queue: GenerationQueue[int] = GenerationQueue(max_waiting=1, name="m")
    release = asyncio.Event()

    async def hold() -> None:
        async with queue.turn():
            await release.wait()

    running = asyncio.create_task(hold())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(hold())
    await asyncio.sleep(0)
    assert queue.depth() == 2
    with pytest.raises(OverloadedError) as caught:
        async with queue.turn():
            pass
    assert caught.value.status_code == 503
    assert caught.value.headers["retry-after"] == "1"
    release.set()
    await asyncio.gather(running, waiting)
    assert queue.depth() == 0
    queue.shutdown()


async def test_turns_are_first_come_first_served() -> None:
    queue: GenerationQueue[int] = GenerationQueue(max_waiting=10, name="m")
    order: list[int] = []

    async def job(i: int) -> None:
        async with queue.turn():
            order.append(i)
            await asyncio.sleep(0.001)

    await asyncio.gather(*(job(i) for i in range(6)))
    assert order == list(range(6))
    queue.shutdown()


async def test_stream_runs_off_the_event_loop() -> None:
    queue: GenerationQueue[str] = GenerationQueue(max_waiting=1, name="m")
    loop_thread = threading.get_ident()
    threads: list[int] = []

    def produce(stop: Callable[[], bool]) -> Iterator[str]:
        threads.append(threading.get_ident())
        yield from ["a", "b", "c"]

    assert [x async for x in queue.stream(produce)] == ["a", "b", "c"]
    assert threads
    assert threads[0] != loop_thread
    queue.shutdown()


async def test_abandoned_stream_stops_the_producer() -> None:
    queue: GenerationQueue[int] = GenerationQueue(max_waiting=1, name="m")
    produced: list[int] = []
    stopped = threading.Event()

    def produce(stop: Callable[[], bool]) -> Iterator[int]:
        for i in range(10_000):
            if stop():
                stopped.set()
                return
            produced.append(i)
            time.sleep(0.001)
            yield i

    stream = queue.stream(produce)
    seen = [await anext(stream), await anext(stream)]
    await stream.aclose()  # what a client disconnect does to the response generator
    assert seen == [0, 1]
    assert stopped.is_set() or len(produced) < 10_000
    assert len(produced) < 100
    queue.shutdown()


async def test_producer_errors_reach_the_consumer() -> None:
    queue: GenerationQueue[int] = GenerationQueue(max_waiting=1, name="m")

    def produce(stop: Callable[[], bool]) -> Iterator[int]:
        yield 1
        raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        async for _ in queue.stream(produce):
            pass
    queue.shutdown()
