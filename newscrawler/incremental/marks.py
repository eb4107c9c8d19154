"""Reading the discovery mark spiders put on requests (:mod:`newscrawler.discovery.marks`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from scrapy import Request

from newscrawler.discovery.marks import META_KEY, Kind


class Mark(NamedTuple):
    #: What the request is for; None when the spider did not say.
    kind: Kind | None
    #: The sitemap or feed date of the page, timezone-aware (UTC when it came without a zone).
    lastmod: datetime | None


def mark_of(request: Request | None) -> Mark:
    entry = request.meta.get(META_KEY) if request is not None else None
    if not entry:
        return Mark(None, None)
    lastmod = entry.get("lastmod")
    if lastmod is not None and lastmod.tzinfo is None:
        lastmod = lastmod.replace(tzinfo=UTC)
    return Mark(entry.get("kind"), lastmod)
