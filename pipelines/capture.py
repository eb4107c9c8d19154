"""The capture pipeline: the page each article was read from, hashed and compressed for the
archive's ``captures`` (storage.captures.pack_page), in a worker thread of its own.

Compressing a page costs more than writing its article: done here, beside the reactor and the
archive's one writer (Zstandard and hashlib let go of the GIL while they work), it slows
neither. With ``NEWSCRAWLER_CAPTURE_ENABLED`` off, or no archive to keep pages in (an empty
``ARCHIVE_URL``), it takes the page off the item instead: nothing downstream (the sink, a feed
export) gets its bytes.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_to_future
from twisted.internet import reactor, threads

from newscrawler.threads import DaemonThreadPool
from newscrawler.worktime import WorkTime
from storage.captures import pack_page

STATS_PREFIX = "newscrawler/capture/"


class CapturePipeline:
    def __init__(self, crawler: Crawler, *, keep: bool) -> None:
        self.crawler = crawler
        self.keep = keep
        self._pack_time = WorkTime()
        self._worker = DaemonThreadPool(minthreads=1, maxthreads=1, name="capture")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CapturePipeline:
        settings = crawler.settings
        keep = settings.getbool("NEWSCRAWLER_CAPTURE_ENABLED") and bool(settings.get("ARCHIVE_URL"))
        return cls(crawler, keep=keep)

    def open_spider(self) -> None:
        self._worker.start()

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        page = adapter.get("capture")
        if page is not None and not self.keep:
            adapter["capture"] = None
        elif page is not None and "sha256" not in page:
            done = threads.deferToThreadPool(reactor, self._worker, self._pack, page)
            adapter["capture"] = await deferred_to_future(done)
        return item

    def _pack(self, page: Any) -> Any:
        with self._pack_time.measure():
            return pack_page(page)

    def close_spider(self) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(STATS_PREFIX + "seconds", round(self._pack_time.seconds, 6))
        self.crawler.stats.set_value(
            STATS_PREFIX + "cpu_seconds", round(self._pack_time.cpu_seconds, 6)
        )
        self._worker.stop()
