"""A time budget for one ingestion, shared by the request's coroutine and its worker thread.

A thread cannot be killed, so the work in it polls `check()` between pages, paragraphs,
rows and chunks; the coroutine cancels the budget when its client leaves or its time is up,
and the thread stops at its next check instead of parsing on for nobody.
"""

from __future__ import annotations

import threading
import time

from tandem.errors import InvalidRequestError


class IngestionStoppedError(InvalidRequestError):
    """An ingestion ran out of its time budget, or its client left (400, per file)."""

    code = "ingestion_time_budget"


class Budget:
    """A deadline plus a cancel flag, safe to read from any thread."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self._cancelled = threading.Event()

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def cancel(self) -> None:
        """Stop the work at its next check."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """Whether `cancel` was called."""
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise IngestionStoppedError once cancelled or past the deadline."""
        if self._cancelled.is_set():
            raise IngestionStoppedError("ingestion stopped", param="files")
        if time.monotonic() >= self.deadline:
            raise self.overrun()

    def overrun(self) -> IngestionStoppedError:
        """The error of an ingestion past its deadline."""
        return IngestionStoppedError(
            f"ingestion ran past its time budget of {self.seconds:g} s; upload fewer or "
            "smaller files at a time",
            param="files",
        )
