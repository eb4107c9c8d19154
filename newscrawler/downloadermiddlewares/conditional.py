"""The conditional re-fetch downloader middleware: re-fetch archived articles cheaply and notice
when they change or disappear.

For an ``article`` request whose URL the archive holds, it:

* sends ``If-None-Match`` / ``If-Modified-Since`` from the archived ``etag`` /
  ``last_modified`` (``NEWSCRAWLER_CONDITIONAL_REQUESTS``);
* turns a ``304 Not Modified`` answer into "seen, unchanged": the
  :data:`~newscrawler.incremental.signals.article_not_modified` signal, on which the archive sink
  moves the article's ``last_seen_at`` and nothing else; the request then ends quietly
  (:class:`NotModified`, an ``IgnoreRequest``);
* reports a ``404`` or ``410`` answer with the
  :data:`~newscrawler.incremental.signals.article_removed` signal: the sink records a removal and
  keeps the article's last good copy. The response goes on to the spider's error handling.

A changed page answers 200 and reaches the archive as usual, which keeps a revision.
Counts: ``newscrawler/refetch/not_modified``, ``newscrawler/refetch/removed``.

For any other page the discovery memory holds (:mod:`newscrawler.extensions.discoverymemory`:
auto mode's listings, navigation pages, sitemaps and feeds), it sends the page's remembered
validators the same way and lets a ``304`` through to the spider, which then requests the pages
that page led to instead of reading it. In a ``recover`` run listings are asked for without
them: every listing is read to its end.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newscrawler.exceptions import NotModified
from newscrawler.extensions.archiveindex import (
    ArchiveIndex,
    require_incremental,
    required_extension,
)
from newscrawler.extensions.discoverymemory import DiscoveryMemory, page_key
from newscrawler.incremental import signals
from newscrawler.marks import REFETCHED_KINDS, mark_of
from storage.archive import now_utc

logger = logging.getLogger(__name__)

#: Request meta key: the URL under which the article being re-fetched is archived.
ARCHIVED_URL = "newscrawler_archived_url"
#: Request meta key: set when the request carries a remembered page's validators.
REMEMBERED_PAGE = "newscrawler_remembered_page"

REMOVED_STATUSES = (404, 410)


class ConditionalRefetchMiddleware:
    def __init__(self, crawler: Crawler, *, conditional: bool) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.index = required_extension(crawler, ArchiveIndex)
        self.memory = crawler.get_extension(DiscoveryMemory)
        self.conditional = conditional

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRefetchMiddleware:
        settings = crawler.settings
        require_incremental(settings)
        return cls(crawler, conditional=settings.getbool("NEWSCRAWLER_CONDITIONAL_REQUESTS"))

    def process_request(self, request: Request) -> None:
        if mark_of(request).kind not in REFETCHED_KINDS or ARCHIVED_URL in request.meta:
            self._ask_remembered(request)
            return
        archived = self.index.get(request.url)
        if archived is None:
            self._ask_remembered(request)
            return
        request.meta[ARCHIVED_URL] = archived.url
        if not self.conditional:
            return
        if archived.etag:
            request.headers.setdefault(b"If-None-Match", archived.etag)
        if archived.last_modified:
            request.headers.setdefault(b"If-Modified-Since", archived.last_modified)

    def _ask_remembered(self, request: Request) -> None:
        """Validators for a page the discovery memory holds; its 304 goes to the spider."""
        if not self.conditional or self.memory is None or REMEMBERED_PAGE in request.meta:
            return
        page = self.memory.get(page_key(request))
        if page is None or page.role == "missing" or not (page.etag or page.last_modified):
            return
        if page.role == "listing" and self.index.history.mode == "recover":
            return
        request.meta[REMEMBERED_PAGE] = True
        request.meta["handle_httpstatus_list"] = [
            *request.meta.get("handle_httpstatus_list", ()),
            304,
        ]
        if page.etag:
            request.headers.setdefault(b"If-None-Match", page.etag)
        if page.last_modified:
            request.headers.setdefault(b"If-Modified-Since", page.last_modified)

    def process_response(self, request: Request, response: Response) -> Response:
        url = request.meta.get(ARCHIVED_URL)
        if url is None:
            return response
        if response.status == 304:
            self.stats.inc_value("newscrawler/refetch/not_modified")
            self.crawler.signals.send_catch_log(
                signals.article_not_modified, url=url, seen_at=now_utc()
            )
            raise NotModified(f"not modified since archived: {url}")
        if response.status in REMOVED_STATUSES:
            self.stats.inc_value("newscrawler/refetch/removed")
            logger.warning(
                "Archived article %s now answers %d: recording its removal, keeping its copy",
                url,
                response.status,
            )
            self.crawler.signals.send_catch_log(
                signals.article_removed, url=url, http_status=response.status, detected_at=now_utc()
            )
        return response
