"""What is built from a knowledge base's chunks (its vectors, its vocabulary), kept for the
most recently used knowledge bases and rebuilt when their generation moves."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class GenerationCache(Generic[T]):
    """One value per knowledge base, valid for one generation of its chunks."""

    def __init__(self, capacity: int = 8) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, tuple[int, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self,
        key: Hashable,
        generation: int,
        build: Callable[[], T],
        update: Callable[[T], T] | None = None,
    ) -> T:
        """The value of knowledge base `key` at `generation`: built with `build` when not
        held, or brought up to date from the one held with `update` when given."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == generation:
                self._entries.move_to_end(key)
                return entry[1]
        value = update(entry[1]) if entry is not None and update is not None else build()
        with self._lock:
            self._entries[key] = (generation, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return value

    def drop(self, key: Hashable) -> None:
        """Forget a deleted knowledge base."""
        with self._lock:
            self._entries.pop(key, None)
