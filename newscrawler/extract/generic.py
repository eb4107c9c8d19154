"""The generic body extractor for pages no profile selector covers (trafilatura underneath).

trafilatura gets a copy of the page with captions, share bars, related posts and comment
areas already removed, so none of them can reach the body, and without HTML comments, which
would end a paragraph where they stand; what it returns is split into one paragraph per
line."""

from __future__ import annotations

from copy import copy
from datetime import date
from functools import lru_cache

import trafilatura
from lxml import etree
from trafilatura.settings import Document, Extractor

from newscrawler.extract.boilerplate import remove_boilerplate
from newscrawler.extract.html import detached_copy


def generic_paragraphs(root: etree._Element, url: str) -> list[str]:
    """The main text of the page under ``root``, as paragraphs; empty when none is found."""
    page = detached_copy(root)
    etree.strip_tags(page, etree.Comment)
    remove_boilerplate(page)
    _unwrap_layout_tables(page)
    document = trafilatura.bare_extraction(page, options=_options(url))
    if not isinstance(document, Document) or not document.text:
        return []
    return [" ".join(line.split()) for line in document.text.splitlines() if line.strip()]


def _options(url: str) -> Extractor:
    """trafilatura's options for a page at ``url``: a copy of the day's, as reading its
    configuration for every page took a tenth of its time on a short page."""
    options = copy(_options_of_the_day(date.today()))
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")
    return options


@lru_cache(maxsize=1)
def _options_of_the_day(today: date) -> Extractor:
    """The options ``bare_extraction(fast=True, include_comments=False, include_tables=True,
    with_metadata=False)`` makes (its output format is "python"); the dates it may read end
    on ``today``."""
    return Extractor(
        output_format="python", fast=True, comments=False, tables=True, with_metadata=False
    )


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
