"""The since pipeline: with ``NEWSCRAWLER_SINCE`` (``crawl SITE --since DATE``), drop articles
published before that date as ``newscrawler/dropped/before_since``. Articles whose publication
date is unknown are kept. Sitemap and feed entries dated earlier are not even fetched (see
newscrawler.spidermiddlewares.incremental)."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawler.incremental.since import Since, since_setting
from newscrawler.stats import DROPPED_PREFIX

logger = logging.getLogger(__name__)

REASON = "before_since"


class SincePipeline:
    def __init__(self, stats: StatsCollector, since: Since) -> None:
        self.stats = stats
        self.since = since

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SincePipeline:
        since = since_setting(crawler.settings)
        if since is None:
            # The usual case: said without a message, which Scrapy would log as a warning.
            raise NotConfigured
        assert crawler.stats is not None
        return cls(crawler.stats, since)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        published = adapter.get("published_at")
        if published is None or not self.since.excludes(published):
            return item
        self.stats.inc_value(DROPPED_PREFIX + REASON)
        logger.info("Dropped %s: %s (published %s)", adapter.get("url"), REASON, published)
        raise DropItem(f"{REASON}: published {published.isoformat()} ({adapter.get('url')})")
