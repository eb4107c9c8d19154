"""What a request is for, written into ``request.meta["newscrawler"]`` by the spiders and read by
the incremental-crawl middlewares.

``kind`` tells article pages from listings; ``lastmod`` (from a sitemap or feed) lets the
incremental middleware skip articles the archive already holds unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple, TypedDict

from scrapy import Request

Kind = Literal["listing", "article", "sitemap", "feed", "robots", "page"]

#: The request meta key holding a :class:`DiscoveryMark`.
META_KEY = "newscrawler"

#: Requests for pages that may be archived articles: "page" is a page of unknown kind (auto
#: mode) that the archive may hold as an article from an earlier run.
REFETCHED_KINDS = ("article", "page")


class DiscoveryMark(TypedDict):
    kind: Kind
    lastmod: datetime | None


class Mark(NamedTuple):
    #: What the request is for; None when the spider did not say.
    kind: Kind | None
    #: The sitemap or feed date of the page, timezone-aware (UTC when it came without a zone).
    lastmod: datetime | None


def mark(kind: Kind, lastmod: datetime | None = None) -> dict[str, Any]:
    """The meta entry for a request of ``kind``; merge it into the request's meta."""
    return {META_KEY: DiscoveryMark(kind=kind, lastmod=lastmod)}


def kind_of(meta: dict[str, Any]) -> Kind | None:
    entry = meta.get(META_KEY)
    return entry["kind"] if entry else None


def mark_of(request: Request | None) -> Mark:
    entry = request.meta.get(META_KEY) if request is not None else None
    if not entry:
        return Mark(None, None)
    lastmod = entry.get("lastmod")
    if lastmod is not None and lastmod.tzinfo is None:
        lastmod = lastmod.replace(tzinfo=UTC)
    return Mark(entry.get("kind"), lastmod)


#: The request meta key holding a :class:`StoredPage`: the request is answered from it, with
#: no network (``newscrawler.downloadermiddlewares.stored``).
STORED_PAGE_META = "newscrawler_stored_page"


class StoredPage(NamedTuple):
    """A page fetched before (a capture in the archive, a WARC record, a saved file)."""

    #: The URL that answered.
    url: str
    status: int
    #: ``(name, value)`` pairs.
    headers: list[tuple[str, str]]
    body: bytes
    #: When it was fetched: the article's fetch time, and the anchor of relative dates.
    fetched_at: datetime


#: The field of the ``metadata`` record newscrawler's WARC export writes after each page that
#: names the page's site: an import reads the page with that site's profile.
WARC_SITE_FIELD = "newscrawler-site"
