"""Challenge and block pages (Cloudflare and the like): recognised, never taken for articles."""

from __future__ import annotations

from parsel import Selector

from newscrawler.extract.html import squash
from pipelines.validation import STRONG_BLOCK_MARKERS, WEAK_BLOCK_MARKERS, block_marker

#: Markup only challenge pages carry (Cloudflare's challenge options and widgets). Cloudflare
#: also injects ``/cdn-cgi/challenge-platform/`` scripts into ordinary pages: not a marker.
_HTML_MARKERS = ("_cf_chl_opt", "cf-chl-", "cf_chl_", "cf-browser-verification", "cf-error-details")
#: Every marker, searched in the page source first: most pages hold none and stop there.
_ANY_MARKER = (*_HTML_MARKERS, *STRONG_BLOCK_MARKERS, *WEAK_BLOCK_MARKERS)
#: Only the start of a page is searched: challenge pages are small, articles are not.
_HEAD_BYTES = 65536


def block_reason(page: Selector, url: str, *, html: str | None = None) -> str | None:
    """The marker that shows this page is a challenge or block page, or None. ``html``: the
    page's source when at hand (else it is serialized from ``page``)."""
    source = (page.get() if html is None else html).lower()
    if not any(marker in source for marker in _ANY_MARKER):
        return block_marker("", "", url)  # markers in the URL only
    head = source[:_HEAD_BYTES]
    for marker in _HTML_MARKERS:
        if marker in head:
            return marker
    title = squash(page.xpath("string(//title)").get() or "")
    text = squash(" ".join(page.xpath("//body//text()[not(ancestor::script)]").getall()))
    return block_marker(title, text, url)
