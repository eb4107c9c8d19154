"""Any site, from its URL alone (``newscrawler crawl https://site/``).

Discovery tries what sites commonly have: robots.txt ``Sitemap:`` lines, feeds the home page
advertises, the usual feed and sitemap paths, then links on the site up to
``NEWSCRAWLER_AUTO_MAX_DEPTH`` hops. Whether a page is an article is decided by its signals
(article metadata, one ``<article>``, a date, text density, URL shape), and the article is read
by the generic extractor.

Spider arguments: ``url`` (the site's home page) and ``site`` (the name stored in
``articles.site``; default: the host without ``www.``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawler.discovery.links import COMMON_FEED_PATHS, COMMON_SITEMAP_PATHS
from newscrawler.extract import ExtractionResult, extract_page
from spiders.base import DiscoverySpider


class AutoSpider(DiscoverySpider):
    name = "auto"
    follow_links = True

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

    def hosts(self) -> Iterable[str]:
        return [urlsplit(self.start_url).hostname or ""]

    def is_article_url(self, url: str) -> bool | None:
        return None

    def extract(self, response: Response) -> ExtractionResult:
        return extract_page(response, None)

    def seeds(self) -> Iterator[Request]:
        root = urljoin(self.start_url, "/")
        yield self.request(urljoin(root, "robots.txt"), "robots")
        yield self.request(self.start_url, "page", callback=self.parse_home)
        for path in COMMON_SITEMAP_PATHS:
            yield self.request(urljoin(root, path), "sitemap")
        for path in COMMON_FEED_PATHS:
            yield self.request(urljoin(root, path), "feed")

    def parse_home(self, response: Response) -> Iterator[Any]:
        yield from self.feeds_of(response)
        yield from self.parse_page(response)
