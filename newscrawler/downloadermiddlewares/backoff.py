"""Exponential backoff for retries: Scrapy's retry middleware sends a retry at once."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import sleep

logger = logging.getLogger(__name__)

#: Request meta key: seconds the server asked us to wait (``Retry-After``) before a retry.
RETRY_AFTER_META = "newscrawler_retry_after"
#: Crawl-stats key: milliseconds spent waiting before retries.
BACKOFF_STAT = "newscrawler/retry/backoff_ms"


class RetryBackoffMiddleware:
    """Downloader middleware: holds the n-th retry of a request for
    ``NEWSCRAWLER_RETRY_BACKOFF_BASE * 2**(n-1)`` seconds, at most
    ``NEWSCRAWLER_RETRY_BACKOFF_MAX``, or longer when the failed response said ``Retry-After``.

    Its priority must be above the retry middleware's, so that it sees a failed response
    (and its ``Retry-After``) before the retry middleware copies the request.
    """

    def __init__(self, stats: StatsCollector, *, base: float, cap: float) -> None:
        self.stats = stats
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        base = settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_BASE")
        if base <= 0 or not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("no retry backoff")
        assert crawler.stats is not None
        cap = settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_MAX")
        return cls(crawler.stats, base=base, cap=cap)

    def delay(self, request: Request) -> float:
        retries = int(request.meta.get("retry_times", 0))
        if retries <= 0:
            return 0.0
        backoff = self.base * 2 ** (retries - 1)
        return min(max(backoff, float(request.meta.get(RETRY_AFTER_META, 0.0))), self.cap)

    async def process_request(self, request: Request) -> None:
        delay = self.delay(request)
        if delay > 0:
            logger.debug(
                "Waiting %.1fs before retry %s of %s", delay, request.meta["retry_times"], request
            )
            self.stats.inc_value(BACKOFF_STAT, round(delay * 1000))
            await sleep(delay)

    def process_response(self, request: Request, response: Response) -> Response:
        retry_after = _seconds(response.headers.get("Retry-After"))
        if retry_after is not None:
            request.meta[RETRY_AFTER_META] = retry_after
        return response


def _seconds(value: bytes | None) -> float | None:
    """``Retry-After`` in seconds; its HTTP-date form is rare enough to be ignored."""
    if not value:
        return None
    try:
        return max(0.0, float(value.decode("ascii").strip()))
    except (UnicodeDecodeError, ValueError):
        return None
