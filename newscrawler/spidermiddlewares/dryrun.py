"""The dry run (``newscrawler crawl SITE --dry-run``, ``NEWSCRAWLER_DRY_RUN``): discovery only.

Robots.txt, sitemaps, feeds, listings and other pages are fetched as in a real run; the
requests for article pages that would follow them (after the incremental middleware's
decisions, so an archived site lists only what a real run would fetch) are not made but
listed, in the order found, in the stats as ``newscrawler/dry_run/urls``. An article found on
a page fetched for discovery (auto mode reads articles off any page) is listed and not passed
on. Nothing reaches the archive: the sink is off in a dry run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newscrawler.marks import mark_of

#: The article URLs a real run would fetch, in the order found (a list).
DRY_RUN_STAT = "newscrawler/dry_run/urls"


class DryRunMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.urls: list[str] = []
        self._listed: set[str] = set()
        stats.set_value(DRY_RUN_STAT, self.urls)  # the list grows in place

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DryRunMiddleware:
        if not crawler.settings.getbool("NEWSCRAWLER_DRY_RUN"):
            raise NotConfigured  # the usual case: not said, which Scrapy would log as a warning
        assert crawler.stats is not None
        return cls(crawler.stats)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            if self._passes(output):
                yield output

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if self._passes(output):
                yield output

    def _passes(self, output: Any) -> bool:
        if isinstance(output, Request):
            if mark_of(output).kind != "article":
                return True
            url = output.url
        elif ItemAdapter.is_item(output):
            url = str(ItemAdapter(output).get("url"))
        else:
            return True
        if url not in self._listed:
            self._listed.add(url)
            self.urls.append(url)
        return False
