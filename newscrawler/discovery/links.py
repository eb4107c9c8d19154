"""Links on a page: the ones a crawl may follow, and the ones that lead to the next page."""

from __future__ import annotations

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from newscrawler.profiles import is_xpath

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

# Files (images, documents, archives, media) are never pages: Scrapy's list of extensions.
_EXTRACTOR = LinkExtractor(unique=True)


def page_links(response: Response) -> list[str]:
    """The absolute URLs of the page's links in document order, ``rel=nofollow`` ones left out."""
    if not isinstance(response, TextResponse):
        return []
    return [link.url for link in _EXTRACTOR.extract_links(response) if not link.nofollow]


def next_page_links(response: Response, selector: str = NEXT_PAGE) -> list[str]:
    """The page's links to the next page of its listing."""
    return select_urls(response, selector)


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
