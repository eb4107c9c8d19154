"""Challenge and block pages (Cloudflare and the like): recognised, never taken for articles."""

from __future__ import annotations

from parsel import Selector

from newscrawler.extract.html import squash
from pipelines.validation import block_marker

#: Markup only challenge pages carry (Cloudflare's challenge options and widgets). Cloudflare
#: also injects ``/cdn-cgi/challenge-platform/`` scripts into ordinary pages: not a marker.
_HTML_MARKERS = ("_cf_chl_opt", "cf-chl-", "cf_chl_", "cf-browser-verification", "cf-error-details")
#: Only the start of a page is searched: challenge pages are small, articles are not.
_HEAD_BYTES = 65536


def block_reason(page: Selector, url: str) -> str | None:
    """The marker that shows this page is a challenge or block page, or None."""
    head = (page.get() or "")[:_HEAD_BYTES].lower()
    for marker in _HTML_MARKERS:
        if marker in head:
            return marker
    title = squash(page.xpath("string(//title)").get() or "")
    text = squash(" ".join(page.xpath("//body//text()[not(ancestor::script)]").getall()))
    return block_marker(title, text, url)
