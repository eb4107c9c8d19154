"""Pages fetched before, answered from their stored bytes: ``reprocess``, ``import-warc`` and
``scrape file://...`` send them through the crawl's own middlewares, spiders and pipelines."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newscrawler.items import TRANSFER_HEADERS
from newscrawler.marks import STORED_PAGE_META, StoredPage


class StoredPageMiddleware:
    """Downloader middleware: a request carrying a :class:`~newscrawler.marks.StoredPage` gets
    it as its response, and nothing is fetched. It sits nearest the engine (before robots.txt
    and the download slots); the other middlewares still see the response on its way back
    (decoding, the challenge check). The stored bytes are whole and decoded: headers about
    their transfer (``Content-Encoding``, chunks, length) are left out."""

    def process_request(self, request: Request) -> Response | None:
        page: StoredPage | None = request.meta.get(STORED_PAGE_META)
        if page is None:
            return None
        headers = Headers(
            [(name, value) for name, value in page.headers
             if name.lower().encode("latin-1") not in TRANSFER_HEADERS]
        )  # fmt: skip
        cls = responsetypes.from_args(headers=headers, url=page.url, body=page.body)
        return cls(
            url=page.url, status=page.status, headers=headers, body=page.body, request=request
        )
