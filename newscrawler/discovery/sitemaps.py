"""Sitemaps: ``robots.txt`` ``Sitemap:`` lines, sitemap indexes and url sets, gzip or not."""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urljoin

from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newscrawler.dates import parse_w3c_datetime

logger = logging.getLogger(__name__)

SitemapType = Literal["sitemapindex", "urlset"]


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` of a url set or one ``<sitemap>`` of an index."""

    url: str
    lastmod: datetime | None


@dataclass(frozen=True)
class ParsedSitemap:
    type: SitemapType
    entries: tuple[SitemapEntry, ...]


def sitemaps_in_robots(response: Response) -> list[str]:
    """The ``Sitemap:`` URLs of a ``robots.txt`` response."""
    return list(sitemap_urls_from_robots(response.body, base_url=response.url))


def parse_sitemap(response: Response, *, max_size: int) -> ParsedSitemap | None:
    """The sitemap in ``response``, or None when the body is not a sitemap.

    Gzip bodies (``.xml.gz``) are inflated up to ``max_size`` bytes, so a compression bomb is
    refused rather than read.
    """
    body = _sitemap_body(response, max_size=max_size)
    if body is None or not body.strip() or _declares_entities(body):
        return None
    try:
        sitemap = Sitemap(body)
    except (StopIteration, SyntaxError, ValueError):
        return None
    kind: SitemapType
    if sitemap.type == "sitemapindex":
        kind = "sitemapindex"
    elif sitemap.type == "urlset":
        kind = "urlset"
    else:
        return None
    return ParsedSitemap(type=kind, entries=tuple(_entries(sitemap, response.url)))


def _entries(sitemap: Sitemap, base_url: str) -> Iterator[SitemapEntry]:
    for element in sitemap:
        loc = element.get("loc", "").strip()
        if loc:
            yield SitemapEntry(urljoin(base_url, loc), parse_w3c_datetime(element.get("lastmod")))


def _declares_entities(body: bytes) -> bool:
    """Sitemaps declare no entities; those that do are entity-expansion bombs, whose URLs the
    parser (which expands no entity) would read as empty."""
    return b"<!ENTITY" in body


def _sitemap_body(response: Response, *, max_size: int) -> bytes | None:
    if not gzip_magic_number(response):
        return response.body
    try:
        return gunzip(response.body, max_size=max_size)
    # Corrupt data, or more than max_size once inflated.
    except (OSError, EOFError, ValueError, struct.error) as error:
        logger.warning("Unreadable gzip sitemap %s: %s", response.url, error)
        return None
