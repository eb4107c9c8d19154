"""The generic extractor for pages of sites with no profile (trafilatura underneath)."""

from __future__ import annotations

from datetime import UTC, datetime

import trafilatura
from trafilatura.settings import Document
from scrapy.http import Response

from newscrawler.items import ArticleItem


def extract_generic(response: Response, *, site: str) -> ArticleItem | None:
    """The main text and metadata trafilatura finds on the page, or None when it finds none."""
    document = trafilatura.bare_extraction(
        response.text, url=response.url, with_metadata=True, include_comments=False
    )
    if not isinstance(document, Document) or not document.text:
        return None
    return ArticleItem(
        url=response.url,
        site=site,
        fetched_at=datetime.now(UTC),
        http_status=response.status,
        language=document.language,
        title=document.title,
        body="\n\n".join(line for line in document.text.splitlines() if line.strip()),
        authors=[a.strip() for a in (document.author or "").split(";") if a.strip()],
    )
