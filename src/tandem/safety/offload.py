"""Screening off the event loop, and the size limits that bound what one request may cost.

Pattern matching is CPU work that holds the GIL while each regex runs; on the event loop a
megabyte of text stalls every other request for seconds. Texts over `INLINE_CHARS` are
screened in a worker thread instead, at most `WORKERS` at a time: the loop then waits at
most one regex call (tens of milliseconds at the size caps) rather than a whole screening.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from tandem.errors import InvalidRequestError

T = TypeVar("T")

# Below this many characters screening costs about what the hop to a thread does (~0.1 ms
# measured for both at 100-250 characters), so it stays on the loop.
INLINE_CHARS = 256
# More threads would not screen faster (the GIL), only take the loop's turns more often.
WORKERS = 4


class TextTooLongError(InvalidRequestError):
    """A text over a screening limit (400 naming the field and the limit)."""

    code = "string_above_max_length"
    azure_code = "InvalidRequestBody"


def require_length(chars: int, limit: int, param: str, what: str | None = None) -> None:
    """Refuse `chars` characters of `param` over `limit`, saying which limit it is."""
    if chars > limit:
        raise TextTooLongError(
            f"The maximum length of {what or repr(param)} is {limit} characters; "
            f"this request has {chars}.",
            param=param,
        )


class Offload:
    """Runs screening inline when small, else in at most `workers` threads at a time."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self._slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    async def run(self, chars: int, work: Callable[[], T]) -> T:
        """`work()`, off the event loop when it screens more than INLINE_CHARS."""
        if chars <= INLINE_CHARS:
            return work()
        # asyncio's own threads: anyio's first to_thread call imports its backend on the
        # loop, a 180 ms stall of its own.
        async with self._slot():
            return await asyncio.to_thread(work)

    def _slot(self) -> asyncio.Semaphore:
        # A semaphore belongs to one event loop (tests and the CLI each run their own).
        loop = asyncio.get_running_loop()
        slot = self._slots.get(loop)
        if slot is None:
            for old in [k for k in self._slots if k.is_closed()]:
                del self._slots[old]
            slot = self._slots[loop] = asyncio.Semaphore(self.workers)
        return slot
