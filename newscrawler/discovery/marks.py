"""What a request is for, written into ``request.meta["newscrawler"]`` for downstream components.

The incremental-crawl middleware reads ``kind`` to tell article pages from listings and
``lastmod`` (from a sitemap or feed) to skip articles the archive already holds unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypedDict

Kind = Literal["listing", "article", "sitemap", "feed", "robots", "page"]

#: The request meta key holding a :class:`DiscoveryMark`.
META_KEY = "newscrawler"


class DiscoveryMark(TypedDict):
    kind: Kind
    lastmod: datetime | None


def mark(kind: Kind, lastmod: datetime | None = None) -> dict[str, Any]:
    """The meta entry for a request of ``kind``; merge it into the request's meta."""
    return {META_KEY: DiscoveryMark(kind=kind, lastmod=lastmod)}


def kind_of(meta: dict[str, Any]) -> Kind | None:
    entry = meta.get(META_KEY)
    return entry["kind"] if entry else None
