"""Redirects stay on the crawl's own hosts: a page cannot steer the crawler elsewhere.

Scrapy follows a redirect by scheduling a new request for its target, which passes every
downloader middleware again, with the URLs it came through in ``meta["redirect_urls"]``. This
middleware refuses such a hop when its target is not one of the crawl's own hosts (the spider's
``host_policy()``: the site's hosts, their ``www.`` forms and ``NEWSCRAWLER_HOST_ALIASES``;
for a spider without one, the host of the first URL) or when it points at a loopback, private,
link-local or otherwise reserved address that the crawl did not start from: a crawler inside an
organisation is never led to its internal addresses by a web page.

A redirect back to a URL of its own chain is a loop: Scrapy's duplicate filter would drop the
repeated request without a word, so :class:`RedirectLoopMiddleware` refuses it where the
redirect is seen, and the page is reported as not fetched.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Protocol, runtime_checkable
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from w3lib.url import safe_url_string

from newscrawler.discovery.hosts import HostPolicy
from newscrawler.exceptions import OffsiteRedirect, RedirectLoop
from newscrawler.stats import REDIRECT_OFFSITE_STAT

logger = logging.getLogger(__name__)

#: The statuses Scrapy's redirect middleware follows.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@runtime_checkable
class HostBound(Protocol):
    """A spider that says which hosts its crawl may fetch from."""

    def host_policy(self) -> HostPolicy: ...


class OffsiteRedirectMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirectMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        hops: list[str] = request.meta.get("redirect_urls") or []
        if not hops:
            return
        reason = refusal(request.url, hops[0], self._policy(hops[0]))
        if reason is None:
            return
        self.stats.inc_value(REDIRECT_OFFSITE_STAT)
        logger.warning(
            "Redirect not followed: %s -> %s (%s)", " -> ".join(hops), request.url, reason
        )
        raise OffsiteRedirect(f"redirect to {reason}: {request.url}")

    def _policy(self, first_url: str) -> HostPolicy:
        spider = self.crawler.spider
        if isinstance(spider, HostBound):
            return spider.host_policy()
        return HostPolicy.of([first_url])


class RedirectLoopMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or location is None:
            return response
        if request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, safe_url_string(location))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        return response


def refusal(target: str, origin: str, policy: HostPolicy) -> str | None:
    """Why a redirect from ``origin`` may not lead to ``target`` ("another host", "an internal
    address"), or None when it may."""
    if internal_address(_host(target)) and not internal_address(_host(origin)):
        return "an internal address"
    if not policy.allows(target):
        return "another host"
    return None


def internal_address(host: str) -> bool:
    """A host name that is a loopback, private, link-local or reserved address."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()
