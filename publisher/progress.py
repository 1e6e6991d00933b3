"""Progress of a build's stages: lines on a terminal, nothing when quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Reports each stage as it starts and ends, with its duration and a summary."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.timings: dict[str, float] = {}
        self._summary = ""

    def note(self, summary: str) -> None:
        """Attach a short summary to the stage in progress."""
        self._summary = summary

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage and report it."""
        self._summary = ""
        if self.enabled and self.stream.isatty():
            self.stream.write(f"  … {name}\r")
            self.stream.flush()
        start = time.perf_counter()
        try:
            yield
        except BaseException:
            self._write(f"  ✗ {name}")
            raise
        elapsed = time.perf_counter() - start
        self.timings[name] = elapsed
        detail = f": {self._summary}" if self._summary else ""
        self._write(f"  ✓ {name}{detail} ({elapsed:.2f} s)")

    def _write(self, line: str) -> None:
        if self.enabled:
            self.stream.write(line + "\n")
            self.stream.flush()
