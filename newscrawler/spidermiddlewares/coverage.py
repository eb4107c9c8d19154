"""The field coverage spider middleware: how many of the spider's items have each field.

Counts every item a spider yields (before any pipeline drops it) as
``newscrawler/coverage/items``, and those with a non-empty value of each field named in
``NEWSCRAWLER_HEALTH_FIELDS`` as ``newscrawler/coverage/<field>``. The run's health check
(:mod:`newscrawler.health`) compares these shares with the site's recent runs: a site whose
pages changed shape shows up as a drop, even when validation then drops the items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newscrawler.health import HealthPolicy
from newscrawler.stats import COVERAGE_PREFIX


class FieldCoverageMiddleware:
    def __init__(self, stats: StatsCollector, fields: Sequence[str]) -> None:
        self.stats = stats
        self.fields = tuple(fields)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FieldCoverageMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats, HealthPolicy.from_settings(crawler.settings).fields)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if not isinstance(output, Request) and ItemAdapter.is_item(output):
                self._count(ItemAdapter(output))
            yield output

    def _count(self, item: ItemAdapter) -> None:
        self.stats.inc_value(f"{COVERAGE_PREFIX}items")
        for field in self.fields:
            if item.get(field):
                self.stats.inc_value(f"{COVERAGE_PREFIX}{field}")
