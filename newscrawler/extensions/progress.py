"""Progress of a running crawl: pages, articles and rate.

On a terminal (stderr is a TTY) a status line is redrawn every second; otherwise (cron,
systemd, a pipe) a plain log line is written every ``NEWSCRAWLER_PROGRESS_INTERVAL`` seconds.
``NEWSCRAWLER_PROGRESS`` chooses: ``auto``, ``live``, ``log`` or ``off`` (see docs/settings.md).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from typing import IO, Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from newscrawler.stats import REPROCESS_TOTAL_STAT

logger = logging.getLogger(__name__)

LIVE_INTERVAL = 1.0
MODES = ("auto", "live", "log", "off")


class CrawlProgress:
    def __init__(
        self, stats: StatsCollector, *, live: bool, interval: float, stream: IO[str]
    ) -> None:
        self.stats = stats
        self.live = live
        self.stream = stream
        self.interval = LIVE_INTERVAL if live else interval
        self.started = time.monotonic()
        self._timer = task.LoopingCall(self.report)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        mode = settings.get("NEWSCRAWLER_PROGRESS")
        if mode not in MODES:
            raise ValueError(f"NEWSCRAWLER_PROGRESS must be one of {', '.join(MODES)}: {mode!r}")
        interval = settings.getfloat("NEWSCRAWLER_PROGRESS_INTERVAL")
        if mode == "off" or interval <= 0:
            raise NotConfigured("progress display is off")
        assert crawler.stats is not None
        live = mode == "live" or (mode == "auto" and sys.stderr.isatty())
        progress = cls(crawler.stats, live=live, interval=interval, stream=sys.stderr)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self._timer.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self._timer.running:
            self._timer.stop()
        if self.live:
            self.stream.write("\n")
            self.stream.flush()

    def report(self) -> None:
        line = progress_line(self.stats.get_stats(), elapsed=time.monotonic() - self.started)
        if self.live:
            self.stream.write("\r\x1b[K" + line)
            self.stream.flush()
        else:
            logger.info("Progress: %s", line)


def progress_line(stats: Mapping[str, Any], *, elapsed: float) -> str:
    pages = int(stats.get("response_received_count", 0))
    new = int(stats.get("newscrawler/archive/new", 0))
    changed = int(stats.get("newscrawler/archive/changed", 0))
    unchanged = int(stats.get("newscrawler/archive/unchanged", 0)) + int(
        stats.get("newscrawler/refetch/not_modified", 0)
    )
    rate = pages / elapsed * 60 if elapsed > 0 else 0.0
    total = stats.get(REPROCESS_TOTAL_STAT)
    of_total = f" of {int(total)} stored" if total is not None else ""
    return (
        f"{pages}{of_total} pages ({rate:.0f}/min), articles: {new} new, {changed} changed, "
        f"{unchanged} unchanged, {int(stats.get('item_dropped_count', 0))} dropped"
    )
