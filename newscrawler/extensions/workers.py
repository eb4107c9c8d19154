"""Workers of one distributed crawl (``crawl SITE --redis``) stay open while another works.

Scrapy closes a spider as soon as its scheduler is empty and nothing is in flight. A worker of
a shared scrapy-redis frontier is empty whenever the others hold the requests, typically at the
start, while one fetches the start pages whose links will feed every worker. So each worker
marks itself busy in Redis (``<NEWSCRAWLER_WORKERS_KEY>:busy:<host>:<pid>``) from its start and
whenever a request of its own reaches the downloader, clears the mark when it goes idle, and
stays open while another one is marked.

The mark expires after ``NEWSCRAWLER_WORKERS_BUSY_SECONDS``, so that a killed worker stops
counting; a worker that is not idle renews it every third of that, whatever it is doing. A
mark renewed only as requests reach the downloader lapsed while a worker waited longer than
that for its pages (slow answers, retries backing off, a long Crawl-delay), and the idle
workers left while it still had links to hand them.
"""

from __future__ import annotations

import logging
import math
import os
import socket
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)


class WorkerKeepAlive:
    def __init__(self, client: Any, prefix: str, *, busy_seconds: float) -> None:
        self.client = client
        self.prefix = prefix
        self.busy_seconds = busy_seconds
        self.mark = f"{prefix}:busy:{socket.gethostname()}:{os.getpid()}"
        self._renewal = LoopingCall(self._renew)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerKeepAlive:
        settings = crawler.settings
        prefix = settings.get("NEWSCRAWLER_WORKERS_KEY")
        if not prefix:
            raise NotConfigured  # not a worker of a distributed crawl (no message: no log line)
        import redis

        extension = cls(
            redis.Redis.from_url(settings.get("REDIS_URL")),
            prefix,
            busy_seconds=settings.getfloat("NEWSCRAWLER_WORKERS_BUSY_SECONDS"),
        )
        # Busy from the start: its start requests may be the ones that feed the others.
        crawler.signals.connect(extension.busy, signal=signals.spider_opened)
        crawler.signals.connect(extension.busy, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def busy(self) -> None:
        """Marked now, and renewed until the worker is idle."""
        if not self._renewal.running:
            self._renewal.start(self.busy_seconds / 3, now=True)

    def _renew(self) -> None:
        try:
            self.client.set(self.mark, 1, ex=max(1, math.ceil(self.busy_seconds)))
        except Exception:
            # Not fatal: the others may leave early, the crawl itself goes on.
            logger.exception("Could not mark this worker busy in Redis")

    def idle(self) -> None:
        self._stop()
        if next(self.client.scan_iter(match=f"{self.prefix}:busy:*", count=100), None):
            raise DontCloseSpider

    def closed(self) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._renewal.running:
            self._renewal.stop()
        self.client.delete(self.mark)
