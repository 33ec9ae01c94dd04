"""One thread that interrupts queries past their deadline, shared by every query.

A `threading.Timer` per query starts and joins a thread each time (about half a
millisecond on a busy machine, as much as a small query takes to run); here a query only
pushes its deadline onto a heap and removes it when done.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Watchdog:
    """Calls each armed callback once its deadline passes, unless disarmed first."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, Callable[[], object]] = {}
        self._ids = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, callback: Callable[[], object]) -> int:
        """Call `callback` in `seconds` unless `disarm` is called first; returns a handle."""
        handle = next(self._ids)
        with self._wake:
            self._armed[handle] = callback
            heapq.heappush(self._heap, (time.monotonic() + seconds, handle))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="query-watchdog")
                self._thread.daemon = True
                self._thread.start()
            elif self._heap[0][1] == handle:
                self._wake.notify()  # the new deadline is the nearest
        return handle

    def disarm(self, handle: int) -> None:
        """Forget a callback (its heap entry is dropped when it comes up)."""
        with self._wake:
            self._armed.pop(handle, None)

    def _loop(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)  # disarmed since
                if not self._heap:
                    self._wake.wait()
                    continue
                deadline, handle = self._heap[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._heap)
                callback = self._armed.pop(handle)
            try:
                callback()
            except Exception:  # a failed interrupt must not stop the others
                continue


WATCHDOG = Watchdog()
