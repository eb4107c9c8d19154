"""Reading text out of HTML: paragraphs kept apart, inline text joined with single spaces."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from newscrawler.profiles.selectors import (
    ElementTests,
    PageNames,
    compiled,
    element_tests,
    is_xpath,
)

#: Elements that start and end a paragraph of their own.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
#: Elements whose content is never text.
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "button", "select", "textarea"}
)
#: Table cells: separated by a space inside their row.
_CELL_TAGS = frozenset({"td", "th"})


def squash(text: str) -> str:
    """Whitespace runs (newlines and no-break spaces included) become one space."""
    return " ".join(text.split())


def paragraphs(element: etree._Element) -> list[str]:
    """The text of ``element`` as paragraphs: one per block element or ``<br>``-separated run,
    inline text joined as the browser would show it."""
    found: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        text = squash("".join(pending))
        pending.clear()
        if text:
            found.append(text)

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag and tag not in SKIPPED_TAGS:
            block = tag in BLOCK_TAGS
            if block:
                flush()
            pending.append(node.text or "")
            for child in node:
                walk(child)
            if block:
                flush()
            elif tag in _CELL_TAGS:
                pending.append(" ")
        pending.append(node.tail or "")

    walk(_without_tail(element))
    flush()
    return found


def _without_tail(element: etree._Element) -> etree._Element:
    if element.tail is None:
        return element
    element = copy.copy(element)
    element.tail = None
    return element


def text_of(element: etree._Element) -> str:
    """All the text of ``element`` on one line."""
    return " ".join(paragraphs(element))


def select(node: etree._Element, selector: str, names: PageNames | None = None) -> list[Any]:
    """What ``selector`` picks under ``node``: elements and strings. ``names``: those of the
    page ``node`` belongs to, when at hand (a selector needing others is not run)."""
    if names is not None and not names.may_select(selector):
        return []
    found = compiled(selector)(node)
    return found if isinstance(found, list) else [found]


def selected_texts(
    node: etree._Element, selector: str, names: PageNames | None = None
) -> Iterator[str]:
    """The non-empty texts a selector yields: strings as they are (attributes, ``::text``),
    elements as their whole text on one line."""
    for result in select(node, selector, names):
        text = squash(result) if isinstance(result, str) else text_of(result)
        if text:
            yield text


def first_texts(
    node: etree._Element, selectors: Iterable[str], names: PageNames | None = None
) -> list[str]:
    """The texts of the first selector that yields any."""
    for selector in selectors:
        texts = list(selected_texts(node, selector, names))
        if texts:
            return texts
    return []


def detached_copy(element: etree._Element) -> etree._Element:
    """A deep copy of ``element`` to edit without touching the page."""
    return copy.deepcopy(_without_tail(element))


def remove_elements(element: etree._Element, selectors: Iterable[str]) -> None:
    """Drop every element matching ``selectors`` (tails kept: they belong to the parent):
    XPath selectors one after the other, then the CSS selectors as one group, found in one
    walk over the elements."""
    xpaths, css = _removal_plan(tuple(selectors))
    for selector in xpaths:
        _drop_all(select(element, selector), element)
    if css is not None:
        _drop_all(css.elements(element), element)


@functools.cache
def _removal_plan(selectors: tuple[str, ...]) -> tuple[tuple[str, ...], ElementTests | None]:
    """The XPath selectors of ``selectors``, and its CSS selectors compiled as one group."""
    css = ", ".join(s for s in selectors if not is_xpath(s))
    return tuple(s for s in selectors if is_xpath(s)), element_tests(css) if css else None


def _drop_all(nodes: list[Any], root: etree._Element) -> None:
    for node in nodes:
        if isinstance(node, etree._Element) and node is not root:
            drop_element(node)


def drop_element(node: etree._Element) -> None:
    """Remove ``node`` and its content, keeping its tail text in the document."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
