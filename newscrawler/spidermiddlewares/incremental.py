"""The incremental spider middleware: request only what the archive lacks or what is due.

It reads the discovery mark every spider puts on its requests,
``request.meta["newscrawler"] = {"kind": ..., "lastmod": datetime | None}``, and:

* skips an ``article`` (or ``page``) request for an archived URL unless the article is due
  for a re-check (:mod:`newscrawler.incremental.schedule`), or its ``lastmod`` (from a sitemap
  or feed entry) is newer than the archive's last check of it. The newest evidence decides: a
  URL skipped on one source's date is reconsidered when another source of the run gives it a
  newer one, and a URL requested once is not requested again;
* skips a child ``sitemap`` or ``feed`` whose ``lastmod`` is older than the start of the site's
  last finished run, which already read it;
* stops following a listing's next pages once ``NEWSCRAWLER_INCREMENTAL_STOP_AFTER``
  consecutive pages held only archived articles, or nothing this run had not found already
  (never in a ``recover`` run);
* with ``NEWSCRAWLER_SINCE``, skips articles whose ``lastmod`` is older than that;
* with the discovery memory (auto mode, :mod:`newscrawler.extensions.discoverymemory`), skips
  a page or probe known to be missing until it is due to be probed again, and a navigation page
  that never linked to an article until it is due to be read again, requesting the pages it led
  to in its place; a listing page that answers 304 or with the links it had last time stops
  its listing's paging at once; the first page of a listing counts as one of its pages (in
  auto mode it is requested as a page);
* after the spider's start requests, requests the articles the site's last recorded run could
  not fetch (:mod:`newscrawler.extensions.unfetched`), then schedules re-checks of archived
  articles that are due, oldest check first, at most ``NEWSCRAWLER_RECHECK_MAX_PER_RUN`` a run,
  made by the spider's ``request(url, "article")`` (the discovery spiders) or sent to its
  ``parse_article`` callback (spiders with neither re-check only what discovery finds);
* copies a response's ``ETag`` and ``Last-Modified`` into the items it yields, for conditional
  re-fetches.

Every skip is counted as ``newscrawler/incremental/skipped/<reason>``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newscrawler.extensions.archiveindex import (
    ArchivedArticle,
    ArchiveIndex,
    require_incremental,
    required_extension,
)
from newscrawler.extensions.discoverymemory import VIA, DiscoveryMemory, page_key
from newscrawler.extensions.unfetched import UnfetchedArticles
from newscrawler.incremental.discovered import RememberedPage
from newscrawler.incremental.schedule import RecheckSchedule
from newscrawler.incremental.since import Since, since_setting
from newscrawler.items import fill_validators
from newscrawler.marks import REFETCHED_KINDS, mark, mark_of
from storage.archive import now_utc

logger = logging.getLogger(__name__)

#: Request meta key: how many listing pages in a row, up to this one's parent, held nothing new.
STALE_PAGES = "newscrawler_stale_pages"
#: Request meta key set on the re-checks this middleware schedules.
RECHECK = "newscrawler_recheck"

_STATS = "newscrawler/incremental/"


class IncrementalCrawlMiddleware:
    def __init__(
        self,
        crawler: Crawler,
        *,
        schedule: RecheckSchedule,
        stop_after: int,
        recheck_limit: int,
        since: Since | None,
    ) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.index = required_extension(crawler, ArchiveIndex)
        self.unfetched = required_extension(crawler, UnfetchedArticles)
        self.memory = crawler.get_extension(DiscoveryMemory)
        self.schedule = schedule
        self.stop_after = stop_after
        self.recheck_limit = recheck_limit
        self.since = since
        #: Article URLs requested, and skipped, so far in this run.
        self._requested: set[str] = set()
        self._skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalCrawlMiddleware:
        settings = crawler.settings
        require_incremental(settings)
        return cls(
            crawler,
            schedule=RecheckSchedule.parse(settings["NEWSCRAWLER_RECHECK_SCHEDULE"]),
            stop_after=settings.getint("NEWSCRAWLER_INCREMENTAL_STOP_AFTER"),
            recheck_limit=settings.getint("NEWSCRAWLER_RECHECK_MAX_PER_RUN"),
            since=since_setting(settings),
        )

    # -- Scrapy hooks ---------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        await self.index.wait_loaded()
        if self.memory is not None:
            await self.memory.wait_loaded()
        async for request_or_item in start:
            for kept in self._kept(request_or_item):
                yield kept
        for request in self._unfetched_retries():
            yield request
        for request in self._rechecks():
            yield request

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        self.unfetched.reached(response)
        via = page_key(response.request) if response.request is not None else response.url
        kind = mark_of(response.request).kind
        if kind == "listing" or kind in REFETCHED_KINDS:  # a page may begin a listing
            outputs = [_from(o, via) async for o in result]
            for output in self._listing_output(response, outputs):
                yield output
            return
        async for output in result:
            for kept in self._kept(_from(output, via)):
                yield _with_validators(kept, response)

    # -- decisions ------------------------------------------------------------------------

    def _kept(self, output: Any) -> Iterator[Any]:
        """``output``, if it must go on; for a navigation page not due, the pages it led to
        in earlier crawls, as far as they must go on."""
        reason = self._skip(output)
        if reason is None:
            yield output
        elif reason == "navigation" and self.memory is not None:
            for request in self._remembered_requests(self.memory.led_to(output.url)):
                yield from self._kept(request)

    def _skip(self, output: Any) -> str | None:
        """Why ``output`` is dropped (counted), or None when it goes on."""
        if not isinstance(output, Request):
            return None
        article = mark_of(output).kind in REFETCHED_KINDS
        if article and output.url in self._requested:
            return "requested"  # given again by another source: requested already
        reason = self.skip_reason(output)
        if reason is None:
            if article:
                self._requested.add(output.url)
            return None
        if output.url not in self._skipped:  # counted once, however many sources give it
            self._skipped.add(output.url)
            self.stats.inc_value(f"{_STATS}skipped/{reason}")
        logger.debug("Skipped %s: %s", output.url, reason)
        return reason

    def skip_reason(self, request: Request) -> str | None:
        """Why ``request`` need not be made, or None when it must."""
        kind, lastmod = mark_of(request)
        if lastmod is not None:
            if kind == "article" and self.since is not None and self.since.excludes(lastmod):
                return "before_since"
            baseline = self.index.history.baseline_started_at
            if kind in ("sitemap", "feed") and baseline is not None and lastmod < baseline:
                return "source_unchanged"
        archived = self.index.get(request.url) if kind in REFETCHED_KINDS else None
        if archived is None:
            return self._remembered_skip(request)
        if lastmod is not None:
            return None if lastmod > archived.checked_at else "not_newer"
        if self._is_due(archived, now_utc()):
            self.stats.inc_value(f"{_STATS}rechecked")
            return None
        return "archived"

    def _remembered_skip(self, request: Request) -> str | None:
        """Skips of pages the discovery memory holds; start pages are always requested."""
        if self.memory is None:
            return None
        if request.meta.get(VIA) is None and mark_of(request).kind == "page":
            return None
        return self.memory.skip_reason(request.url, mark_of(request).lastmod)

    def _remembered_requests(self, pages: Iterable[RememberedPage]) -> Iterator[Request]:
        """Requests for remembered pages, made by the spider's ``remembered(page)`` (the
        discovery spiders, which admit each URL once)."""
        spider: Spider | None = self.crawler.spider
        remembered = getattr(spider, "remembered", None)
        if not callable(remembered):
            return
        for page in pages:
            request = remembered(page)
            if request is not None:
                yield request

    def _is_due(self, archived: ArchivedArticle, now: datetime) -> bool:
        if self.since is not None and self.since.excludes(archived.published_at or now):
            return False
        return self.schedule.is_due(
            published_at=archived.published_at, checked_at=archived.checked_at, now=now
        )

    # -- listings -------------------------------------------------------------------------

    def _listing_output(self, response: Response, output: list[Any]) -> Iterator[Any]:
        stale = self._stale_pages(response, output)
        stop = 0 < self.stop_after <= stale and self.index.history.mode != "recover"
        for item_or_request in output:
            if isinstance(item_or_request, Request) and mark_of(item_or_request).kind == "listing":
                if stop:
                    self.stats.inc_value(f"{_STATS}listing_stops")
                    logger.info(
                        "Not following %s: the last %d listing pages held only archived articles",
                        item_or_request.url,
                        stale,
                    )
                    continue
                item_or_request.meta[STALE_PAGES] = stale
            for kept in self._kept(item_or_request):
                yield _with_validators(kept, response)

    def _stale_pages(self, response: Response, output: Iterable[Any]) -> int:
        """Listing pages in a row, this one included, that held only archived articles (or,
        in auto mode, pages the archive holds as articles). A page that led to no article
        request at all, on a site the archive holds, counts too: its links were all requested
        or skipped already this run (a sitemap or feed read first gave them)."""
        before: int = response.meta.get(STALE_PAGES, 0)
        if self.memory is not None and self.memory.unchanged(response):
            self.stats.inc_value("newscrawler/discovery/unchanged")
            return max(before + 1, self.stop_after)  # as it was last time: nothing new
        articles = [
            o.url
            for o in output
            if isinstance(o, Request)
            and mark_of(o).kind in REFETCHED_KINDS
            and not (self.memory is not None and self.memory.is_page(o.url))
        ]
        if not articles:
            return before + 1 if len(self.index) else before
        if any(self.index.get(url) is None for url in articles):
            return 0
        return before + 1

    # -- articles the last run could not fetch ---------------------------------------------

    def _unfetched_retries(self) -> Iterator[Request]:
        """Requests for the articles the site's last recorded run could not fetch, where the
        archive still lacks them; this run hands on those it does not reach."""
        urls = [url for url in self.index.history.unfetched if self.index.get(url) is None]
        self.unfetched.handed(urls)
        make_request = self._recheck_maker()
        if make_request is None or not urls:
            return
        self.stats.set_value(f"{_STATS}unfetched_retried", len(urls))
        logger.info("Retrying %d articles the last run could not fetch", len(urls))
        for url in urls:
            yield make_request(url)

    # -- re-checks ------------------------------------------------------------------------

    def _rechecks(self) -> Iterator[Request]:
        make_request = self._recheck_maker()
        if make_request is None or self.recheck_limit <= 0:
            return
        now = now_utc()
        due = sorted((a for a in self.index if self._is_due(a, now)), key=lambda a: a.checked_at)
        due = due[: self.recheck_limit]
        self.stats.set_value(f"{_STATS}rechecks_scheduled", len(due))
        for article in due:
            request = make_request(article.url)
            request.meta[RECHECK] = True
            yield request

    def _recheck_maker(self) -> Callable[[str], Request] | None:
        """How this spider requests an article page: its ``request(url, "article")`` (the
        discovery spiders), or a marked request to its ``parse_article`` callback."""
        spider: Spider | None = self.crawler.spider
        marked_request = getattr(spider, "request", None)
        if callable(marked_request):
            return lambda url: marked_request(url, "article")
        callback = getattr(spider, "parse_article", None)
        if callable(callback):
            return lambda url: Request(url, callback=callback, meta=mark("article"))
        return None


def _with_validators(output: Any, response: Response) -> Any:
    """An item with the response's validators filled in where the spider left them empty."""
    if isinstance(output, Request) or not ItemAdapter.is_item(output):
        return output
    fill_validators(output, response)
    return output


def _from(output: Any, via: str) -> Any:
    """``output``, a request marked with the page it came from (for the discovery memory)."""
    if isinstance(output, Request):
        output.meta.setdefault(VIA, via)
    return output
