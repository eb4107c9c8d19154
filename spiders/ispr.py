"""ISPR press releases: the archive listing, page by page, and each release it links to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response

from newscrawler.items import ArticleItem

DEFAULT_BASE_URL = "https://www.ispr.gov.pk"
LISTING_PATH = "/press-release-archive.php?cat=army"
DETAIL_URL = re.compile(r"/press-release-detail(?:\.php)?\?id=(\d+)")
END_OF_RELEASE = re.compile(r"^-0(?:-0)+-?$")


class IsprSpider(Spider):
    name = "ispr"
    site_name = "ispr"

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = base_url.rstrip("/")

    async def start(self) -> Any:
        yield Request(self.base_url + LISTING_PATH, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        for href in response.css("a::attr(href)").getall():
            if DETAIL_URL.search(href):
                yield response.follow(href, callback=self.parse_release)
        next_page = response.css("a[rel=next]::attr(href), a.next::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse_listing)

    def parse_release(self, response: Response) -> Iterator[ArticleItem]:
        yield release_item(response, site=self.site_name)


def release_item(response: Response, *, site: str) -> ArticleItem:
    """The article on an ISPR release page: an upper-case title line, then the body up to
    the ``-0-0-0-`` end-of-release marker."""
    paragraphs = [
        " ".join(" ".join(p.css("::text").getall()).split())
        for p in response.css("div.content-text p")
    ]
    paragraphs = [p for p in paragraphs if p]
    end = next((i for i, p in enumerate(paragraphs) if END_OF_RELEASE.match(p)), None)
    paragraphs = paragraphs[:end]
    title = paragraphs.pop(0) if paragraphs else None
    match = DETAIL_URL.search(response.url)
    return ArticleItem(
        url=response.url,
        site=site,
        fetched_at=datetime.now(UTC),
        http_status=response.status,
        language=response.css("html::attr(lang)").get(),
        title=title,
        body="\n\n".join(paragraphs),
        extras={
            "release_id": int(match.group(1)) if match else None,
            "pr_number": _clean(response.css("h4.media-heading::text").get()),
            "dateline": _clean(response.css("h4.media-date::text").get()),
        },
    )


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None
