"""Exceptions that travel between components: raised by one layer, recognised by another."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class BlockedPage(IgnoreRequest):
    """A challenge or block page came back instead of the page asked for."""

    def __init__(self, marker: str) -> None:
        super().__init__(f"blocked page ({marker})")
        self.marker = marker


class NotModified(IgnoreRequest):
    """The archived copy is current: nothing to parse."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect led off the crawl's own hosts, or to an internal address: not followed."""


class RedirectLoop(IgnoreRequest):
    """A redirect led back to a URL of its own chain: not followed."""
