"""Reading the discovery mark spiders put on requests:
``request.meta["newscrawler"] = {"kind": ..., "lastmod": datetime | None}``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from scrapy import Request

META_KEY = "newscrawler"


class Mark(NamedTuple):
    #: "listing", "article", "sitemap", "feed", "robots" or "page"; None when unmarked.
    kind: str | None
    #: The sitemap or feed date of the page, in UTC; None when not given.
    lastmod: datetime | None


def article_mark() -> dict[str, Any]:
    """The meta of a request for an article page with no sitemap or feed date."""
    return {META_KEY: {"kind": "article", "lastmod": None}}


def mark_of(request: Request | None) -> Mark:
    entry = request.meta.get(META_KEY) if request is not None else None
    if not entry:
        return Mark(None, None)
    lastmod = entry.get("lastmod")
    if lastmod is not None and lastmod.tzinfo is None:
        lastmod = lastmod.replace(tzinfo=UTC)
    return Mark(entry.get("kind"), lastmod)
