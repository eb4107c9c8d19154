"""What an auto-mode crawl remembers of a site's pages that are not articles, and when a
re-crawl asks for each again.

A page's *role* says what it was good for when last requested:

* ``listing``: it linked to article pages; asked for every run, conditionally, and a 304 or a
  page with the links it had last time stops its listing's paging (the incremental listing
  stop);
* ``navigation``: it linked to no article page (about, contact, galleries); asked for again
  once ``revisit`` has passed since it was last read;
* ``document``: a sitemap or feed; asked for every run, conditionally;
* ``missing``: it answered 404 or 410, or a sitemap or feed path answered with something else;
  asked for again (probed) once ``reprobe`` has passed.

Until a page is asked for again, the pages it led to stand in for its links: a re-crawl reaches
every page the last one reached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Role = Literal["listing", "navigation", "document", "missing"]

#: The statuses that say a path does not exist.
MISSING_STATUSES = (404, 410)


@dataclass(slots=True)
class RememberedPage:
    url: str
    #: What it was requested as (a ``newscrawler.marks`` kind).
    kind: str
    role: Role
    http_status: int
    #: The page that led to it; None for a crawl's seeds.
    via: str | None
    depth: int
    #: 1, or its place among a listing's pages reached by "next" links.
    page_number: int
    etag: str | None
    last_modified: str | None
    #: SHA-1 of a page's sorted links, of a sitemap's or feed's bytes.
    content_hash: str | None
    #: Links to article pages it held when last read.
    article_links: int
    #: When it was last asked for (read, found unchanged, or found missing).
    checked_at: datetime

    @property
    def is_next_page(self) -> bool:
        """A listing's page reached by its "next" link: asked for only through that link."""
        return self.kind == "listing" and self.page_number > 1


@dataclass(frozen=True)
class RevisitRules:
    """When a remembered page is due to be asked for again."""

    reprobe: timedelta
    revisit: timedelta

    @classmethod
    def of_days(cls, reprobe: float, revisit: float) -> RevisitRules:
        return cls(timedelta(days=reprobe), timedelta(days=revisit))

    def skip_reason(
        self, page: RememberedPage, now: datetime, lastmod: datetime | None = None
    ) -> str | None:
        """Why ``page`` need not be asked for now, or None when it must. A sitemap or feed
        date newer than the last look always asks again."""
        if lastmod is not None and lastmod > page.checked_at:
            return None
        if page.role == "missing" and now < page.checked_at + self.reprobe:
            return "missing"
        if page.role == "navigation" and now < page.checked_at + self.revisit:
            return "navigation"
        return None


def content_hash(body: bytes) -> str:
    """The hash of a sitemap's or feed's bytes."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()


def links_hash(links: Iterable[str]) -> str:
    """The hash that tells a page with new links from one with the links it had: its other
    bytes (a clock, a nonce, the ads) may change on every request."""
    return content_hash("\n".join(sorted(set(links))).encode("utf-8"))
