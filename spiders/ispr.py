"""ISPR press releases (the built-in ``ispr`` profile), three ways:

* the archive listings, page by page (the default);
* ``ids``: enumeration of ``press-release-detail.php?id=N``: ``7000-7100`` or ``7000-``, an
  open range ending after ``NEWSCRAWLER_ISPR_MAX_MISSES`` ids in a row without a release
  (``newscrawler crawl ispr --ids next`` starts it after the newest archived ``release_id``);
  missing ids are reported;
* ``wayback``: backfill from the Wayback Machine (``NEWSCRAWLER_WAYBACK_URL``): the CDX index
  of captured detail pages (from the year ``since`` on), then each release's raw capture,
  archived under its original URL with the capture time in ``extras["wayback_capture"]``.

Challenge pages (the site shows scripted clients a Cloudflare challenge) are never archived:
they are counted as ``newscrawler/blocked`` and named in the run summary.

Spider arguments: ``base_url``, ``ids``, ``max_misses``, ``site`` (as for profiles),
``wayback`` (``1``/``true``) and ``since`` (a year or a date, for the Wayback index).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawler.discovery.hosts import HostPolicy
from newscrawler.discovery.wayback import Capture, captures_by_key, cdx_query_url
from spiders.profile import ProfileSpider

logger = logging.getLogger(__name__)

#: The URL prefix of release pages in the Wayback index (with and without ``.php``).
WAYBACK_PREFIX = "ispr.gov.pk/press-release-detail"
RELEASE_ID = re.compile(r"[?&]id=(\d+)")
#: Request meta: the captures of one release still to try, newest first.
CAPTURES_META = "newscrawler_captures"
WAYBACK_PREFIX_STAT = "newscrawler/wayback/"


class IsprSpider(ProfileSpider):
    name = "ispr"

    def __init__(
        self,
        base_url: str | None = None,
        ids: str | None = None,
        max_misses: str | int | None = None,
        wayback: str | bool = False,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("name", "ispr")
        super().__init__("ispr", base_url=base_url, ids=ids, max_misses=max_misses, **kwargs)
        self.wayback = str(wayback).lower() in ("1", "true", "yes", "on")
        self.since = since

    def configure(self, crawler: Crawler) -> None:
        super().configure(crawler)
        self.max_misses = self.max_misses or crawler.settings.getint("NEWSCRAWLER_ISPR_MAX_MISSES")
        self.wayback_url = crawler.settings["NEWSCRAWLER_WAYBACK_URL"]
        self.wayback_tries = crawler.settings.getint("NEWSCRAWLER_WAYBACK_MAX_TRIES")

    async def seed_requests(self) -> AsyncIterator[Request]:
        if not self.wayback:
            async for request in super().seed_requests():
                yield request
            return
        url = cdx_query_url(self.wayback_url, WAYBACK_PREFIX, since=self.since)
        yield self.request(url, "sitemap", callback=self.parse_cdx)

    # -- Wayback backfill -----------------------------------------------------------------------

    def parse_cdx(self, response: Response) -> Iterator[Request]:
        """The CDX index: one capture request per release, the newest capture first."""
        try:
            rows = json.loads(response.text or "[]")
        except ValueError:
            self.not_a_document(response, "cdx")
            return
        grouped, skipped = captures_by_key(rows, key=self.release_url)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(WAYBACK_PREFIX_STAT + "rows", max(0, len(rows) - 1))
        stats.inc_value(WAYBACK_PREFIX_STAT + "skipped_rows", skipped)
        stats.inc_value(WAYBACK_PREFIX_STAT + "releases", len(grouped))
        for captures in grouped.values():
            yield self.capture_request(captures[: self.wayback_tries])

    def release_url(self, original: str) -> str | None:
        """The canonical URL of the release an original URL shows, or None for other pages."""
        match = RELEASE_ID.search(original)
        id_range = self.profile.discovery.id_range
        if match is None or id_range is None:
            return None
        url = self.profile.absolute_url(id_range.url(int(match.group(1))))
        return self.frontier.canonical(url)

    def host_policy(self) -> HostPolicy:
        """The site's hosts, and the Wayback Machine's when backfilling from it."""
        own = super().host_policy()
        return HostPolicy.of([*own.hosts, self.wayback_url]) if self.wayback else own

    def capture_request(self, captures: list[Capture]) -> Request:
        capture = captures[0]
        return self.request(
            capture.raw_url(self.wayback_url),
            "article",
            callback=self.parse_capture,
            errback=self.capture_failed,
            lastmod=capture.captured_at,
            meta={CAPTURES_META: captures},
        )

    def parse_capture(self, response: Response) -> Iterator[Any]:
        captures: list[Capture] = response.meta[CAPTURES_META]
        capture = captures[0]
        original = response.replace(url=capture.key, request=Request(capture.key, meta={}))
        result = self.extract_and_count(original)
        if result.item is None:
            yield from self.next_capture(captures)
            return
        result.item.extras["wayback_capture"] = capture.captured_at.isoformat()
        result.item.extras["wayback_url"] = capture.raw_url(self.wayback_url)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(WAYBACK_PREFIX_STAT + "archived")
        yield result.item

    def capture_failed(self, failure: Failure) -> Iterator[Request]:
        self.fetch_failed(failure)
        yield from self.next_capture(failure.request.meta[CAPTURES_META])  # type: ignore[attr-defined]

    def next_capture(self, captures: list[Capture]) -> Iterator[Request]:
        """The next older capture of the same release, if any is left to try."""
        assert self.crawler.stats is not None
        if len(captures) > 1:
            self.crawler.stats.inc_value(WAYBACK_PREFIX_STAT + "older_capture_tried")
            yield self.capture_request(captures[1:])
        else:
            self.crawler.stats.inc_value(WAYBACK_PREFIX_STAT + "unusable")
            logger.warning("No usable Wayback capture of %s", captures[0].key)
