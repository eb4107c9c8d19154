"""Time a worker thread spends on one kind of work, for the crawl stats."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class WorkTime:
    """Wall-clock and CPU seconds of the work measured; the thread's CPU time leaves out its
    waits for the GIL, the disk and the database, which the wall clock counts."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        """Adds the time of the ``with`` block; call it from the thread doing the work."""
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - wall
            self.cpu_seconds += time.thread_time() - cpu
