"""The scheduler's disk queue of a resumable crawl (``SCHEDULER_DISK_QUEUE``).

Scrapy's own pickle LIFO queue, writing the same request records, which Scrapy reads back as
it always does. Scrapy names a request's callback and errback by inspecting every member of
the spider, twice for each request it writes (0.2 ms a request, about as much as the rest of
scheduling it); here each spider method is named once.

A request that cannot be written (a full disk under the state directory) stops the crawl as
failed: Scrapy would log the error for every request and stall with a frontier that has lost
them. The failed run keeps its "running" marker, so the next start discards the frontier and
recovers from the archive, as after a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.squeues import PickleFifoDiskQueue, PickleLifoDiskQueue
from scrapy.utils.defer import deferred_from_coro

from newscrawler.stats import FRONTIER_WRITE_FAILED_STAT

_Method = Callable[..., Any]

logger = logging.getLogger(__name__)

#: The reason a crawl closes with when its frontier cannot be written: the run fails.
FRONTIER_WRITE_FAILED = "frontier_write_failed"


class _StopsOnWriteFailure:
    """A disk queue whose failed write (a full disk) stops the crawl as failed."""

    crawler: Crawler

    def _guarded(self, write: Callable[[], None]) -> None:
        try:
            write()
        except OSError as error:
            _frontier_write_failed(self.crawler, error)

    def close(self) -> None:
        """Scrapy closes a queue when it runs empty and when the crawl ends: both write."""
        self._guarded(super().close)  # type: ignore[misc]


class StartRequestsDiskQueue(_StopsOnWriteFailure, PickleFifoDiskQueue):  # type: ignore[valid-type,misc]
    """Scrapy's queue of start requests (``SCHEDULER_START_DISK_QUEUE``), stopping the crawl
    when it cannot be written."""

    def __init__(self, crawler: Crawler, key: str) -> None:
        super().__init__(crawler, key)
        self.crawler = crawler

    def push(self, request: Request) -> None:
        self._guarded(lambda: super(StartRequestsDiskQueue, self).push(request))


class NamedCallbackLifoDiskQueue(_StopsOnWriteFailure, PickleLifoDiskQueue):  # type: ignore[valid-type,misc]
    def __init__(self, crawler: Crawler, key: str) -> None:
        super().__init__(crawler, key)
        self.crawler = crawler
        self._names: dict[_Method, str] = {}

    def push(self, request: Request) -> None:
        record = self._record(request)
        # Past Scrapy's own request-to-record step, to its pickling one.
        self._guarded(lambda: super(PickleLifoDiskQueue, self).push(record))  # type: ignore[misc]

    def _record(self, request: Request) -> dict[str, Any]:
        """``request.to_dict(spider=self.spider)``, with the method names remembered."""
        callback, errback = self._name(request.callback), self._name(request.errback)
        if callback is None or errback is None:
            return request.to_dict(spider=self.spider)  # not the spider's methods: Scrapy says so
        record: dict[str, Any] = {
            "url": request.url,
            "callback": callback or request.callback,
            "errback": errback or request.errback,
            "headers": dict(request.headers),
        }
        for attribute in request.attributes:
            record.setdefault(attribute, getattr(request, attribute))
        if type(request) is not Request:
            record["_class"] = f"{type(request).__module__}.{type(request).__name__}"
        return record

    def _name(self, method: Any) -> str | None:
        """The spider attribute holding ``method``; "" when there is none to name (no
        callback, or one given by name), None when ``method`` is not one of the spider's."""
        if not callable(method):
            return ""
        if getattr(method, "__self__", None) is not self.spider:
            return None
        function: _Method = method.__func__
        if function not in self._names:
            found = getattr(self.spider, function.__name__, None)
            if getattr(found, "__func__", None) is not function:
                return None
            self._names[function] = function.__name__
        return self._names[function]


def _frontier_write_failed(crawler: Crawler, error: OSError) -> None:
    stats, engine = crawler.stats, crawler.engine
    assert stats is not None and engine is not None
    stats.inc_value(FRONTIER_WRITE_FAILED_STAT)
    if stats.get_value(FRONTIER_WRITE_FAILED_STAT) > 1:
        return  # said once; the crawl is stopping already
    logger.error(
        "Could not write the frontier to %s (%s): stopping the crawl; the next run recovers "
        "from the archive",
        crawler.settings.get("JOBDIR"),
        error.strerror or error,
    )
    if engine.running:
        deferred_from_coro(engine.close_spider_async(reason=FRONTIER_WRITE_FAILED))
