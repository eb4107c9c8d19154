"""Profile selectors: CSS (with Scrapy's ``::text`` and ``::attr()``) or XPath, compiled once."""

from __future__ import annotations

import functools

from lxml import etree
from parsel.csstranslator import HTMLTranslator

_CSS = HTMLTranslator()
_NAMESPACES = {"re": "http://exslt.org/regular-expressions"}


def is_xpath(selector: str) -> bool:
    """Whether a profile selector is XPath rather than CSS."""
    return selector.startswith(("/", "./", "("))


@functools.cache
def compiled(selector: str) -> etree.XPath:
    """``selector`` as compiled XPath (CSS translated first). Raises on a selector that does
    not compile: cssselect's and lxml's own errors."""
    expression = selector if is_xpath(selector) else _CSS.css_to_xpath(selector)
    return etree.XPath(expression, namespaces=_NAMESPACES, smart_strings=False)
