"""Follow the ``current`` release link, so a running server picks up each new release."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from publisher.release import CURRENT
from publisher.store import StoreBackend

CHECK_EVERY_S = 1.0
RETIRE_AFTER_S = 60.0


class ReleaseWatcher:
    """Holds the store of the current release; swaps it when ``current`` is switched.

    Requests in flight keep the store they started with; the old one is closed a minute
    after the switch.
    """

    def __init__(self, release_dir: Path, open_store: Callable[[Path], StoreBackend]) -> None:
        self._link = release_dir / CURRENT
        self._open_store = open_store
        self._target = self._link.readlink()
        self._store = open_store(self._link.resolve())
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    @property
    def store(self) -> StoreBackend:
        now = time.monotonic()
        if now - self._checked >= CHECK_EVERY_S:
            self._checked = now
            self._follow()
        return self._store

    def _follow(self) -> None:
        try:
            target = self._link.readlink()
        except OSError:
            return  # the link is being replaced; keep serving what we have
        if target == self._target:
            return
        with self._lock:
            if target == self._target:
                return
            retired = self._store
            self._store = self._open_store(self._link.resolve())
            self._target = target
        threading.Timer(RETIRE_AFTER_S, retired.close).start()

    def close(self) -> None:
        self._store.close()
