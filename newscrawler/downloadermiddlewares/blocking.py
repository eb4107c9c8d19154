"""Challenge and block pages (Cloudflare and friends): recognised, counted, never archived."""

from __future__ import annotations

import logging
import re

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from newscrawler.blocks import response_block_marker
from newscrawler.exceptions import BlockedPage
from newscrawler.stats import BLOCKED_STAT

logger = logging.getLogger(__name__)


class BlockedPageMiddleware:
    """Downloader middleware: a challenge page never reaches a spider or the archive.

    It sits between the retry middleware and the decompression one, so a challenge is neither
    retried (it will not go away by asking again at once) nor read compressed.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockedPageMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        marker = response_block_marker(response)
        if marker is None:
            return response
        self.stats.inc_value(BLOCKED_STAT)
        self.stats.inc_value(f"{BLOCKED_STAT}/{_slug(marker)}")
        logger.warning("Blocked page at %s (%s): not archived", request.url, marker)
        raise BlockedPage(marker)


def _slug(marker: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", marker.lower()).strip("-")
