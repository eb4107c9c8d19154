"""Spiders for the incremental-crawl tests: the sample ISPR-like site read as the discovery
spiders read sites, every request marked with its kind (``request.meta["newscrawler"]``).

Run them with ``-s SPIDER_MODULES=tests.incremental.spiders``; the site's address comes from
``-a base_url=...`` or, for ``crawl --all``, from the setting ``TEST_SITE_URL``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawler.dates import parse_date
from newscrawler.items import ArticleItem
from newscrawler.marks import mark
from newscrawler.samples.ispr import listing_path

RELEASE_ID = re.compile(r"[?&]id=(\d+)")


class SampleListingSpider(Spider):
    """Listing pages, newest first, and the releases they link to."""

    name = "sample_listing"
    site_name = "sample"
    url_setting = "TEST_SITE_URL"

    def __init__(self, base_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SampleListingSpider:
        spider: SampleListingSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.base_url = spider.base_url or crawler.settings[cls.url_setting].rstrip("/")
        return spider

    async def start(self) -> AsyncIterator[Request]:
        yield Request(
            self.base_url + listing_path(1), callback=self.parse_listing, meta=mark("listing")
        )

    def parse_listing(self, response: Response) -> Iterator[Request]:
        for href in response.css("li.press-item a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article, meta=mark("article"))
        next_page = response.css("a[rel=next]::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse_listing, meta=mark("listing"))

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        paragraphs = [p.strip() for p in response.css("div.content-text p::text").getall()]
        title, body = (paragraphs[0], paragraphs[1:-1]) if paragraphs else (None, [])
        dateline = response.css("h4.media-date::text").get()
        match = RELEASE_ID.search(response.url)
        yield ArticleItem(
            url=response.url,
            site=self.site_name,
            fetched_at=datetime.now(UTC),
            http_status=response.status,
            language=response.css("html::attr(lang)").get(),
            title=title,
            body="\n\n".join(body),
            published_at=parse_date(dateline) if dateline else None,
            extras={"release_id": int(match.group(1)) if match else None},
        )


class OtherSampleListingSpider(SampleListingSpider):
    """The same shape as another site, for ``crawl --all``."""

    name = "sample_listing_b"
    site_name = "sample-b"
    url_setting = "TEST_SITE_B_URL"
