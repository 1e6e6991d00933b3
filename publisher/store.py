"""The embedded store (pyoxigraph, RocksDB on disk): the only module that opens one."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox


def write_store(path: Path, quads: Iterable[ox.Quad]) -> int:
    """Create a store at ``path`` holding ``quads``; return how many it holds."""
    store = ox.Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    count = len(store)
    del store
    gc.collect()  # release RocksDB's lock before the folder is renamed and opened again
    return count
