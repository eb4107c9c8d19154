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
from newscrawler.incremental import signals
from newscrawler.marks import REFETCHED_KINDS, mark_of
from storage.archive import now_utc

logger = logging.getLogger(__name__)

#: Request meta key: the URL under which the article being re-fetched is archived.
ARCHIVED_URL = "newscrawler_archived_url"

REMOVED_STATUSES = (404, 410)


class ConditionalRefetchMiddleware:
    def __init__(self, crawler: Crawler, *, conditional: bool) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.index = required_extension(crawler, ArchiveIndex)
        self.conditional = conditional

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRefetchMiddleware:
        settings = crawler.settings
        require_incremental(settings)
        return cls(crawler, conditional=settings.getbool("NEWSCRAWLER_CONDITIONAL_REQUESTS"))

    def process_request(self, request: Request) -> None:
        if mark_of(request).kind not in REFETCHED_KINDS or ARCHIVED_URL in request.meta:
            return
        archived = self.index.get(request.url)
        if archived is None:
            return
        request.meta[ARCHIVED_URL] = archived.url
        if not self.conditional:
            return
        if archived.etag:
            request.headers.setdefault(b"If-None-Match", archived.etag)
        if archived.last_modified:
            request.headers.setdefault(b"If-Modified-Since", archived.last_modified)

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
