"""An article page's publication and modification dates, and where each came from (spec
section 6): machine-readable meta, JSON-LD and ``<time>`` first, then visible text read with
:func:`newscrawler.dates.parse_date_with_reason`, skipping the page's own clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree
from parsel import Selector

from newscrawler.dates import (
    INCOMPLETE,
    KARACHI,
    NO_DATE,
    ParsedDate,
    parse_date_with_reason,
    reference_time,
)
from newscrawler.extract.jsonld import json_ld_objects
from newscrawler.extract.metadata import is_article_object

#: A date this close to the crawl time, outside the article, is the page's clock; in the
#: article (around the headline, or labelled as published) it is a fresh article's date.
CLOCK_TOLERANCE = timedelta(minutes=10)
#: Reason a visible date is turned down: a header clock or today's date above the headline.
PAGE_CHROME = "page_chrome"
#: A date line that says it is the publication's: "Published: ...", "Posted on ...", "شائع".
_PUBLISHED_LABEL = re.compile(r"\b(?:published|posted)\b|شائع|اشاعت", re.IGNORECASE)


@dataclass(frozen=True)
class PageDate:
    """A page's date, where it came from, and the candidates turned down on the way."""

    value: datetime | None
    #: "meta:article:published_time", "json-ld:datePublished", "time[datetime]", "text", "url"...
    source: str | None = None
    #: The raw value or visible text the date was read from.
    text: str | None = None
    #: (source, text, reason) of every rejected candidate, for logs.
    rejected: tuple[tuple[str, str, str], ...] = field(default=())


#: class/id words of page chrome: clocks, top bars, menus, tickers, sidebars, footers.
_CHROME_RE = re.compile(
    r"clock|time-?now|current-?(?:date|time)|today|top-?bar|site-header|masthead|navbar|menu"
    r"|ticker|breaking|marquee|weather|sidebar|widget|site-footer|footer|related|comment",
    re.IGNORECASE,
)
_DATE_CLASS = (
    "contains(@class,'date') or contains(@class,'time') or contains(@class,'posted')"
    " or contains(@class,'publish') or contains(@class,'byline') or contains(@class,'meta')"
    " or contains(@id,'date') or contains(@id,'time')"
)
_BLOCKS = "p|div|span|time|h2|h3|h4|h5|h6|li|small|em|strong|b|td|font"
#: Only the start of a block is read: datelines open paragraphs, dates deep in prose are
#: about events, not about the article.
_MAX_BLOCK_CHARS = 200
_DIGIT_RE = re.compile(r"\d")
#: The page's elements are read with lxml directly: parsel would wrap each element and text
#: node met in a Selector, and visible dates are looked for in thousands of them.
_DATE_ELEMENTS = etree.XPath(f"//body//*[{_DATE_CLASS}]")
_SHORT_BLOCKS = etree.XPath(
    "//body//*[({}) and not(.//p or .//div or .//li or .//table)]".format(
        " or ".join(f"self::{tag}" for tag in _BLOCKS.split("|"))
    )
)
_TEXTS = etree.XPath(".//text()", smart_strings=False)
_TIME_ELEMENTS = etree.XPath("//time[@datetime]")


def _selector(page: str | Selector) -> Selector:
    return page if isinstance(page, Selector) else Selector(text=page)


def _first(page: Selector, query: str) -> str | None:
    value = page.xpath(query).get()
    return value.strip() if value and value.strip() else None


def _json_ld_date(page: Selector, key: str) -> str | None:
    """``key`` of the first article-typed object, else of any object that has it."""
    objects = sorted(json_ld_objects(page), key=lambda obj: not is_article_object(obj))
    for obj in objects:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _meta(prop: str) -> str:
    return f'//meta[@property="{prop}" or @name="{prop}"]/@content'


_PUBLISHED_SOURCES = (
    ("meta:article:published_time", _meta("article:published_time")),
    ("meta:og:article:published_time", _meta("og:article:published_time")),
    ("json-ld:datePublished", "datePublished"),
    ("itemprop:datePublished", '//*[@itemprop="datePublished"]/@content'),
    ("itemprop:datePublished", '//*[@itemprop="datePublished"]/@datetime'),
    ("meta:pubdate", _meta("pubdate") + " | " + _meta("publishdate") + " | " + _meta("date")),
)
_MODIFIED_SOURCES = (
    ("meta:article:modified_time", _meta("article:modified_time")),
    ("meta:og:updated_time", _meta("og:updated_time")),
    ("json-ld:dateModified", "dateModified"),
    ("itemprop:dateModified", '//*[@itemprop="dateModified"]/@content'),
    ("itemprop:dateModified", '//*[@itemprop="dateModified"]/@datetime'),
)


def _machine_values(
    page: Selector, sources: tuple[tuple[str, str], ...]
) -> Iterator[tuple[str, str]]:
    for source, query in sources:
        json_ld = source.startswith("json-ld:")
        value = _json_ld_date(page, query) if json_ld else _first(page, query)
        if value:
            yield source, value


def _is_chrome(element: Selector) -> bool:
    """Inside site navigation, a site header or footer, a sidebar or a clock widget.

    An article's own <header>/<footer> is not chrome, and the classes of html, body, article
    and main are not read (WordPress puts tag slugs such as ``tag-breaking`` there).
    """
    for node in element.xpath("ancestor-or-self::*"):
        tag = node.root.tag
        if tag in {"nav", "aside"}:
            return True
        if tag in {"header", "footer"} and not node.root.xpath(
            "boolean(ancestor::article | ancestor::main)"
        ):
            return True
        words = f"{node.attrib.get('class', '')} {node.attrib.get('id', '')}"
        if tag not in {"html", "body", "article", "main"} and _CHROME_RE.search(words):
            return True
    return False


def _visible_elements(page: Selector) -> Iterator[tuple[str, etree._Element]]:
    """Elements whose text may state the date: date-classed ones first, then short blocks."""
    yield from (("text:date-element", el) for el in _DATE_ELEMENTS(page.root))
    yield from (("text", el) for el in _SHORT_BLOCKS(page.root))


def _headline(page: Selector) -> Any | None:
    """The article's h1 (inside article/main if any)."""
    headline = page.xpath("(//article//h1 | //main//h1)[1]") or page.xpath("(//h1)[1]")
    return headline[0].root if headline else None


def _article_area(page: Selector, headline: Any | None) -> Any | None:
    """The element that holds the headline and the article: the <article> or <main> around
    the headline, else the headline's parent (unless that is the whole page), else the first
    <article> or <main>."""
    if headline is not None:
        for ancestor in headline.iterancestors():
            if ancestor.tag in {"article", "main"}:
                return ancestor
        parent = headline.getparent()
        if parent is not None and parent.tag not in {"body", "html"}:
            return parent
        return None
    area = page.xpath("(//article | //main)[1]")
    return area[0].root if area else None


def _is_inside(element: etree._Element, area: Any | None) -> bool:
    return area is not None and any(node is area for node in element.iterancestors())


def _is_clock(
    element: etree._Element, value: datetime, now: datetime, area: Any | None, *, labelled: bool
) -> bool:
    """Whether a date is the page's clock, not the article's: in page chrome whatever its age,
    or minutes old outside the article area and not labelled as the publication's."""
    if _is_chrome(Selector(root=element, type="html")):
        return True
    return abs(value - now) <= CLOCK_TOLERANCE and not (labelled or _is_inside(element, area))


def _visible_date(
    page: Selector, now: datetime, rejected: list[tuple[str, str, str]]
) -> PageDate | None:
    """The first visible date that is not the page's clock (see ``_is_clock``), nor today's
    date above the headline outside the article."""
    body = page.xpath("//body")
    if not body:
        return None
    order = {element: index for index, element in enumerate(body[0].root.iter())}
    headline_element = _headline(page)
    area = _article_area(page, headline_element)
    headline = order.get(headline_element, -1) if headline_element is not None else -1
    today = now.astimezone(KARACHI).date()
    seen: set[str] = set()
    for source, element in _visible_elements(page):
        text = " ".join(" ".join(_TEXTS(element)).split())[:_MAX_BLOCK_CHARS]
        if text in seen or not _DIGIT_RE.search(text):
            continue  # every visible date form this looks for has a digit
        seen.add(text)
        parsed = parse_date_with_reason(text, now=now)
        if parsed.value is None:
            if parsed.reason not in {NO_DATE, INCOMPLETE}:
                rejected.append((source, text, parsed.reason or NO_DATE))
            continue
        local = parsed.value.astimezone(KARACHI)
        labelled = bool(_PUBLISHED_LABEL.search(text))
        above_headline = order.get(element, 0) < headline
        own = labelled or _is_inside(element, area)
        if _is_clock(element, parsed.value, now, area, labelled=labelled) or (
            above_headline and local.date() == today and not own
        ):
            rejected.append((source, text, PAGE_CHROME))
            continue
        return PageDate(parsed.value, source, text)
    return None


def _time_elements(
    page: Selector, now: datetime, rejected: list[tuple[str, str, str]]
) -> PageDate | None:
    area = _article_area(page, _headline(page))
    for element in _TIME_ELEMENTS(page.root):
        raw = element.get("datetime").strip()
        parsed = parse_date_with_reason(raw, now=now)
        if parsed.value is None:
            rejected.append(("time[datetime]", raw, parsed.reason or NO_DATE))
        elif _is_clock(element, parsed.value, now, area, labelled=False):
            rejected.append(("time[datetime]", raw, PAGE_CHROME))
        else:
            return PageDate(parsed.value, "time[datetime]", raw)
    return None


def _url_date(url: str, now: datetime) -> ParsedDate:
    """A date in the URL path: /2025/07/27/, /2025-07-27/, /26-Jul-2025/."""
    path = unquote(urlsplit(url).path).replace("/", " ")
    return parse_date_with_reason(path, now=now)


def extract_published_date(
    page: str | Selector, *, url: str | None = None, now: datetime | None = None
) -> PageDate:
    """The publication date of an article page and the source it came from.

    Order: ``article:published_time``, ``og:article:published_time``, JSON-LD
    ``datePublished`` (article types first, ``@graph`` included), ``itemprop=datePublished``,
    ``meta name=pubdate/publishdate/date``, ``<time datetime>`` outside page chrome, visible
    Urdu/English text (date-classed elements, then short blocks), and last a date in ``url``.
    A date inside header/nav/footer/sidebar/clock widgets is the site's clock and is skipped
    whatever its age, and so is one within ten minutes of the crawl time outside the article
    area (the article or main element around the headline, or the headline's container) unless
    labelled as published, and today's date above the headline outside the article area.
    """
    selector = _selector(page)
    reference = reference_time(now)
    rejected: list[tuple[str, str, str]] = []
    machine = _machine_date(selector, _PUBLISHED_SOURCES, reference, rejected)
    if machine is not None:
        return machine
    found = _time_elements(selector, reference, rejected) or _visible_date(
        selector, reference, rejected
    )
    if found:
        return PageDate(found.value, found.source, found.text, tuple(rejected))
    if url:
        parsed = _url_date(url, reference)
        if parsed.value is not None:
            return PageDate(parsed.value, "url", url, tuple(rejected))
    return PageDate(None, rejected=tuple(rejected))


def extract_modified_date(page: str | Selector, *, now: datetime | None = None) -> PageDate:
    """The last-modified date a page declares (meta, JSON-LD ``dateModified``, itemprop)."""
    selector = _selector(page)
    reference = reference_time(now)
    rejected: list[tuple[str, str, str]] = []
    machine = _machine_date(selector, _MODIFIED_SOURCES, reference, rejected)
    return machine or PageDate(None, rejected=tuple(rejected))


def _machine_date(
    selector: Selector,
    sources: tuple[tuple[str, str], ...],
    reference: datetime,
    rejected: list[tuple[str, str, str]],
) -> PageDate | None:
    """The first valid date among the page's machine-readable ``sources``; the invalid ones
    it passes are added to ``rejected``."""
    for source, raw in _machine_values(selector, sources):
        parsed = parse_date_with_reason(raw, now=reference)
        if parsed.value is not None:
            return PageDate(parsed.value, source, raw, tuple(rejected))
        rejected.append((source, raw, parsed.reason or NO_DATE))
    return None
