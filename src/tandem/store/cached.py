"""Values read from the database and kept fresh off the request path.

A stale value is served while one worker thread reloads it; only a value never loaded is
loaded where it is asked for, and `ready()` tells a caller on the event loop whether asking
would do that (so it can ask from a thread instead). A writer calls `reload()` in its own
thread after changing the rows, so its change is seen by the next request at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


def in_background(work: Callable[[], object]) -> bool:
    """Run `work` in a worker thread when called on an event loop (True); otherwise do
    nothing and say so (False), for the caller to do the work where it is."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.run_in_executor(None, work)
    return True


class Cached(Generic[T]):
    """One value loaded by `load`, reloaded in the background once older than `ttl_s`."""

    def __init__(self, load: Callable[[], T], ttl_s: float) -> None:
        self._load = load
        self.ttl_s = ttl_s
        self._value: tuple[float, T] | None = None
        self._refreshing = False
        self._lock = threading.Lock()

    def ready(self) -> bool:
        """Whether `get()` would answer from memory."""
        return self._value is not None

    def get(self) -> T:
        """The value; a stale one is served while a worker thread reloads it."""
        value = self._value
        if value is None:
            return self.reload()
        if time.monotonic() - value[0] > self.ttl_s:
            with self._lock:
                start, self._refreshing = not self._refreshing, True
            if start and not in_background(self._refresh):
                self._refresh()
        return value[1]

    def reload(self) -> T:
        """Load now (in the caller's thread) and keep the result."""
        loaded = self._load()
        self._value = (time.monotonic(), loaded)
        return loaded

    def _refresh(self) -> None:
        try:
            self.reload()
        except Exception:
            log.exception("a cached value could not be reloaded; the old one is kept")
        finally:
            self._refreshing = False
