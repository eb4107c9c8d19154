"""Any site, from its URL alone (``newscrawler crawl https://site/``).

Discovery tries what sites commonly have: robots.txt ``Sitemap:`` lines (from the robots.txt
Scrapy fetches to obey it, so it is fetched once), feeds the home page
advertises, the usual feed and sitemap paths, then links on the site up to
``NEWSCRAWLER_AUTO_MAX_DEPTH`` hops. Whether a page is an article is decided by its signals
(article metadata, one ``<article>``, a date, text density, URL shape), and the article is read
by the generic extractor.

Spider arguments: ``url`` (the site's home page) and ``site`` (the name stored in
``articles.site``; default: the host without ``www.``).

A site may put one title on every page (``<title>Press Release | ISPR</title>``, a "Press
Release" banner): an article whose title differs from the heading that opens its body is held
until its title is seen on enough pages to be learned as the site's (then it is read again,
and its heading is the headline), or until ``NEWSCRAWLER_SITE_TITLE_WAIT`` more such articles
came without it (see :mod:`newscrawler.extensions.sitetitles`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import deferred_from_coro

from newscrawler.discovery.links import COMMON_FEED_PATHS, COMMON_SITEMAP_PATHS
from newscrawler.extensions.sitetitles import SiteTitles
from newscrawler.extensions.unfetched import UnfetchedArticles
from newscrawler.extract import ExtractionResult, extract_page
from newscrawler.items import ArticleItem
from spiders.base import DiscoverySpider


class AutoSpider(DiscoverySpider):
    name = "auto"
    follow_links = True
    remembers_discovery = True

    def __init__(self, url: str = "", site: str | None = None, **kwargs: Any) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"auto mode needs the site's http(s) URL, got {url!r}")
        host = parts.hostname.removeprefix("www.")
        super().__init__(name=kwargs.pop("name", host), **kwargs)
        self.start_url = url
        self.site_name = site or host

    def configure(self, crawler: Crawler) -> None:
        super().configure(crawler)
        self.max_depth = crawler.settings.getint("NEWSCRAWLER_AUTO_MAX_DEPTH")
        self.site_titles = crawler.get_extension(SiteTitles)
        self.held = HeldArticles(crawler.settings.getint("NEWSCRAWLER_SITE_TITLE_WAIT"))
        crawler.signals.connect(self.release_held, signal=signals.spider_idle)
        self.robots_read_by_scrapy = crawler.settings.getbool("ROBOTSTXT_OBEY")
        if self.robots_read_by_scrapy:
            crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    def hosts(self) -> Iterable[str]:
        return [urlsplit(self.start_url).hostname or ""]

    def is_article_url(self, url: str) -> bool | None:
        return None

    def extract(self, response: Response) -> ExtractionResult:
        titles = self.site_titles.of(response.url) if self.site_titles else frozenset()
        return extract_page(response, None, site_titles=titles)

    def articles_of(self, response: Response, result: ExtractionResult) -> Iterator[Any]:
        item = result.item
        assert item is not None and item.title is not None
        title = item.title
        if self.site_titles is None or not result.title_in_doubt:
            yield item
        elif self.site_titles.learn(response.url, title, item.body or ""):
            for held_response, held_item in [*self.held.take(title), (response, item)]:
                yield self.extract(held_response).item or held_item  # read with the title known
        else:
            self.held.hold(title, response, item)
        yield from self.held.expired()

    def closed(self, reason: str) -> None:
        """Articles still held when the crawl stops early (Ctrl-C, a limit) go on the list the
        next run fetches first: they were read, but never reached the archive."""
        held = self.held.take_all()
        unfetched = self.crawler.get_extension(UnfetchedArticles)
        if held and unfetched is not None:
            unfetched.handed(item.url for _, item in held)

    def release_held(self) -> None:
        """At the end of the crawl, the held articles go to the pipelines as they are."""
        held = self.held.take_all()
        if not held:
            return
        assert self.crawler.engine is not None
        scraper = self.crawler.engine.scraper
        for response, item in held:
            deferred_from_coro(scraper.start_itemproc_async(item, response=response))
        raise DontCloseSpider

    async def seed_requests(self) -> AsyncIterator[Request]:
        if self.memory is not None:
            await self.memory.wait_loaded()
        async for request in super().seed_requests():
            yield request

    def seeds(self) -> Iterator[Request]:
        root = urljoin(self.start_url, "/")
        if not self.robots_read_by_scrapy:
            yield self.request(urljoin(root, "robots.txt"), "robots")
        yield self.request(self.start_url, "page", callback=self.parse_home)
        for path in COMMON_SITEMAP_PATHS:
            yield self.request(urljoin(root, path), "sitemap")
        for path in COMMON_FEED_PATHS:
            yield self.request(urljoin(root, path), "feed")

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """The ``Sitemap:`` lines of the robots.txt Scrapy fetched to obey it: read from there,
        robots.txt is fetched once a crawl, not a second time by the spider."""
        robots = getattr(robotparser, "rp", None)  # Protego's, the default parser
        assert self.crawler.engine is not None
        for url in getattr(robots, "sitemaps", ()):
            sitemap = self.document_request(urljoin(request.url, url), "sitemap")
            if sitemap is not None:
                self.crawler.engine.crawl(sitemap)

    def parse_home(self, response: Response) -> Iterator[Any]:
        if response.status != 304:
            yield from self.feeds_of(response)
        yield from self.parse_page(response)


class HeldArticles:
    """Articles whose title may be one their site puts on every page, oldest first."""

    def __init__(self, wait: int) -> None:
        self.wait = wait
        self._held: dict[int, tuple[str, Response, ArticleItem]] = {}
        self._count = 0

    def hold(self, title: str, response: Response, item: ArticleItem) -> None:
        self._count += 1
        self._held[self._count] = (title, response, item)

    def take(self, title: str) -> list[tuple[Response, ArticleItem]]:
        """The held articles that were given ``title``."""
        numbers = [number for number, held in self._held.items() if held[0] == title]
        return [self._held.pop(number)[1:] for number in numbers]

    def take_all(self) -> list[tuple[Response, ArticleItem]]:
        held = [(response, item) for _, response, item in self._held.values()]
        self._held.clear()
        return held

    def expired(self) -> Iterator[ArticleItem]:
        """Those that waited for ``wait`` later held articles in vain."""
        while self._held and next(iter(self._held)) <= self._count - self.wait:
            yield self._held.pop(next(iter(self._held)))[2]
