"""The generic body extractor for pages no profile selector covers (trafilatura underneath).

trafilatura gets a copy of the page with captions, share bars, related posts and comment
areas already removed, so none of them can reach the body; what it returns is split into
one paragraph per line."""

from __future__ import annotations

import trafilatura
from lxml import etree
from trafilatura.settings import Document

from newscrawler.extract.boilerplate import remove_boilerplate
from newscrawler.extract.html import detached_copy


def generic_paragraphs(root: etree._Element, url: str) -> list[str]:
    """The main text of the page under ``root``, as paragraphs; empty when none is found."""
    page = detached_copy(root)
    remove_boilerplate(page)
    document = trafilatura.bare_extraction(
        page,
        url=url,
        fast=True,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    if not isinstance(document, Document) or not document.text:
        return []
    return [" ".join(line.split()) for line in document.text.splitlines() if line.strip()]
