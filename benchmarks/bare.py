"""The baselines: bare Scrapy fetching every article the site's sitemaps list, parsing nothing;
and the same crawl parsing each page as the least a Scrapy article crawler does (its title, its
paragraphs, its links), yielding an item to no pipeline. The peers of ``benchmarks.peers`` run
from here too."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider


class SitemapArticles(SitemapSpider):
    """Every article the site's sitemaps list, and nothing else."""

    def __init__(self, base_url: str, *args: Any, **kwargs: Any) -> None:
        self.sitemap_urls = [f"{base_url.rstrip('/')}/wp-sitemap.xml"]
        super().__init__(*args, **kwargs)


class BareSpider(SitemapArticles):
    name = "bare"

    def parse(self, response: Response, **kwargs: Any) -> None:
        return None


class ParsingSpider(SitemapArticles):
    name = "parsing"
    links = LinkExtractor()

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any]]:
        assert isinstance(response, TextResponse)
        yield {
            "url": response.url,
            "title": response.xpath("//title/text()").get(),
            "body": "\n\n".join(response.xpath("//p//text()").getall()),
            "links": len(self.links.extract_links(response)),
        }


SPIDERS = {spider.name: spider for spider in (BareSpider, ParsingSpider)}


def main() -> None:
    """``python -m benchmarks.bare BASE_URL SETTINGS_JSON STATS_FILE [SPIDER [NAME=VALUE...]]``:
    SPIDER one of ``bare``, ``parsing`` or a peer of ``benchmarks.peers``, the NAME=VALUE pairs
    its arguments."""
    base_url, settings_json, stats_file = sys.argv[1:4]
    name = sys.argv[4] if len(sys.argv) > 4 else "bare"
    if name in SPIDERS:
        spider: type[SitemapArticles] = SPIDERS[name]
    else:  # imported only here: the baselines do not load the peers' extractors
        from benchmarks.peers import PEERS

        spider = PEERS[name]
    arguments = dict(pair.split("=", 1) for pair in sys.argv[5:])
    process = CrawlerProcess(json.loads(settings_json))
    crawler = process.create_crawler(spider)
    process.crawl(crawler, base_url=base_url, **arguments)
    process.start()
    assert crawler.stats is not None
    with open(stats_file, "w", encoding="utf-8") as out:
        json.dump(crawler.stats.get_stats(), out, default=str)


if __name__ == "__main__":
    main()
