"""The baseline: bare Scrapy following the same links as the ISPR spider, parsing nothing."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from spiders.ispr import DETAIL_URL, LISTING_PATH


class BareSpider(Spider):
    name = "bare"

    def __init__(self, base_url: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = base_url.rstrip("/")

    async def start(self) -> Any:
        yield Request(self.base_url + LISTING_PATH, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        for href in response.css("a::attr(href)").getall():
            if DETAIL_URL.search(href):
                yield response.follow(href, callback=self.parse_nothing)
        next_page = response.css("a[rel=next]::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse_listing)

    def parse_nothing(self, response: Response) -> None:
        return None


def main() -> None:
    """``python -m benchmarks.bare BASE_URL SETTINGS_JSON STATS_FILE``."""
    base_url, settings_json, stats_file = sys.argv[1:4]
    process = CrawlerProcess(json.loads(settings_json))
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, base_url=base_url)
    process.start()
    assert crawler.stats is not None
    with open(stats_file, "w", encoding="utf-8") as out:
        json.dump(crawler.stats.get_stats(), out, default=str)


if __name__ == "__main__":
    main()
