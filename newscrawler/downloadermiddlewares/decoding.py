"""Every response reaches the spiders decoded right (:mod:`newscrawler.encoding`)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from newscrawler.encoding import decoded_response


class DecodingMiddleware:
    """Downloader middleware: the HTTP charset is honoured unless the page's bytes prove it
    wrong, once per response, before any callback reads it.

    It sits nearest the engine, so it sees the final response: decompressed, past redirects,
    retries and the challenge check.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DecodingMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        return decoded_response(response, self.stats)
