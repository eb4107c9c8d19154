"""Article pages a run could not fetch, handed to the site's next run.

A transient failure (what Scrapy itself retries: a timeout, a refused or lost connection, a
``RETRY_HTTP_CODES`` answer such as 500 or 429, once its retries are spent; or a challenge page)
leaves an article unarchived, and nothing makes the next run discover it again: listings stop
early once their pages hold only archived articles, and a child sitemap unchanged since the last
finished run is not read. So a run keeps those URLs in its stats as
``newscrawler/unfetched_urls`` (stored with the run record), together with the ones it was handed
and did not reach (stopped by a limit or by Ctrl-C), and the next run requests them right after
its start requests. A URL leaves the list once it is answered with anything but a transient
failure: archived, not an article, or gone (404).

The list is an extension (``EXTENSIONS``): the spider adds failed requests to it, the
incremental spider middleware hands it the previous run's list and takes reached URLs off it.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector
from scrapy.utils.misc import load_object
from twisted.python.failure import Failure

from newscrawler.exceptions import BlockedPage
from newscrawler.stats import UNFETCHED_STAT


class UnfetchedArticles:
    """This run's list, written to the crawl stats at every change, so that a run stopped at
    any moment records what it has."""

    def __init__(
        self,
        stats: StatsCollector,
        *,
        retry_codes: Iterable[int],
        retry_exceptions: Iterable[type[BaseException]],
    ) -> None:
        self.stats = stats
        self.retry_codes = frozenset(retry_codes)
        self.transient_errors = (*retry_exceptions, BlockedPage)
        self._urls: dict[str, None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnfetchedArticles:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            crawler.stats,
            retry_codes=map(int, settings.getlist("RETRY_HTTP_CODES")),
            retry_exceptions=[load_object(e) for e in settings.getlist("RETRY_EXCEPTIONS")],
        )

    def handed(self, urls: Iterable[str]) -> None:
        """URLs an earlier run could not fetch: unfetched until this run reaches them."""
        self._urls.update(dict.fromkeys(urls))
        self._publish()

    def reached(self, response: Response) -> None:
        """``response`` answered a request (its redirects followed): done with, unless it is an
        answer to retry later, which the spider's errback has kept already."""
        request = response.request
        if not self._urls or request is None or response.status in self.retry_codes:
            return
        if self._discard(_urls_of(request)):
            self._publish()

    def failed(self, request: Request, failure: Failure) -> None:
        urls = _urls_of(request)
        if self.is_transient(failure):
            self._urls[urls[0]] = None
        elif not self._discard(urls):
            return
        self._publish()

    def is_transient(self, failure: Failure) -> bool:
        """Would the request succeed later: what Scrapy retries, or a challenge page."""
        if isinstance(failure.value, HttpError):
            return failure.value.response.status in self.retry_codes
        return bool(failure.check(*self.transient_errors))

    def _discard(self, urls: Iterable[str]) -> bool:
        found = [url for url in urls if url in self._urls]
        for url in found:
            del self._urls[url]
        return bool(found)

    def _publish(self) -> None:
        self.stats.set_value(UNFETCHED_STAT, list(self._urls))


def _urls_of(request: Request) -> list[str]:
    """The URL the request was made for first, then the ones it was redirected to."""
    return [*request.meta.get("redirect_urls", ()), request.url]
