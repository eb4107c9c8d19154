"""A Wayback Machine on 127.0.0.1: a CDX index (``/cdx/search/cdx``, JSON output, ``from``
honoured) and raw ``id_`` captures, for backfill tests."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from newscrawler.samples.server import Page, SampleSite


class WaybackSite(SampleSite):
    """Captures added with :meth:`capture`; the CDX index lists them, plus any extra rows."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []

    def capture(self, timestamp: str, original: str, page: Page | str) -> None:
        self.rows.append([f"{original}", timestamp, original, "text/html", "200", "DIGEST", "1"])
        self.add(f"/web/{timestamp}id_/{original}", page)

    def index_row(self, timestamp: str, original: str) -> None:
        """A CDX row with no capture behind it (a captcha or challenge URL, say)."""
        self.rows.append([original, timestamp, original, "text/html", "200", "DIGEST", "1"])

    def lookup(self, path: str) -> Page:
        parts = urlsplit(path)
        if parts.path != "/cdx/search/cdx":
            return super().lookup(path)
        query = parse_qs(parts.query)
        since = query.get("from", [""])[0]
        header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
        rows = [row for row in self.rows if row[1] >= since.ljust(14, "0")]
        body = json.dumps([header, *rows]) if rows else "[]"
        return Page(body.encode(), content_type="text/plain")
