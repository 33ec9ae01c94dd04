"""One model, one generation at a time: a bounded FIFO queue and a thread bridge.

Generation runs in a dedicated worker thread so the event loop never blocks; tokens
cross to the loop one by one. When the consumer goes away (client disconnect), the
worker is told to stop at the next token and the model is released only after it has.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from tandem.errors import OverloadedError

T = TypeVar("T")
ShouldStop = Callable[[], bool]

BACKGROUND: ContextVar[bool] = ContextVar("tandem_background", default=False)
"""Set by background work (batch lines): it takes the model only when no interactive
request is waiting."""


class PriorityLock:
    """A lock granted to interactive waiters first, then background ones, each in arrival
    order."""

    def __init__(self) -> None:
        self._held = False
        self._waiters: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (
            deque(),
            deque(),
        )

    def waiting(self, background: bool) -> int:
        """How many of one kind are waiting."""
        return len(self._waiters[1 if background else 0])

    async def acquire(self, background: bool = False) -> None:
        """Wait for the lock."""
        if not self._held and not any(self._waiters):
            self._held = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._waiters[1 if background else 0]
        queue.append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # granted as we were cancelled: pass it on
            elif future in queue:
                queue.remove(future)
            raise

    def release(self) -> None:
        """Hand the lock to the next waiter, interactive first."""
        for queue in self._waiters:
            while queue:
                future = queue.popleft()
                if not future.done():
                    future.set_result(None)
                    return
        self._held = False


class _End:
    pass


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class GenerationQueue(Generic[T]):
    """Admits requests in arrival order; refuses with 503 when `max_waiting` are waiting."""

    def __init__(self, max_waiting: int, name: str) -> None:
        self.max_waiting = max_waiting
        self.name = name
        self._lock = PriorityLock()
        self._waiting = 0
        self._busy = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"gen-{name}")

    def depth(self) -> int:
        """Requests waiting plus the one running."""
        return self._waiting + (1 if self._busy else 0)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for this request's turn on the model (background work after interactive)."""
        background = BACKGROUND.get()
        if self._waiting >= self.max_waiting:
            raise OverloadedError(
                f"'{self.name}' has {self._waiting} requests waiting; try again shortly",
                headers={"retry-after": "1"},
            )
        self._waiting += 1
        try:
            await self._lock.acquire(background)
        finally:
            self._waiting -= 1
        self._busy = True
        try:
            yield
        finally:
            self._busy = False
            self._lock.release()

    async def run(self, work: Callable[[], T]) -> T:
        """Run `work` on the model's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, work)

    async def stream(self, produce: Callable[[ShouldStop], Iterator[T]]) -> AsyncIterator[T]:
        """Items of `produce` (run on the model's thread) as they come."""
        loop = asyncio.get_running_loop()
        items: asyncio.Queue[T | _End | _Failure] = asyncio.Queue()
        stop = threading.Event()

        def emit(item: T | _End | _Failure) -> None:
            try:
                loop.call_soon_threadsafe(items.put_nowait, item)
            except RuntimeError:
                stop.set()  # the loop is gone: nobody is listening

        def work() -> None:
            iterator = produce(stop.is_set)
            try:
                for item in iterator:
                    if stop.is_set():
                        break
                    emit(item)
            except BaseException as exc:
                emit(_Failure(exc))
                return
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
            emit(_End())

        done = loop.run_in_executor(self._executor, work)
        try:
            while True:
                item = await items.get()
                if isinstance(item, _End):
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:
            stop.set()
            # Keep the model reserved until the worker has really stopped.
            await asyncio.shield(done)

    def shutdown(self) -> None:
        """Stop the worker thread once its current job ends."""
        self._executor.shutdown(wait=False, cancel_futures=True)
