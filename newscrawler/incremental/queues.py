"""The scheduler's disk queue of a resumable crawl (``SCHEDULER_DISK_QUEUE``).

Scrapy's own pickle LIFO queue, writing the same request records, which Scrapy reads back as
it always does. Scrapy names a request's callback and errback by inspecting every member of
the spider, twice for each request it writes (0.2 ms a request, about as much as the rest of
scheduling it); here each spider method is named once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.squeues import PickleLifoDiskQueue

_Method = Callable[..., Any]


class NamedCallbackLifoDiskQueue(PickleLifoDiskQueue):  # type: ignore[valid-type,misc]
    def __init__(self, crawler: Crawler, key: str) -> None:
        super().__init__(crawler, key)
        self._names: dict[_Method, str] = {}

    def push(self, request: Request) -> None:
        record = self._record(request)
        # Past Scrapy's own request-to-record step, to its pickling one.
        super(PickleLifoDiskQueue, self).push(record)  # type: ignore[misc]

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
