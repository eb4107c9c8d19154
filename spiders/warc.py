"""``newscrawler import-warc``: the article pages of WARC files (Heritrix, wget --warc-file,
Browsertrix, newscrawler's own export) sent through the crawl's pipelines, with no network.

A ``response`` record with status 200 and an HTML or XHTML payload is read as a page fetched
at its ``WARC-Date``; other records are counted by kind and passed over. A ``metadata`` record
of newscrawler's export that names the site of a response says which profile reads it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from scrapy import Request
from scrapy.http import Response
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newscrawler.marks import WARC_SITE_FIELD, StoredPage
from newscrawler.profiles import Profile
from newscrawler.stats import SCRAPE_FAILED_STAT
from spiders.scrape import ScrapeSpider

logger = logging.getLogger(__name__)

#: Records passed over, by reason (``<prefix><reason>``); unreadable files.
SKIPPED_PREFIX = "newscrawler/warc/skipped/"
UNREADABLE_STAT = "newscrawler/warc/unreadable"
#: Request meta: the site a record's metadata names.
SITE_META = "newscrawler_warc_site"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class WarcPage(NamedTuple):
    page: StoredPage
    record_id: str | None


class ImportWarcSpider(ScrapeSpider):
    """Arguments: ``files`` (paths, a list or one space-separated string) and ``profile``
    (read every page with it; else the profile of the site the record names, else of its
    host, else auto mode)."""

    name = "import_warc"
    #: Its runs read stored pages: no verdict on a site's health.
    assess_health = False

    def __init__(self, files: list[str] | str = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(**kwargs)
        self.files = files.split() if isinstance(files, str) else list(files)
        self.by_site: dict[str, Profile] = {}
        for known in self.profiles:
            self.by_site.setdefault(known.site, known)

    async def start(self) -> AsyncIterator[Request]:
        for path in self.files:
            try:
                with open(path, "rb") as stream:
                    for page, site in self.pages(ArchiveIterator(stream)):
                        yield self.stored_request(page, **{SITE_META: site})
            except (ArchiveLoadFailed, OSError, ValueError) as error:
                self.unreadable(path, error)

    def pages(self, records: Iterator[ArcWarcRecord]) -> Iterator[tuple[StoredPage, str | None]]:
        """The pages of the records, each with the site a metadata record right after it
        names (newscrawler's export writes one), if any."""
        pending: WarcPage | None = None
        for record in records:
            if not record.format.startswith("warc"):
                raise ValueError(f"not a WARC file (a {record.format} record at its start)")
            if record.rec_type == "metadata" and pending is not None:
                concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
                if concurrent and concurrent == pending.record_id:
                    yield pending.page, _metadata_field(record, WARC_SITE_FIELD)
                    pending = None
                    continue
            if pending is not None:
                yield pending.page, None
                pending = None
            page = self.page_of(record)
            if page is not None:
                pending = WarcPage(page, record.rec_headers.get_header("WARC-Record-ID"))
        if pending is not None:
            yield pending.page, None

    def page_of(self, record: ArcWarcRecord) -> StoredPage | None:
        """The page a record holds, or None (counted by reason)."""
        if record.rec_type != "response":
            self.skipped(record.rec_type or "unknown")
            return None
        if record.http_headers is None:
            self.skipped("not_http")
            return None
        status = int(record.http_headers.get_statuscode() or 0)
        if status != 200:
            self.skipped(f"status_{status}")
            return None
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if not content_type.startswith(_HTML_TYPES):
            self.skipped("not_html")
            return None
        url = record.rec_headers.get_header("WARC-Target-URI")
        fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
        if not url or fetched_at is None:
            self.skipped("no_uri_or_date")
            return None
        body = record.content_stream().read()
        headers = [(name, value) for name, value in record.http_headers.headers]
        return StoredPage(url, status, headers, body, fetched_at)

    def skipped(self, reason: str) -> None:
        """No page: the record is counted under ``reason``."""
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(SKIPPED_PREFIX + reason)
        return None

    def unreadable(self, path: str, error: Exception) -> None:
        """A file that is not a WARC, or breaks off: said with its path, and the command fails
        (the records read before it are archived)."""
        logger.error("Cannot read the WARC file %s: %s", path, error)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(UNREADABLE_STAT)
            self.crawler.stats.inc_value(SCRAPE_FAILED_STAT)

    def profile_for(self, response: Response) -> Profile | None:
        site = response.meta.get(SITE_META)
        if self.profile is None and site in self.by_site:
            return self.by_site[site]
        return super().profile_for(response)


def _metadata_field(record: ArcWarcRecord, name: str) -> str | None:
    """A field of an ``application/warc-fields`` metadata record."""
    for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name:
            return value.strip()
    return None


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
