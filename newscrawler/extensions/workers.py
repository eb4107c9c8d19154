"""Workers of one distributed crawl (``crawl SITE --redis``) stay open while another works.

Scrapy closes a spider as soon as its scheduler is empty and nothing is in flight. A worker of
a shared scrapy-redis frontier is empty whenever the others hold the requests, typically at the
start, while one fetches the start pages whose links will feed every worker. So each worker
marks itself busy in Redis (``<NEWSCRAWLER_WORKERS_KEY>:busy:<host>:<pid>``, expiring after
``BUSY_SECONDS`` so that a killed worker stops counting) whenever a request of its own reaches
the downloader, clears the mark when it goes idle, and stays open while another one is marked.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured

#: A busy mark lasts this long without a new request: longer than a page takes to answer.
BUSY_SECONDS = 60


class WorkerKeepAlive:
    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self.mark = f"{prefix}:busy:{socket.gethostname()}:{os.getpid()}"
        self._marked_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerKeepAlive:
        prefix = crawler.settings.get("NEWSCRAWLER_WORKERS_KEY")
        if not prefix:
            raise NotConfigured  # not a worker of a distributed crawl (no message: no log line)
        import redis

        extension = cls(redis.Redis.from_url(crawler.settings.get("REDIS_URL")), prefix)
        crawler.signals.connect(extension.busy, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def busy(self) -> None:
        """A request is on its way: marked, once a third of the mark's life at most."""
        now = time.monotonic()
        if now - self._marked_at > BUSY_SECONDS / 3:
            self.client.set(self.mark, 1, ex=BUSY_SECONDS)
            self._marked_at = now

    def idle(self) -> None:
        self.client.delete(self.mark)
        self._marked_at = 0.0
        if next(self.client.scan_iter(match=f"{self.prefix}:busy:*", count=100), None):
            raise DontCloseSpider

    def closed(self) -> None:
        self.client.delete(self.mark)
