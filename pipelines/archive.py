"""The archive sink: batched, off-reactor writes of articles, and the record of each crawl run."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_to_future
from twisted.internet import defer, reactor, task, threads

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.recheck import WriteTimeCheck
from newscrawler.dedup.releases import release_key
from newscrawler.hashing import fill_search_forms
from newscrawler.health import HealthPolicy, assess_run
from newscrawler.incremental import signals as incremental
from newscrawler.stats import (
    FRONTIER_WRITE_FAILED_STAT,
    REPROCESS_CHANGED_PREFIX,
    REPROCESS_SUPERSEDED_STAT,
    RUN_RECORDED_STAT,
    recorded_stats,
    run_counts,
)
from newscrawler.threads import DaemonThreadPool
from newscrawler.worktime import WorkTime
from storage.archive import Archive, BatchResult, now_utc
from storage.records import ArticleRecord

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Batches allowed to wait for the writer before ``process_item`` makes the crawl wait too.
MAX_PENDING_BATCHES = 4


class ArchivePipeline:
    """Writes items to the archive in batches from one writer thread.

    The reactor only appends to a buffer; a full buffer, a timer and the spider's close each
    hand a batch to the writer thread. ``close_spider`` waits for every batch, so a clean stop
    (finished, Ctrl-C, SIGTERM) loses nothing that reached the sink.
    """

    def __init__(
        self,
        crawler: Crawler,
        archive_url: str,
        *,
        batch_size: int,
        max_delay: float,
        retries: int,
        health: HealthPolicy | None = None,
        keep_captures: int = 0,
        check: WriteTimeCheck | None = None,
    ) -> None:
        self.crawler = crawler
        self.archive_url = archive_url
        self.batch_size = batch_size
        self.max_delay = max_delay
        self.retries = retries
        self.health = health
        self.keep_captures = keep_captures
        self.check = check
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.site: str | None = None
        self._buffer: list[ArticleRecord] = []
        # Re-fetch outcomes that carry no item: (url, seen_at) of 304s, removal records.
        self._seen: list[tuple[str, datetime]] = []
        self._removed: list[dict[str, Any]] = []
        self._pending: list[defer.Deferred[Any]] = []
        self._lost_urls: list[str] = []
        # Time the writer thread spent in write transactions (written by that thread only).
        self._write_time = WorkTime()
        self._writer = DaemonThreadPool(minthreads=1, maxthreads=1, name="archive-writer")
        self._timer = task.LoopingCall(self._flush)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        archive_url = settings.get("ARCHIVE_URL")
        if settings.getbool("NEWSCRAWLER_DRY_RUN"):
            raise NotConfigured  # a dry run archives nothing (and records no run)
        if not archive_url:
            raise NotConfigured("ARCHIVE_URL is empty")
        pipeline = cls(
            crawler,
            archive_url,
            batch_size=settings.getint("ARCHIVE_BATCH_SIZE"),
            max_delay=settings.getfloat("ARCHIVE_BATCH_MAX_DELAY"),
            retries=settings.getint("ARCHIVE_WRITE_RETRIES"),
            health=HealthPolicy.from_settings(settings),
            keep_captures=settings.getint("NEWSCRAWLER_CAPTURE_KEEP_VERSIONS"),
            check=WriteTimeCheck(DedupConfig.from_settings(settings))
            if settings.getbool("NEWSCRAWLER_DEDUP_ENABLED")
            else None,
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.not_modified, signal=incremental.article_not_modified)
        crawler.signals.connect(pipeline.removed, signal=incremental.article_removed)
        return pipeline

    # -- lifecycle -----------------------------------------------------------------------

    async def open_spider(self) -> None:
        self._writer.start()
        self.archive = archive = await self._in_writer(Archive.open, self.archive_url)
        spider = self.crawler.spider
        assert spider is not None
        self.site = site = getattr(spider, "site_name", None) or spider.name
        await self._in_writer(archive.mark_killed_runs, spider.name)
        self.run_id = await self._in_writer(
            archive.start_run, spider.name, site, started_at=now_utc()
        )
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawler/run_id", self.run_id)
        self._timer.start(self.max_delay, now=False)
        logger.info("Archiving into %s (run %s)", self.archive.url, self.run_id)

    async def process_item(self, item: Any) -> Any:
        self._buffer.append(_record(item))
        if len(self._buffer) >= self.batch_size:
            self._flush()
        if len(self._pending) >= MAX_PENDING_BATCHES:
            # Back-pressure: let the writer catch up before more items arrive.
            await deferred_to_future(defer.DeferredList(self._pending[:1]))
        return item

    def not_modified(self, url: str, seen_at: datetime) -> None:
        """An archived article answered 304: only its ``last_seen_at`` moves."""
        self._seen.append((url, seen_at))

    def removed(self, url: str, http_status: int, detected_at: datetime) -> None:
        """An archived article answered 404/410: a removal record, the article stays."""
        removal = {"url": url, "http_status": http_status, "detected_at": detected_at}
        self._removed.append({**removal, "run_id": self.run_id})

    async def close_spider(self) -> None:
        if self._timer.running:
            self._timer.stop()
        self._flush()
        await deferred_to_future(defer.DeferredList(list(self._pending)))
        assert self.crawler.stats is not None
        stats = self.crawler.stats
        stats.set_value("newscrawler/archive/write_seconds", self._write_time.seconds)
        stats.set_value("newscrawler/archive/write_cpu_seconds", self._write_time.cpu_seconds)
        if self.keep_captures > 0 and self.archive is not None:
            emptied = await self._in_writer(self.archive.compact_pages)
            stats.set_value("newscrawler/archive/page_files_compacted", len(emptied))
        if self.check is not None:
            stats.set_value("newscrawler/dedup/joined_at_write", self.check.joined)
            stats.set_value("newscrawler/dedup/merged_at_write", self.check.merged)

    async def spider_closed(self, reason: str) -> None:
        try:
            if self.archive is not None and self.run_id is not None:
                await self._record_run(reason)
        finally:
            if self.archive is not None:
                await self._in_writer(self.archive.close)
            self._writer.stop()

    # -- batches -------------------------------------------------------------------------

    def _flush(self) -> None:
        if not (self._buffer or self._seen or self._removed):
            return
        batch, self._buffer = self._buffer, []
        seen, self._seen = self._seen, []
        removed, self._removed = self._removed, []
        done = threads.deferToThreadPool(
            reactor, self._writer, self._write_with_retries, batch, seen, removed
        )
        done.addCallbacks(self._count, self._report_lost, errbackArgs=(batch,))
        self._pending.append(done)
        done.addBoth(self._forget, done)

    def _write_with_retries(
        self,
        batch: Sequence[ArticleRecord],
        seen: Sequence[tuple[str, datetime]] = (),
        removed: Sequence[dict[str, Any]] = (),
    ) -> BatchResult:
        assert self.archive is not None
        for record in batch:  # here, off the reactor: a body's form takes ~0.3 µs a character
            fill_search_forms(cast(dict[str, Any], record))
        for attempt in range(self.retries + 1):
            try:
                with self._write_time.measure():
                    result = self.archive.write_batch(
                        batch, keep_captures=self.keep_captures, check=self.check
                    )
                    if self.check is not None:
                        self.check.written(result.ids[url] for url in result.new)
                    self.archive.mark_seen(seen)
                    self.archive.record_removals(removed)
                return result
            except Exception as error:
                if attempt == self.retries:
                    raise
                delay = 0.5 * 2**attempt
                logger.warning(
                    "Archive write of %d articles failed (%s); retrying in %.1fs",
                    len(batch),
                    error,
                    delay,
                )
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _count(self, result: BatchResult) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("newscrawler/archive/new", len(result.new))
        stats.inc_value("newscrawler/archive/changed", len(result.changed))
        stats.inc_value("newscrawler/archive/unchanged", len(result.unchanged))
        stats.inc_value("newscrawler/archive/batches")
        stats.inc_value("newscrawler/archive/captures", result.captures)
        if result.superseded:
            stats.inc_value(REPROCESS_SUPERSEDED_STAT, len(result.superseded))
        for name, count in result.fields.items():
            stats.inc_value(REPROCESS_CHANGED_PREFIX + name, count)

    def _report_lost(self, failure: Any, batch: Sequence[ArticleRecord]) -> None:
        urls = [record["url"] for record in batch]
        self._lost_urls.extend(urls)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newscrawler/archive/lost", len(urls))
        logger.error(
            "Archive write failed after %d retries (%s); these %d articles were not archived "
            "and the next run will fetch them again: %s",
            self.retries,
            failure.getErrorMessage(),
            len(urls),
            " ".join(urls),
        )

    def _forget(self, result: Any, done: defer.Deferred[Any]) -> Any:
        self._pending.remove(done)
        return result

    async def _record_run(self, reason: str) -> None:
        assert self.archive is not None and self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        counts = run_counts(stats)
        failed = bool(self._lost_urls) or bool(stats.get(FRONTIER_WRITE_FAILED_STAT))
        outcome = _outcome(reason, failed=failed)
        summary = {**recorded_stats(stats), "finish_reason": reason}
        if self._lost_urls:
            summary["lost_urls"] = self._lost_urls
        self.crawler.stats.set_value("newscrawler/outcome", outcome)
        # A run that reads stored pages (reprocess, import-warc) says nothing of a site's health.
        judged = getattr(self.crawler.spider, "assess_health", True)
        if outcome == "finished" and self.health is not None and judged:
            counts.update(await self._assess_health(summary))
        await self._in_writer(
            self.archive.finish_run,
            self.run_id,
            outcome=outcome,
            finished_at=now_utc(),
            stats=summary,
            **counts,
        )
        self.crawler.stats.set_value(RUN_RECORDED_STAT, True)

    async def _assess_health(self, summary: dict[str, Any]) -> dict[str, Any]:
        """The run's health columns, also set in the crawl stats for the command's exit code."""
        assert self.archive is not None and self.crawler.stats is not None
        assert self.run_id is not None and self.site is not None and self.health is not None
        spider = self.crawler.spider
        assert spider is not None
        try:
            health = await self._in_writer(
                assess_run,
                self.archive,
                self.run_id,
                spider=spider.name,
                site=self.site,
                stats=summary,
                policy=self.health,
            )
        except Exception:
            # The run is recorded all the same, with no verdict.
            logger.exception("Could not judge the health of run %s of %s", self.run_id, self.site)
            return {}
        self.crawler.stats.set_value("newscrawler/health", health.status)
        self.crawler.stats.set_value("newscrawler/health/notes", list(health.notes))
        for note in health.notes:
            logger.warning("Unhealthy run of %s: %s", self.site, note)
        return health.columns

    def _in_writer(
        self, function: Callable[..., T], *args: Any, **kwargs: Any
    ) -> asyncio.Future[T]:
        """Run ``function`` in the writer thread; await the result from the reactor."""
        done = threads.deferToThreadPool(reactor, self._writer, function, *args, **kwargs)
        return deferred_to_future(done)


def _record(item: Any) -> ArticleRecord:
    # A shallow copy: ``asdict`` would deep-copy every list and dict at 15x the cost.
    adapter = ItemAdapter(item)
    fields = dict(adapter)
    for name in ("capture", "search_title", "search_body"):
        if fields.get(name) is not None:
            adapter[name] = None  # the record has them: nothing after the sink needs them
    record = cast(ArticleRecord, fields)
    record["release_key"] = release_key(record.get("extras"), record.get("published_at"))
    return record


def _outcome(reason: str, *, failed: bool) -> str:
    if failed:
        return "failed"
    if reason == "finished" or reason.startswith("closespider_"):
        return "finished"
    if reason == "shutdown":
        return "interrupted"
    return "failed"
