"""The dedup pipeline: one row per article, and every article in its story cluster.

It runs just before the archive sink and decides, for each item, in three layers (each counted
in the crawl stats as ``newscrawler/dedup/<layer>``):

1. ``known_url``: the URL, its canonical form or one of its aliases is archived or was seen in
   this run: the item updates that article;
2. ``same_text``: the same text is archived (or was seen) at another URL of the same site: the
   item becomes an update of that article, its URL an alias;
3. ``clustered`` / ``new_story``: the item joins the story whose archived copies it reads like
   (MinHash + LSH + sentence comparison), or starts one.

The index of stories is loaded from the archive when the spider opens (signatures of
everything archived before, by any process) and refreshed every
``NEWSCRAWLER_DEDUP_REFRESH_INTERVAL`` seconds. The pipeline only reads the archive; the sink
writes its decisions in the same transaction as the articles.

Where the decisions run depends on the archive. SQLite is read from a local file and, in WAL
mode, a read never waits for a writer: the decisions run on the reactor thread, as handing each
item to a thread and back cost more than deciding it (the two threads take turns with the GIL:
1.5 ms of CPU an article, more than the dedup's own work, `docs/benchmarks.md`). A database
server answers over the network, so its reads run in a thread of their own and the reactor
goes on fetching meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_to_future
from sqlalchemy.engine import make_url
from twisted.internet import reactor, threads

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.deduplicator import Decision, Deduplicator
from newscrawler.threads import DaemonThreadPool
from newscrawler.worktime import WorkTime
from storage.archive import Archive

logger = logging.getLogger(__name__)

T = TypeVar("T")

STATS_PREFIX = "newscrawler/dedup/"


class DedupPipeline:
    def __init__(
        self,
        crawler: Crawler,
        archive_url: str,
        config: DedupConfig,
        *,
        refresh_interval: float,
        text_cache: int,
    ) -> None:
        self.crawler = crawler
        self.archive_url = archive_url
        self.config = config
        self.refresh_interval = refresh_interval
        self.text_cache = text_cache
        self.deduplicator: Deduplicator | None = None
        self._refreshed_at = 0.0
        self._decide_time = WorkTime()
        self._worker = (
            None
            if make_url(archive_url).get_backend_name() == "sqlite"
            else DaemonThreadPool(minthreads=1, maxthreads=1, name="dedup")
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_DEDUP_ENABLED"):
            raise NotConfigured("NEWSCRAWLER_DEDUP_ENABLED is off")
        archive_url = settings.get("ARCHIVE_URL")
        if settings.getbool("NEWSCRAWLER_DRY_RUN"):
            raise NotConfigured  # a dry run archives nothing (and records no run)
        if not archive_url:
            raise NotConfigured("ARCHIVE_URL is empty")
        return cls(
            crawler,
            archive_url,
            DedupConfig.from_settings(settings),
            refresh_interval=settings.getfloat("NEWSCRAWLER_DEDUP_REFRESH_INTERVAL"),
            text_cache=settings.getint("NEWSCRAWLER_DEDUP_TEXT_CACHE"),
        )

    async def open_spider(self) -> None:
        if self._worker is not None:
            self._worker.start()
        self.deduplicator = await self._run(self._open)
        index = self.deduplicator.index
        self._stats().set_value(STATS_PREFIX + "index_articles", len(index))

    def _open(self) -> Deduplicator:
        archive = Archive.open(self.archive_url)
        deduplicator = Deduplicator(archive, self.config, text_cache=self.text_cache)
        started = time.perf_counter()
        loaded = deduplicator.load()
        seconds = time.perf_counter() - started
        self._stats().set_value(STATS_PREFIX + "index_load_seconds", round(seconds, 3))
        logger.info(
            "Dedup index: %d archived articles loaded in %.2fs (%s)",
            loaded,
            seconds,
            self.config.scheme,
        )
        self._refreshed_at = time.monotonic()
        return deduplicator

    async def process_item(self, item: Any) -> Any:
        decision = await self._run(self._decide, ItemAdapter(item))
        stats = self._stats()
        stats.inc_value(STATS_PREFIX + decision.layer)
        if decision.match is not None and decision.match.also:
            stats.inc_value(STATS_PREFIX + "merged", len(decision.match.also))
        return item

    def _decide(self, item: ItemAdapter) -> Decision:
        assert self.deduplicator is not None
        with self._decide_time.measure():
            if time.monotonic() - self._refreshed_at >= self.refresh_interval:
                self.deduplicator.refresh()
                self._refreshed_at = time.monotonic()
            return self.deduplicator.process(item)

    async def close_spider(self) -> None:
        try:
            if self.deduplicator is not None:
                counts = self.deduplicator.index.counts
                stats = self._stats()
                stats.set_value(STATS_PREFIX + "candidates", counts.candidates)
                stats.set_value(STATS_PREFIX + "compared", counts.compared)
                stats.set_value(STATS_PREFIX + "rejected", counts.rejected)
                stats.set_value(STATS_PREFIX + "seconds", round(self._decide_time.seconds, 3))
                stats.set_value(
                    STATS_PREFIX + "cpu_seconds", round(self._decide_time.cpu_seconds, 3)
                )
                await self._run(self.deduplicator.archive.close)
        finally:
            if self._worker is not None:
                self._worker.stop()

    def _stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        """``function``'s result, from the dedup thread where there is one (module doc)."""
        if self._worker is None:
            return function(*args)
        done = threads.deferToThreadPool(reactor, self._worker, function, *args)
        result: T = await deferred_to_future(done)
        return result
