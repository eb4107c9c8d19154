"""Worker threads of the pipelines that never keep the process alive."""

from __future__ import annotations

import threading
from typing import Any

from twisted.python.threadpool import ThreadPool


class _DaemonThread(threading.Thread):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.daemon = True


class DaemonThreadPool(ThreadPool):
    """A Twisted thread pool of daemon threads.

    A second Ctrl-C or SIGTERM stops the reactor at once, without the pipelines' close: a
    non-daemon worker would then keep the interpreter waiting for it forever. A transaction cut
    off this way is rolled back by the database, and the next run fetches what it held.
    """

    threadFactory = _DaemonThread
