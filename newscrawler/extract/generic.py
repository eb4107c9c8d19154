"""The generic body extractor for pages no profile selector covers (trafilatura underneath).

trafilatura gets a copy of the page with captions, share bars, related posts and comment
areas already removed, so none of them can reach the body, and without HTML comments, which
would end a paragraph where they stand; what it returns is split into one paragraph per
line."""

from __future__ import annotations

import trafilatura
from lxml import etree
from trafilatura.settings import Document

from newscrawler.extract.boilerplate import remove_boilerplate
from newscrawler.extract.html import detached_copy


def generic_paragraphs(root: etree._Element, url: str) -> list[str]:
    """The main text of the page under ``root``, as paragraphs; empty when none is found."""
    page = detached_copy(root)
    etree.strip_tags(page, etree.Comment)
    remove_boilerplate(page)
    _unwrap_layout_tables(page)
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


#: A table cell holding this much text, or a paragraph, is page layout, not data (a data
#: table's cells wrap their values in <div>s too).
LAYOUT_CELL_CHARS = 200
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
#: A row of header cells of the table's own: a data table (a wiki's, a product's).
_HAS_HEADER_ROW = etree.XPath("boolean(./tr/th | ./thead/tr/th | ./tbody/tr/th)")
_HOLDS_A_PARAGRAPH = etree.XPath("boolean(.//p[normalize-space()])")


def _unwrap_layout_tables(page: etree._Element) -> None:
    """Turn tables used for page layout (old portals, legacy ISPR pages) into plain blocks,
    so their text reads as paragraphs rather than as table rows."""
    for table in list(page.iter("table")):
        if _HAS_HEADER_ROW(table):
            continue
        if any(_is_layout_cell(cell) for cell in table.iter("td", "th")):
            for part in [table, *table.iter(*_TABLE_PARTS)]:
                part.tag = "div"


def _is_layout_cell(cell: etree._Element) -> bool:
    if _HOLDS_A_PARAGRAPH(cell):
        return True
    return len("".join(cell.itertext())) >= LAYOUT_CELL_CHARS
