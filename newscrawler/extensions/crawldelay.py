"""robots.txt ``Crawl-delay``, applied: Scrapy reads the directive but leaves it unused."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

#: Crawl-stats key: the largest Crawl-delay applied in the run, in seconds.
CRAWL_DELAY_STAT = "newscrawler/crawl_delay"


class RobotsCrawlDelay:
    """Extension: once a site's robots.txt is parsed, its ``Crawl-delay`` for our user agent
    becomes the least delay of that site's download slot (capped by
    ``NEWSCRAWLER_MAX_CRAWL_DELAY``), without random variation. AutoThrottle may slow the slot
    further; each request puts the delay back to at least the site's."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("ROBOTSTXT_OBEY is off")
        self.crawler = crawler
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_delay = settings.getfloat("NEWSCRAWLER_MAX_CRAWL_DELAY")
        self.delays: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.apply, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.apply, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelay:
        return cls(crawler)

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if not delay:
            return
        delay = min(float(delay), self.max_delay)
        self.delays[urlparse_cached(request).netloc] = delay
        assert self.crawler.stats is not None
        self.crawler.stats.max_value(CRAWL_DELAY_STAT, delay)
        logger.info("robots.txt of %s asks for %.1fs between requests", request.url, delay)

    def apply(self, request: Request) -> None:
        delay = self.delays.get(urlparse_cached(request).netloc)
        if delay is None or self.crawler.engine is None:
            return
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot", ""))
        if slot is not None and slot.delay < delay:
            slot.delay = delay
            # A random variation below the delay would break the site's rule.
            slot.jitter = 0.0
