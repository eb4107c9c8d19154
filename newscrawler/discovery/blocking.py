"""Challenge and block pages (Cloudflare and friends): recognised, counted, never archived."""

from __future__ import annotations

import logging
import re

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.statscollectors import StatsCollector

from newscrawler.extract.blocked import block_reason
from pipelines.validation import STRONG_BLOCK_MARKERS, WEAK_BLOCK_MARKERS

logger = logging.getLogger(__name__)

#: Crawl-stats key counting blocked pages; ``newscrawler/blocked/<marker>`` splits it.
BLOCKED_STAT = "newscrawler/blocked"

#: Byte strings of which a challenge page holds at least one (lower-cased): a cheap first
#: look, so that only candidate pages are parsed and examined by ``block_reason``.
_HINTS = tuple(
    marker.encode()
    for marker in (
        *STRONG_BLOCK_MARKERS,
        *WEAK_BLOCK_MARKERS,
        "cf_chl",
        "cf-browser-verification",
        "cf-error-details",
        "/__cf",
        "cdn-cgi/challenge",
    )
)
_CHALLENGE_STATUSES = frozenset({403, 429, 503})


class BlockedPage(IgnoreRequest):
    """A challenge or block page came back instead of the page asked for."""

    def __init__(self, marker: str) -> None:
        super().__init__(f"blocked page ({marker})")
        self.marker = marker


def block_marker(response: Response) -> str | None:
    """What shows ``response`` to be a challenge or block page, or None for a real page:
    the page markers extraction knows, or a 403/429/503 answer from Cloudflare."""
    if isinstance(response, HtmlResponse) and _has_hint(response):
        marker = block_reason(response.selector, response.url)
        if marker:
            return marker
    if response.status in _CHALLENGE_STATUSES and _served_by_cloudflare(response):
        return f"cloudflare {response.status}"
    return None


def _has_hint(response: Response) -> bool:
    text = response.body.lower() + b" " + response.url.lower().encode()
    return any(hint in text for hint in _HINTS)


def _served_by_cloudflare(response: Response) -> bool:
    server = (response.headers.get("Server") or b"").lower()
    return b"cloudflare" in server or b"cf-ray" in response.headers


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
        marker = block_marker(response)
        if marker is None:
            return response
        self.stats.inc_value(BLOCKED_STAT)
        self.stats.inc_value(f"{BLOCKED_STAT}/{_slug(marker)}")
        logger.warning("Blocked page at %s (%s): not archived", request.url, marker)
        raise BlockedPage(marker)


def _slug(marker: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", marker.lower()).strip("-")
