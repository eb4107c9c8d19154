"""Exit codes of the ``newscrawler`` command (documented in docs/operations.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    #: The crawl failed: an exception, or articles that could not be written.
    FAILED = 1
    #: Bad arguments, an unknown site, an archive that cannot be opened, or one whose schema
    #: needs `newscrawler db upgrade`.
    CONFIG = 2
    #: Stopped by SIGTERM or Ctrl-C; what was fetched is archived and the run recorded.
    INTERRUPTED = 3
    #: Another crawl of the same site is running (it holds the site's lock); nothing was done.
    ALREADY_RUNNING = 4
    #: The crawl finished but the site looks broken: nothing found where recent runs found
    #: articles, field coverage dropped, or most pages blocked (`newscrawler runs` says why).
    UNHEALTHY = 5
