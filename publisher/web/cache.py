"""A bounded least-recently-used cache for what a release answers (documents, query results).

A release never changes, so whatever is keyed by the release version stays right until the
server follows the next release; the bound keeps memory flat whatever the traffic asks for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LruCache(Generic[V]):
    """Values by key, the least recently used dropped first once ``max_bytes`` is passed."""

    def __init__(self, max_bytes: int, weigh: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self.weigh = weigh
        self.bytes = 0
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` unless it alone weighs more than a tenth of the cache."""
        weight = self.weigh(value)
        if weight > self.max_bytes // 10:
            return
        with self._lock:
            previous = self._values.pop(key, None)
            if previous is not None:
                self.bytes -= self.weigh(previous)
            self._values[key] = value
            self.bytes += weight
            while self.bytes > self.max_bytes:
                _, dropped = self._values.popitem(last=False)
                self.bytes -= self.weigh(dropped)
