"""Exit codes of the ``newscrawler`` command (documented in docs/operations.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    #: The crawl failed: an exception, or articles that could not be written.
    FAILED = 1
    #: Bad arguments, an unknown site, or an archive whose schema needs `newscrawler db upgrade`.
    CONFIG = 2
    #: Stopped by SIGTERM or Ctrl-C; what was fetched is archived and the run recorded.
    INTERRUPTED = 3
