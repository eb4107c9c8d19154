"""Challenge and block pages (Cloudflare and the like): the markers that give them away.

Every layer needs this knowledge: the downloader middleware that stops such a response, the
extractor that refuses to take one for an article, and the validation pipeline that drops an
item built from one. It lives here, once.
"""

from __future__ import annotations

from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, Response

#: Markers that only challenge and block pages carry, wherever they appear.
STRONG_BLOCK_MARKERS = (
    "attention required! | cloudflare",
    "cf-chl",
    "cf-browser-verification",
    "web page blocked",
    "checking your browser before accessing",
    "enable javascript and cookies to continue",
    "please complete the security check",
)
#: Markers that a real article may mention: they count in the title, the URL, or a short body.
WEAK_BLOCK_MARKERS = ("just a moment...", "captcha", "access denied")
#: Bodies shorter than this are small enough to be an interstitial page.
BLOCK_PAGE_MAX_CHARS = 2000

#: Markup only challenge pages carry (Cloudflare's challenge options and widgets). Cloudflare
#: also injects ``/cdn-cgi/challenge-platform/`` scripts into ordinary pages: not a marker.
_HTML_MARKERS = ("_cf_chl_opt", "cf-chl-", "cf_chl_", "cf-browser-verification", "cf-error-details")
#: Every marker, searched in the page source first: most pages hold none and stop there.
_ANY_MARKER = (*_HTML_MARKERS, *STRONG_BLOCK_MARKERS, *WEAK_BLOCK_MARKERS)
#: Only the start of a page is searched: challenge pages are small, articles are not.
_HEAD_BYTES = 65536

#: Byte strings of which a challenge page holds at least one (lower-cased): a cheap first
#: look, so that only candidate responses are parsed and examined by ``page_block_marker``.
_HINTS = tuple(
    marker.encode()
    for marker in (*_ANY_MARKER, "cf_chl", "/__cf", "cdn-cgi/challenge")
)
_CHALLENGE_STATUSES = frozenset({403, 429, 503})
#: Read with lxml directly: parsel would wrap each of a page's text nodes in a Selector.
_TITLE = etree.XPath("string(//title)", smart_strings=False)
_BODY_TEXTS = etree.XPath("//body//text()[not(ancestor::script)]", smart_strings=False)


def text_block_marker(title: str, body: str, url: str = "") -> str | None:
    """The challenge/block marker found in a page's text or URL, if any."""
    title, body, url = title.lower(), body.lower(), url.lower()
    for marker in STRONG_BLOCK_MARKERS:
        if marker in title or marker in body:
            return marker
    short_body = body if len(body) < BLOCK_PAGE_MAX_CHARS else ""
    for marker in WEAK_BLOCK_MARKERS:
        if marker in title or marker in short_body or marker in url:
            return marker
    return "/__cf" if "/__cf" in url or "/cdn-cgi/challenge" in url else None


def page_block_marker(page: Selector, url: str, *, html: str | None = None) -> str | None:
    """The marker that shows this page is a challenge or block page, or None. ``html``: the
    page's source when at hand (else it is serialized from ``page``)."""
    source = (page.get() if html is None else html).lower()
    if not any(marker in source for marker in _ANY_MARKER):
        return text_block_marker("", "", url)  # markers in the URL only
    head = source[:_HEAD_BYTES]
    for marker in _HTML_MARKERS:
        if marker in head:
            return marker
    title = _squash(_TITLE(page.root))
    text = _squash(" ".join(_BODY_TEXTS(page.root)))
    return text_block_marker(title, text, url)


def response_block_marker(response: Response) -> str | None:
    """What shows ``response`` to be a challenge or block page, or None for a real page:
    the page markers above, or a 403/429/503 answer from Cloudflare."""
    if isinstance(response, HtmlResponse) and _has_hint(response):
        marker = page_block_marker(response.selector, response.url)
        if marker:
            return marker
    if response.status in _CHALLENGE_STATUSES and _served_by_cloudflare(response):
        return f"cloudflare {response.status}"
    return None


def _has_hint(response: Response) -> bool:
    text = response.body.lower() + b" " + response.url.lower().encode()
    return any(hint in text for hint in _HINTS)


def _served_by_cloudflare(response: Response) -> bool:
    server = (response.headers.get("Server") or b"").lower()
    return b"cloudflare" in server or b"cf-ray" in response.headers


def _squash(text: str) -> str:
    return " ".join(text.split())
