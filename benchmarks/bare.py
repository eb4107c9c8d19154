"""The baseline: bare Scrapy fetching every article the site's sitemaps list, parsing nothing."""

from __future__ import annotations

import json
import sys
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BareSpider(SitemapSpider):
    name = "bare"

    def __init__(self, base_url: str, *args: Any, **kwargs: Any) -> None:
        self.sitemap_urls = [f"{base_url.rstrip('/')}/wp-sitemap.xml"]
        super().__init__(*args, **kwargs)

    def parse(self, response: Response, **kwargs: Any) -> None:
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
