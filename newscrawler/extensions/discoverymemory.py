"""What auto-mode discovery found on a site, kept in the archive (``discovered_pages``) for the
site's next crawl (see :mod:`newscrawler.incremental.discovered` for the rules).

A crawl from a site's URL alone probes the usual sitemap and feed paths and follows the site's
navigation. Most of that answers the same every time: a probed path that does not exist, an
about page, the first page of a listing. This extension remembers, per site, every page such a
crawl requested that was not an article, and a re-crawl uses it:

* the incremental spider middleware skips a missing path until it is due to be probed again
  (``NEWSCRAWLER_DISCOVERY_REPROBE_DAYS``), and a navigation page that never linked to an
  article until it is due to be read again (``NEWSCRAWLER_DISCOVERY_REVISIT_DAYS``); the pages
  a skipped page led to are requested in its place;
* the conditional middleware asks for listings, navigation pages, sitemaps and feeds with their
  validators; a 304 reaches the spider, which requests the pages the page led to instead of
  reading it;
* a listing page that answers 304, or with the links it had last time, stops that listing's
  paging, as the incremental listing stop does.

Only spiders with ``remembers_discovery`` set (``AutoSpider``) use it. An extension
(``EXTENSIONS``): the spider and the middlewares get it with ``crawler.get_extension``. What a
crawl learned is written when it closes (not in a dry run).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import fields, replace
from datetime import datetime
from typing import Any, cast

from itemadapter import ItemAdapter
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_to_future
from twisted.internet import threads

from newscrawler.extensions.archiveindex import (
    ArchiveIndex,
    require_incremental,
    required_extension,
    site_of,
)
from newscrawler.incremental.discovered import (
    RememberedPage,
    RevisitRules,
    Role,
    content_hash,
    links_hash,
)
from newscrawler.marks import kind_of
from newscrawler.stats import UNCHANGED_LISTED_STAT
from storage.archive import Archive, now_utc
from storage.records import DiscoveredPageRecord

logger = logging.getLogger(__name__)

#: Request meta key: the page (its URL as first requested) whose output the request was.
VIA = "newscrawler_via"

_STATS = "newscrawler/discovery/"


def page_key(request: Request) -> str:
    """The URL a page is remembered under: the one first requested, before any redirect."""
    redirects = request.meta.get("redirect_urls")
    return redirects[0] if redirects else request.url


class DiscoveryMemory:
    """The site's remembered pages, and what this crawl finds of them."""

    def __init__(self, crawler: Crawler, *, rules: RevisitRules, keep: bool) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        #: The archive index, once the extensions are all made (at the spider's opening).
        self.index: ArchiveIndex | None = None
        self.rules = rules
        self.keep = keep
        self.active = False
        self.site = ""
        self._loaded = asyncio.Event()
        #: What earlier crawls found, and which pages each page led to (next pages left out).
        self._known: dict[str, RememberedPage] = {}
        self._led_to: dict[str, list[RememberedPage]] = {}
        #: What this crawl found; links of pages whose role waits for this crawl's articles.
        self._found: dict[str, RememberedPage] = {}
        self._links: dict[str, frozenset[str]] = {}
        self._articles: set[str] = set()
        #: Pages read this crawl with the links they had last time.
        self._unchanged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiscoveryMemory:
        settings = crawler.settings
        require_incremental(settings)
        if not settings.getbool("NEWSCRAWLER_DISCOVERY_MEMORY"):
            raise NotConfigured("NEWSCRAWLER_DISCOVERY_MEMORY is off")
        memory = cls(
            crawler,
            rules=RevisitRules.of_days(
                settings.getfloat("NEWSCRAWLER_DISCOVERY_REPROBE_DAYS"),
                settings.getfloat("NEWSCRAWLER_DISCOVERY_REVISIT_DAYS"),
            ),
            keep=not settings.getbool("NEWSCRAWLER_DRY_RUN"),
        )
        crawler.signals.connect(memory.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(memory.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(memory.article_read, signal=signals.item_scraped)
        crawler.signals.connect(memory.article_read, signal=signals.item_dropped)
        return memory

    # -- loading and keeping ------------------------------------------------------------------

    async def spider_opened(self, spider: Spider) -> None:
        self.index = required_extension(self.crawler, ArchiveIndex)
        self.active = bool(getattr(spider, "remembers_discovery", False))
        self.site = site_of(spider)
        if not self.active:
            self._loaded.set()
            return
        try:
            rows = await deferred_to_future(threads.deferToThread(self._read))
        except Exception:
            # Without it the crawl probes and reads every page again: complete, only slower.
            logger.exception("Could not read what earlier crawls found; discovering afresh")
            rows = []
        finally:
            self._loaded.set()
        for row in rows:
            page = RememberedPage(**row)  # type: ignore[arg-type]
            self._known[page.url] = page
            if page.via is not None and not page.is_next_page:
                self._led_to.setdefault(page.via, []).append(page)
        self.stats.set_value(f"{_STATS}remembered", len(self._known))

    async def wait_loaded(self) -> None:
        await self._loaded.wait()

    def _read(self) -> list[DiscoveredPageRecord]:
        with Archive.open(self.crawler.settings["ARCHIVE_URL"], create=False) as archive:
            return archive.discovered_pages(self.site)

    async def spider_closed(self, spider: Spider) -> None:
        if not self.active or not self.keep or not self._found:
            return
        pages = self._settled()
        try:
            await deferred_to_future(threads.deferToThread(self._write, pages))
        except Exception:
            logger.exception("Could not keep what this crawl's discovery found")
            return
        self.stats.set_value(f"{_STATS}kept", len(pages))

    def _settled(self) -> list[DiscoveredPageRecord]:
        """This crawl's pages, each page read with its role decided by the articles found."""
        for url, links in self._links.items():
            count = sum(1 for link in links if self._is_article(link))
            page = self._found[url]
            page.article_links = count
            page.role = "listing" if count else "navigation"
        return [_record(page) for page in self._found.values()]

    def _write(self, pages: list[DiscoveredPageRecord]) -> None:
        with Archive.open(self.crawler.settings["ARCHIVE_URL"], create=False) as archive:
            archive.remember_pages(self.site, pages)

    # -- reading ------------------------------------------------------------------------------

    def get(self, url: str) -> RememberedPage | None:
        """The page as earlier crawls left it."""
        return self._known.get(url) if self.active else None

    def skip_reason(self, url: str, lastmod: datetime | None = None) -> str | None:
        """Why the page at ``url`` need not be requested now (``missing``, ``navigation``),
        or None."""
        page = self.get(url)
        return None if page is None else self.rules.skip_reason(page, now_utc(), lastmod)

    def led_to(self, url: str) -> list[RememberedPage]:
        """The pages the page at ``url`` led to in earlier crawls, its next pages left out."""
        return self._led_to.get(url, []) if self.active else []

    def is_page(self, url: str) -> bool:
        """Is ``url`` known not to be an article page."""
        return self.active and (url in self._known or url in self._found)

    def unchanged(self, response: Response) -> bool:
        """Did the page answer as it did last time: 304, or (read by the spider) with the same
        links, whatever else changed on it (a clock, a nonce, the ads)."""
        assert response.request is not None
        url = page_key(response.request)
        if self.get(url) is None:
            return False
        return response.status == 304 or url in self._unchanged

    # -- recording ----------------------------------------------------------------------------

    def read(
        self, response: Response, links: Iterable[str], *, depth: int, page_number: int
    ) -> None:
        """A page read that is not an article, with its (canonical) links."""
        if not self.active:
            return
        links = frozenset(links)
        count = sum(1 for link in links if self._is_article(link))
        page = self._page(response, "listing" if count else "navigation", depth, page_number)
        page.article_links = count
        page.content_hash = links_hash(links)
        remembered = self.get(page.url)
        if remembered is not None and remembered.content_hash == page.content_hash:
            self._unchanged.add(page.url)
        if not count:
            self._links[page.url] = links  # articles this crawl finds may yet make it a listing

    def document(self, response: Response, *, depth: int) -> None:
        """A sitemap or feed read."""
        if self.active:
            self._page(response, "document", depth, 1)

    def missing(self, request: Request, status: int, *, depth: int, page_number: int) -> None:
        """A page or probe that does not exist (404, 410), or a sitemap or feed path that
        answered with something else."""
        if not self.active:
            return
        self._found[page_key(request)] = RememberedPage(
            url=page_key(request),
            kind=kind_of(request.meta) or "page",
            role="missing",
            http_status=status,
            via=request.meta.get(VIA),
            depth=depth,
            page_number=page_number,
            etag=None,
            last_modified=None,
            content_hash=None,
            article_links=0,
            checked_at=now_utc(),
        )

    def not_modified(self, response: Response) -> None:
        """A remembered page answered 304: as it was, looked at now."""
        assert response.request is not None
        url = page_key(response.request)
        page = self.get(url)
        if page is not None:
            self._found[url] = replace(page, checked_at=now_utc())
            self.stats.inc_value(UNCHANGED_LISTED_STAT, page.article_links)
        self.stats.inc_value(f"{_STATS}not_modified")

    def article_read(self, item: Any, response: Response, **_kwargs: Any) -> None:
        """An article item left the spider: links to its page make a page a listing."""
        if not self.active:
            return
        if response.request is not None:
            self._articles.add(page_key(response.request))
        self._articles.add(response.url)
        url = ItemAdapter(item).get("url") if ItemAdapter.is_item(item) else None
        if url:
            self._articles.add(url)

    def _is_article(self, url: str) -> bool:
        if url in self._articles:
            return True
        return self.index is not None and self.index.get(url) is not None

    def _page(self, response: Response, role: Role, depth: int, page_number: int) -> RememberedPage:
        request = response.request
        assert request is not None
        url = page_key(request)
        headers = response.headers
        page = RememberedPage(
            url=url,
            kind=kind_of(request.meta) or "page",
            role=role,
            http_status=response.status,
            via=request.meta.get(VIA),
            depth=depth,
            page_number=page_number,
            etag=_header(headers.get(b"ETag")),
            last_modified=_header(headers.get(b"Last-Modified")),
            content_hash=content_hash(response.body),
            article_links=0,
            checked_at=now_utc(),
        )
        self._found[url] = page
        return page


def _header(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None


def _record(page: RememberedPage) -> DiscoveredPageRecord:
    """The archive's row of a remembered page: the same fields."""
    return cast(
        DiscoveredPageRecord, {field.name: getattr(page, field.name) for field in fields(page)}
    )
