"""One-off fetch of exactly the given pages into the archive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.http import Response

from newscrawler.extract.generic import extract_generic
from newscrawler.items import ArticleItem
from spiders.ispr import DETAIL_URL, IsprSpider, release_item


class ScrapeSpider(Spider):
    """Fetches ``urls`` (a list, or one string of space-separated URLs) and nothing else."""

    name = "scrape"

    def __init__(self, urls: list[str] | str = (), *args: Any, **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.urls = urls.split() if isinstance(urls, str) else list(urls)

    async def start(self) -> Any:
        for url in self.urls:
            yield Request(url, callback=self.parse_page, dont_filter=True)

    def parse_page(self, response: Response) -> Iterator[ArticleItem]:
        if DETAIL_URL.search(response.url):
            yield release_item(response, site=IsprSpider.site_name)
        else:
            item = extract_generic(response, site=urlsplit(response.url).hostname or "unknown")
            if item is not None:
                yield item
