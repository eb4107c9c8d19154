"""Links on a page: the ones a crawl may follow, and the ones that lead to the next page."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import (
    parse_qsl,
    urljoin,
    urlparse,
    urlsplit,
    urlunsplit,
    uses_netloc,
    uses_relative,
)

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.misc import rel_has_nofollow
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from newscrawler.profiles import is_xpath
from newscrawler.urls import CACHED_URLS

#: Feeds and sitemaps a site of unknown make often has, tried when nothing names them.
COMMON_FEED_PATHS = ("/feed/", "/rss", "/rss.xml")
COMMON_SITEMAP_PATHS = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/wp-sitemap.xml",
    "/news-sitemap.xml",
)

#: "Next page" links of listings: rel=next, and the classes WordPress themes and portals use.
NEXT_PAGE = (
    "a[rel~=next]::attr(href), link[rel~=next]::attr(href), a.next::attr(href), "
    ".pagination a.next::attr(href), .nav-previous a::attr(href), a.next-page::attr(href)"
)

#: Query parameters that number a listing's pages (``?page=3``, ``?start=40``), and the path
#: form (``/page/3/``). ``?p=`` is left out: WordPress names its posts with it.
_PAGE_NUMBER_PARAMS = frozenset({"page", "paged", "pg", "start", "offset", "limitstart"})
_PAGE_NUMBER_PATH = re.compile(r"/page/(\d+)/?$")

#: Files (images, documents, archives, media) are never pages: Scrapy's list of extensions.
_FILE_EXTENSIONS = tuple(f".{extension}" for extension in IGNORED_EXTENSIONS)
#: Link elements, as the HTML parser names them and in an XHTML document.
_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINK_TAGS = ("a", "area", f"{_XHTML}a", f"{_XHTML}area")
#: Distinct link URLs whose safe form, join and verdict are remembered: site navigation
#: repeats the same links on every page (see ``newscrawler.urls.CACHED_URLS``).
_CACHED_LINKS = CACHED_URLS


def page_links(response: Response) -> list[str]:
    """The absolute URLs of the page's links in document order, ``rel=nofollow`` ones left out.

    The links Scrapy's ``LinkExtractor()`` gives (``<a>`` and ``<area>`` ``href``, each URL
    once, the first occurrence deciding ``nofollow``, file extensions and schemes other than
    http(s), ftp and file left out), read without building ``Link`` objects and their texts."""
    if not isinstance(response, TextResponse):
        return []
    base_url, page_url, encoding = get_base_url(response), response.url, response.encoding
    base, page = urlsplit(base_url)[:2], urlsplit(page_url)[:2]
    nofollow: dict[str, bool] = {}
    for element in response.selector.root.iter(*_LINK_TAGS):
        href = element.get("href")
        if href is None:
            continue
        url = _origin_link(base, page, href, encoding)
        if url is _NEEDS_PATH:
            url = _link_url(href, base_url, page_url, encoding)
        if url is not None and url not in nofollow:
            nofollow[url] = rel_has_nofollow(element.get("rel"))
    return [url for url, skip in nofollow.items() if not skip and _is_page_url(url)]


#: What :func:`_origin_link` says of a link relative to the base URL's path.
_NEEDS_PATH = "<relative to the base path>"


@functools.lru_cache(maxsize=_CACHED_LINKS)
def _origin_link(
    base: tuple[str, str], page: tuple[str, str], href: str, encoding: str
) -> str | None:
    """:func:`_link_url` for the links whose joins read of the base and page URLs only their
    scheme and host (``base`` and ``page``): absolute URLs and absolute paths, the site
    navigation repeated on every page, remembered by those parts alone; ``_NEEDS_PATH`` for
    the others."""
    stripped = strip_html5_whitespace(href)
    if not (base[0] and page[0] and stripped):
        return _NEEDS_PATH
    try:
        joined = _join_to_origin(*base, stripped)
    except ValueError:
        return None
    if joined is None:
        return _NEEDS_PATH
    safe = _safe_url(joined, encoding)
    if safe is None:
        return None
    absolute = _join_to_origin(*page, safe)
    return _NEEDS_PATH if absolute is None else absolute


def _link_url(href: str, base_url: str, page_url: str, encoding: str) -> str | None:
    """``href`` made absolute and safe as Scrapy's link extractor does; None when bogus.
    The links :func:`_origin_link` cannot settle by scheme and host: paths relative to the
    base URL's."""
    try:
        joined = urljoin(base_url, strip_html5_whitespace(href))
    except ValueError:
        return None
    safe = _safe_url(joined, encoding)
    return None if safe is None else urljoin(page_url, safe)


@functools.lru_cache(maxsize=_CACHED_LINKS)
def _join_to_origin(scheme: str, netloc: str, url: str) -> str | None:
    """``urljoin(base, url)`` for every ``base`` of this scheme and host when, by urllib's
    rules, the join reads no more of ``base``; None when it does (a path relative to it)."""
    parts = urlparse(url, scheme)
    own_host = parts.scheme in uses_netloc and bool(parts.netloc)
    if parts.scheme != scheme or parts.scheme not in uses_relative or own_host:
        return urljoin(f"{scheme}:", url)
    if parts.path.startswith("/"):
        return urljoin(urlunsplit((scheme, netloc, "", "", "")), url)
    return None


@functools.lru_cache(maxsize=_CACHED_LINKS)
def _safe_url(url: str, encoding: str) -> str | None:
    try:
        return safe_url_string(url, encoding=encoding)
    except ValueError:
        return None


@functools.lru_cache(maxsize=_CACHED_LINKS)
def _is_page_url(url: str) -> bool:
    if url.split("://", 1)[0] not in ("http", "https", "file", "ftp"):
        return False
    return not urlparse(url).path.lower().endswith(_FILE_EXTENSIONS)


def next_page_links(
    response: Response, links: list[str] | None = None, selector: str = NEXT_PAGE
) -> list[str]:
    """The page's links to the next page of its listing: the ones marked as such (``rel=next``,
    ``a.next``...), else the nearest later page numbered in the URL (see
    :func:`numbered_pages`). ``links``: the page's :func:`page_links`, when read already."""
    marked = select_urls(response, selector)
    if marked:
        return marked
    later, _ = numbered_pages(response.url, page_links(response) if links is None else links)
    return later[:1]


def numbered_pages(url: str, links: Iterable[str]) -> tuple[list[str], list[str]]:
    """The ``links`` to other pages of the listing ``url`` is a page of, numbered in the URL
    (``latest?start=40``, ``?page=3``, ``/page/3/``; the first page may have no number): the
    later pages, nearest first, and the earlier ones."""
    listing, number = _listing_page(url)
    later: list[tuple[int, str]] = []
    earlier: list[str] = []
    for link in links:
        link_listing, link_number = _listing_page(link)
        if link_listing != listing or link == url:
            continue
        if link_number > number:
            later.append((link_number, link))
        else:
            earlier.append(link)
    return [link for _, link in sorted(later)], earlier


@functools.lru_cache(maxsize=_CACHED_LINKS)
def _listing_page(url: str) -> tuple[tuple[str, ...], int]:
    """The listing ``url`` is a page of (the URL without its page number) and that number
    (0 without one)."""
    parts = urlsplit(url)
    path, number = parts.path, 0
    in_path = _PAGE_NUMBER_PATH.search(path)
    if in_path:
        path, number = path[: in_path.start()], int(in_path[1])
    query = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name.lower() in _PAGE_NUMBER_PARAMS and value.isdigit():
            number = int(value)
        else:
            query.append(f"{name}={value}")
    return (parts.scheme, parts.netloc, path.rstrip("/"), *sorted(query)), number


def select_urls(response: Response, selector: str) -> list[str]:
    """Absolute URLs chosen by a CSS or XPath ``selector``: attribute values it selects, or the
    ``href`` of the elements it selects (or of the first link inside each)."""
    if not isinstance(response, TextResponse):
        return []
    found = response.xpath(selector) if is_xpath(selector) else response.css(selector)
    urls = []
    for node in found:
        if isinstance(node.root, str):
            href = node.root
        else:
            href = node.attrib.get("href") or node.css("a::attr(href)").get() or ""
        if href.strip():
            urls.append(response.urljoin(href.strip()))
    return list(dict.fromkeys(urls))
