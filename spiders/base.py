"""The discovery spider: what the profile, auto and ISPR spiders share.

It finds a site's pages through robots.txt, sitemaps, feeds, listings and links; every URL
passes the frontier (canonical form, own hosts only, no traps, once); article pages go to
extraction, and pages that are not articles are counted by reason, never yielded.

A spider with ``remembers_discovery`` (auto mode) tells the discovery memory
(:mod:`newscrawler.extensions.discoverymemory`) what each page that is not an article was, and
answers a 304 of such a page with the pages it led to last time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from typing import Any, cast

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from newscrawler.discovery.feeds import autodiscovered_feeds, parse_feed
from newscrawler.discovery.frontier import Frontier
from newscrawler.discovery.hosts import HostPolicy
from newscrawler.discovery.links import next_page_links, numbered_pages, page_links
from newscrawler.discovery.sitemaps import parse_sitemap, sitemaps_in_robots
from newscrawler.discovery.traps import TrapFilter, TrapRules
from newscrawler.downloadermiddlewares.conditional import ARCHIVED_URL
from newscrawler.exceptions import BlockedPage, NotModified, RedirectLoop
from newscrawler.extensions.discoverymemory import VIA, DiscoveryMemory, page_key
from newscrawler.extensions.unfetched import UnfetchedArticles
from newscrawler.extract import ExtractionResult, NotArticle
from newscrawler.incremental.discovered import MISSING_STATUSES, RememberedPage
from newscrawler.marks import REFETCHED_KINDS, Kind, kind_of, mark
from newscrawler.stats import (
    ERRORS_STAT,
    EXTRACTED_STAT,
    FETCH_FAILED_PREFIX,
    NOT_A_DOCUMENT_PREFIX,
    NOT_ARTICLE_PREFIX,
)

logger = logging.getLogger(__name__)

#: Request meta: link hops from the nearest seed, and the page number within a listing.
DEPTH_META = "newscrawler_depth"
PAGE_META = "newscrawler_page"

#: Scheduling priorities: discovery documents first, then articles, then pages by depth.
PRIORITY: dict[Kind, int] = {
    "robots": 40,
    "sitemap": 30,
    "feed": 30,
    "listing": 20,
    "article": 10,
    "page": 0,
}


class DiscoverySpider(Spider):
    """Subclasses name the hosts, the seeds, which URLs are articles and how to extract."""

    #: The value stored in ``articles.site``.
    site_name: str = ""
    #: Follow links from every page (not only from seeds), up to ``max_depth`` hops.
    follow_links: bool = False
    max_depth: int = 0
    #: Pages of a listing followed through its "next" links, when the listing gives no bound.
    max_pages: int
    frontier: Frontier
    #: Keep what discovery finds for the next crawl of the site (the discovery memory).
    remembers_discovery: bool = False
    memory: DiscoveryMemory | None = None

    def configure(self, crawler: Crawler) -> None:
        """Read the settings (at start: the crawl's stats exist only from then on)."""
        settings = crawler.settings
        assert crawler.stats is not None
        hosts = HostPolicy.of([*self.hosts(), *settings.getlist("NEWSCRAWLER_HOST_ALIASES")])
        traps = TrapFilter(TrapRules.from_settings(settings))
        self.frontier = Frontier(hosts, traps, crawler.stats, deny=self.deny_patterns())
        self.max_pages = settings.getint("NEWSCRAWLER_MAX_LISTING_PAGES")
        self.max_document_size = settings.getint("DOWNLOAD_MAXSIZE")
        if self.remembers_discovery:
            self.memory = crawler.get_extension(DiscoveryMemory)

    def host_policy(self) -> HostPolicy:
        """The hosts this crawl fetches from; redirects elsewhere are not followed."""
        return self.frontier.hosts

    # -- what subclasses say ----------------------------------------------------------------

    def hosts(self) -> Iterable[str]:
        raise NotImplementedError

    def deny_patterns(self) -> Iterable[Any]:
        return ()

    def seeds(self) -> Iterable[Request]:
        raise NotImplementedError

    def is_article_url(self, url: str) -> bool | None:
        """True for article URLs, False for others, None when only the page can tell."""
        raise NotImplementedError

    def extract(self, response: Response) -> ExtractionResult:
        raise NotImplementedError

    # -- requests -----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self.configure(self.crawler)
        async for request in self.seed_requests():
            yield request

    async def seed_requests(self) -> AsyncIterator[Request]:
        for request in self.seeds():
            yield request

    def request(
        self,
        url: str,
        kind: Kind,
        *,
        callback: Any = None,
        errback: Any = None,
        lastmod: datetime | None = None,
        depth: int = 0,
        meta: dict[str, Any] | None = None,
        priority: int | None = None,
    ) -> Request:
        """A request marked with its ``kind`` (see :mod:`newscrawler.marks`)."""
        return Request(
            url,
            callback=callback or self.callbacks()[kind],
            errback=errback or self.fetch_failed,
            priority=PRIORITY[kind] - depth if priority is None else priority,
            meta={**mark(kind, lastmod), DEPTH_META: depth, **(meta or {})},
        )

    def callbacks(self) -> dict[Kind, Any]:
        return {
            "robots": self.parse_robots,
            "sitemap": self.parse_sitemap,
            "feed": self.parse_feed,
            "listing": self.parse_page,
            "article": self.parse_page,
            "page": self.parse_page,
        }

    def document_request(
        self, url: str, kind: Kind, lastmod: datetime | None = None
    ) -> Request | None:
        """A sitemap, feed or robots.txt request, when ``url`` is on the site."""
        reason = self.frontier.hosts.reason(url)
        if reason is not None:
            self.frontier.reject(url, reason)
            return None
        return self.request(url, kind, lastmod=lastmod)

    def candidate(
        self, url: str, source: str, *, lastmod: datetime | None = None, depth: int = 0
    ) -> Iterator[Request]:
        """A request for a URL that a sitemap, feed or listing gives as an article.

        A URL given again with a date is asked for again: a later source (a sitemap's
        ``lastmod`` after a feed's publication date) may show a change the first one did not,
        and the incremental middleware decides on the newest evidence."""
        canonical = self.frontier.canonical(url)
        if self.is_article_url(canonical) is False:
            self.frontier.reject(canonical, "not_article_url")
        elif self.frontier.admit(canonical, source) or (
            lastmod is not None and self.frontier.has_admitted(canonical)
        ):
            yield self.request(canonical, "article", lastmod=lastmod, depth=depth)

    # -- robots.txt, sitemaps, feeds ----------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in sitemaps_in_robots(response):
            request = self.document_request(url, "sitemap")
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status == 304:
            yield from self.not_modified(response)
            return
        sitemap = parse_sitemap(response, max_size=self.max_document_size)
        if sitemap is None:
            self.not_a_document(response, "sitemap")
            return
        self.document_read(response)
        for entry in sitemap.entries:
            if sitemap.type == "sitemapindex":
                request = self.document_request(entry.url, "sitemap", entry.lastmod)
                if request is not None:
                    yield request
            else:
                yield from self.candidate(entry.url, "sitemap", lastmod=entry.lastmod)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if response.status == 304:
            yield from self.not_modified(response)
            return
        entries = parse_feed(response)
        if entries is None:
            self.not_a_document(response, "feed")
            return
        self.document_read(response)
        for entry in entries:
            yield from self.candidate(entry.url, "feed", lastmod=entry.lastmod)

    def feeds_of(self, response: Response) -> Iterator[Request]:
        """Requests for the feeds a page advertises (feed autodiscovery)."""
        for url in autodiscovered_feeds(response):
            request = self.document_request(url, "feed")
            if request is not None:
                yield request

    def not_a_document(self, response: Response, kind: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(NOT_A_DOCUMENT_PREFIX + kind)
        logger.info("Not a %s: %s (%s)", kind, response.url, response.headers.get("Content-Type"))
        if self.memory is not None:  # a path without a sitemap or feed, as a 404 is
            assert response.request is not None
            self.memory.missing(
                response.request, response.status, depth=_depth(response.meta), page_number=1
            )

    def document_read(self, response: Response) -> None:
        if self.memory is not None:
            self.memory.document(response, depth=_depth(response.meta))

    # -- the discovery memory -----------------------------------------------------------------

    def not_modified(self, response: Response) -> Iterator[Request]:
        """A remembered page answered 304: the pages it led to last time stand for its links
        (its next page left out: an unchanged listing page ends its listing's paging)."""
        if self.memory is None or response.request is None:
            return  # not a page this spider asked for conditionally: nothing to read
        self.memory.not_modified(response)
        for page in self.memory.led_to(page_key(response.request)):
            request = self.remembered(page)
            if request is not None:
                yield request

    def remembered(self, page: RememberedPage) -> Request | None:
        """A request for a page an earlier crawl found, once a crawl (None after that)."""
        if not self.frontier.admit(page.url, "memory", check_traps=False):
            return None
        kind = cast(Kind, page.kind)
        return self.request(page.url, kind, depth=page.depth, meta={VIA: page.via})

    # -- pages --------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A page given by its URL alone (``scrapy parse --spider NAME URL``): read as an
        article page with the spider's rules, its links not followed."""
        if getattr(self, "frontier", None) is None:
            self.configure(self.crawler)  # not started through start(): configured here
        result = self.extract_and_count(response)
        if result.item is not None:
            yield from self.articles_of(response, result)

    def parse_page(self, response: Response) -> Iterator[Any]:
        """An article, listing or other page: extract it if it may be an article, then
        follow its links as the spider's rules allow."""
        kind = kind_of(response.meta)
        if response.status == 304:
            yield from self.not_modified(response)
            return
        is_article = kind == "article" or (
            kind == "page"
            and self.is_article_url(self.frontier.canonical(response.url)) is not False
        )
        result = self.extract_and_count(response) if is_article else None
        if result is not None and result.item is not None:
            yield from self.articles_of(response, result)
        yield from self.follow(response, found_article=result is not None and result.ok)

    def articles_of(self, response: Response, result: ExtractionResult) -> Iterator[Any]:
        """The items to yield now for the article ``result`` read from ``response``."""
        yield result.item

    def extract_and_count(self, response: Response) -> ExtractionResult:
        result = self.extract(response)
        assert self.crawler.stats is not None
        if result.item is not None:
            self.crawler.stats.inc_value(EXTRACTED_STAT)
        else:
            reason = result.reason or NotArticle.NOT_ARTICLE
            self.crawler.stats.inc_value(NOT_ARTICLE_PREFIX + reason)
            logger.debug("Not an article: %s (%s %s)", response.url, reason, result.detail)
        return result

    def follow(self, response: Response, *, found_article: bool) -> Iterator[Request]:
        """Links of this page worth a request: the next page of a listing, article links,
        and, within ``max_depth``, other pages of the site."""
        kind = kind_of(response.meta)
        depth = int(response.meta.get(DEPTH_META, 0))
        is_seed = depth == 0 and kind in ("page", "listing")
        if not (self.follow_links or is_seed):
            return
        links = page_links(response)
        if self.memory is not None and not found_article:
            self.memory.read(
                response,
                map(self.frontier.canonical, links),
                depth=depth,
                page_number=int(response.meta.get(PAGE_META, 1)),
            )
        listing_pages: set[str] = set()
        if not found_article:
            next_links = next_page_links(response, links)
            later, earlier = numbered_pages(response.url, links)
            listing_pages = {*next_links, *later, *earlier}
            yield from self.next_pages(response, depth, next_links)
        for url in links:
            if url not in listing_pages:
                yield from self.link(url, depth + 1)

    def next_pages(self, response: Response, depth: int, urls: list[str]) -> Iterator[Request]:
        """The next pages of a listing: the same listing, so as deep as its first page, and
        as far as ``max_pages`` (or the incremental listing stop) allows. The listing's other
        pages are reached through them, never as links one step deeper."""
        page = int(response.meta.get(PAGE_META, 1))
        if page >= self.max_pages:
            return
        for url in urls:
            canonical = self.frontier.canonical(url)
            if self.frontier.admit(canonical, "pagination", check_traps=False):
                yield self.request(canonical, "listing", depth=depth, meta={PAGE_META: page + 1})

    def link(self, url: str, depth: int) -> Iterator[Request]:
        """A request for a link found ``depth`` hops from a seed, if the rules allow one."""
        if self.frontier.has_admitted(url):
            return  # a canonical URL requested already: no need to canonicalize it again
        canonical = self.frontier.canonical(url)
        if self.frontier.has_decided(canonical):
            return  # requested or refused already (navigation links repeat on every page)
        is_article = self.is_article_url(canonical)
        if is_article:
            # An article link counts one hop further than a page link: articles are the goal.
            if depth <= self.max_depth + 1 and self.frontier.admit(canonical, "links"):
                yield self.request(canonical, "article", depth=depth)
        elif (
            (is_article is None or self.follow_links)
            and depth <= self.max_depth
            and self.frontier.admit(canonical, "links")
        ):
            yield self.request(canonical, "page", depth=depth)

    # -- failures -----------------------------------------------------------------------------

    def fetch_failed(self, failure: Failure) -> None:
        if failure.check(NotModified):
            return  # the archived copy is current: counted as not modified, not as a failure
        request = failure.request  # type: ignore[attr-defined]
        reason = failure_reason(failure)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(FETCH_FAILED_PREFIX + reason)
        kind = kind_of(request.meta)
        unfetched = self.crawler.get_extension(UnfetchedArticles)
        if kind in REFETCHED_KINDS and unfetched is not None:
            unfetched.failed(request, failure)
        self.remember_missing(request, failure)
        # A sitemap, feed or robots.txt the site does not have is an answer, not an error.
        quiet = kind in ("robots", "sitemap", "feed") and reason == "http_404"
        if not quiet:
            self.crawler.stats.inc_value(ERRORS_STAT)
        logger.log(
            logging.INFO if quiet else logging.WARNING,
            "Could not fetch %s (%s): %s",
            request.url,
            reason,
            failure.getErrorMessage(),
        )

    def remember_missing(self, request: Request, failure: Failure) -> None:
        """A page or probe that answered 404 or 410 (not an archived article: a removal)."""
        if self.memory is None or not isinstance(failure.value, HttpError):
            return
        status = failure.value.response.status
        if status in MISSING_STATUSES and ARCHIVED_URL not in request.meta:
            page_number = int(request.meta.get(PAGE_META, 1))
            self.memory.missing(
                request, status, depth=_depth(request.meta), page_number=page_number
            )


def _depth(meta: dict[str, Any]) -> int:
    return int(meta.get(DEPTH_META, 0))


def failure_reason(failure: Failure) -> str:
    """A short name for why a request failed, for stats and logs."""
    if isinstance(failure.value, HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(BlockedPage):
        return "blocked"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(RedirectLoop) or (
        failure.check(IgnoreRequest) and "max redirections" in str(failure.value)
    ):
        return "redirect_loop"
    return type(failure.value).__name__.lower()
