"""Feeds: RSS 2.0 (and RDF/RSS 1.0) items and Atom entries, and feed autodiscovery in HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import Response, TextResponse

from newscrawler.dates import parse_rfc822_datetime, parse_w3c_datetime

FEED_TYPES = ("application/rss+xml", "application/atom+xml")

#: Comment feeds list comments, whose links only repeat the articles' own URLs.
COMMENT_FEED = re.compile(r"/comments/feed/?$|/feed/comments|[?&]feed=comments", re.IGNORECASE)

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, remove_comments=True, remove_pis=True
)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    #: The entry's update time if the feed gives one, else its publication time.
    lastmod: datetime | None


def parse_feed(response: Response) -> list[FeedEntry] | None:
    """The entries of an RSS or Atom feed, or None when ``response`` holds no feed."""
    try:
        root = etree.fromstring(response.body, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    kind = _local(root)
    if kind == "feed":
        entries = [_atom_entry(e, response.url) for e in root if _local(e) == "entry"]
    elif kind in ("rss", "RDF"):
        entries = [_rss_item(e, response.url) for e in root.iter() if _local(e) == "item"]
    else:
        return None
    return [entry for entry in entries if entry is not None]


def _rss_item(item: etree._Element, base_url: str) -> FeedEntry | None:
    fields: dict[str, str] = {}
    for child in item:
        text = (child.text or "").strip()
        if text:
            fields.setdefault(_local(child), text)
    url = fields.get("link") or _permalink_guid(item)
    if not url:
        return None
    lastmod = parse_rfc822_datetime(fields.get("pubDate")) or parse_w3c_datetime(fields.get("date"))
    return FeedEntry(urljoin(base_url, url), lastmod)


def _permalink_guid(item: etree._Element) -> str | None:
    for child in item:
        if _local(child) == "guid" and child.get("isPermaLink", "true") == "true":
            return (child.text or "").strip() or None
    return None


def _atom_entry(entry: etree._Element, base_url: str) -> FeedEntry | None:
    url = None
    times: dict[str, str] = {}
    for child in entry:
        name = _local(child)
        if name == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
            url = url or child.get("href")
        elif name in ("updated", "published"):
            times[name] = (child.text or "").strip()
    if not url:
        return None
    lastmod = parse_w3c_datetime(times.get("updated")) or parse_w3c_datetime(times.get("published"))
    return FeedEntry(urljoin(base_url, url), lastmod)


def autodiscovered_feeds(response: Response) -> list[str]:
    """The feeds an HTML page advertises with ``<link rel="alternate" type="...">``."""
    if not isinstance(response, TextResponse):
        return []
    urls = []
    for link in response.css("link[href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().strip()
        href = response.urljoin(link.attrib["href"])
        if "alternate" in rel and kind in FEED_TYPES and not COMMENT_FEED.search(href):
            urls.append(href)
    return list(dict.fromkeys(urls))


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""
