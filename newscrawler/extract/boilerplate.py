"""Site chrome inside article containers: elements removed before reading, and the short
English and Urdu lines (share, comment, related, navigation, cookie, copyright) dropped after."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from lxml import etree

from newscrawler.extract.html import drop_element, remove_elements

#: Removed from every body container, whatever the profile says. Captions go too: they are
#: stored with their image, never in the body.
BOILERPLATE_SELECTORS = (
    "script, style, noscript, template, iframe, button, input, select, textarea, svg",
    "figcaption, .wp-caption-text, .wp-caption, .gallery-caption",
    "figure:has(img), figure:has(picture), figure:has(video)",
    "#respond, #ast-scroll-top, .screen-reader-text, [hidden], [aria-hidden='true']",
    "ins.adsbygoogle, .nav-links, .entry-footer, .jp-relatedposts, .sharedaddy",
)
#: Chrome by its tag, removed like chrome-named elements: unless it holds the article (a page
#: wrapped in one ASP.NET ``<form>``, a ``<nav>`` left open around the whole page).
CHROME_TAGS = frozenset({"form", "nav", "aside"})
#: A class or id with one of these words (split at ``-`` and ``_``) marks chrome.
BOILERPLATE_WORDS = frozenset(
    {
        "share", "sharing", "sharedaddy", "social", "related", "relatedposts", "yarpp",
        "comment", "comments", "respond", "cookie", "cookies", "gdpr", "consent",
        "newsletter", "subscribe", "subscription", "breadcrumb", "breadcrumbs", "pagination",
        "navigation", "menu", "sidebar", "footer", "advert", "advertisement", "ads", "adsense",
        "copyright", "addtoany", "a2a", "heateor", "sassy", "author", "byline", "meta", "tags",
        "popup", "modal", "outbrain", "taboola", "caption",
    }
)  # fmt: skip
#: WordPress writes every tag and category slug into class names: ``tag-social`` is content.
_SLUG_CLASS_PREFIXES = ("tag-", "category-", "postid-", "post-format-", "format-")
_WORD_SPLIT = re.compile(r"[-_]+")
#: An element holding more than this share of the page's article text is a wrapper, not chrome.
MAX_SHARE = 0.5
#: Paragraph text (outside links) a page needs for its share to tell where the article is.
MIN_ARTICLE_CHARS = 250
#: Article text (outside links) a chrome-named element standing among the article's paragraphs
#: needs to be kept as part of it: an embedded post, not a share bar or a "read also" link.
MIN_EMBEDDED_CHARS = 80
#: Never removed: the page structure itself.
_STRUCTURE_TAGS = frozenset({"html", "body", "main"})


def remove_boilerplate(element: etree._Element, selectors: Iterable[str] = ()) -> None:
    """Remove chrome from ``element`` in place: the built-in selectors, ``selectors``, and
    every navigation, form, aside or element whose class or id names chrome (see
    BOILERPLATE_WORDS) that does not hold the article: chrome is decided by the article text
    an element holds and where it stands, class words only name the candidates."""
    _open_noscript_articles(element)
    remove_elements(element, (*BOILERPLATE_SELECTORS, *selectors))
    text = _ArticleText(element)
    # Tags first: a menu that goes takes its chrome-named items with it, unread.
    _drop_chrome(list(element.iterdescendants(*CHROME_TAGS)), text)
    _drop_chrome(
        [
            node
            for node in _NAMED_DESCENDANTS(element)
            if node.tag not in _STRUCTURE_TAGS and _names_chrome(node)
        ],
        text,
    )


def _open_noscript_articles(element: etree._Element) -> None:
    """Keep the article a script-rendered page gives readers without scripts: a
    ``<noscript>`` holding paragraphs of text becomes a plain block (tracking pixels and
    "enable JavaScript" notices stay in theirs, and go)."""
    for noscript in list(element.iter("noscript")):
        if sum(map(_text_length, noscript.iter("p"))) >= MIN_ARTICLE_CHARS:
            noscript.tag = "div"


#: The descendants that have a class or an id, the only ones that can be named like chrome.
_NAMED_DESCENDANTS = etree.XPath(".//*[@class or @id]")


def _drop_chrome(candidates: list[etree._Element], text: _ArticleText) -> None:
    content = _content_series(candidates, text)
    holders = {parent for node in content for parent in node.iterancestors()}
    chrome = [
        node
        for node in candidates
        if not (content and (node in holders or _is_in(node, content)))
        and not _is_article(node, text)
    ]
    for node in chrome:
        drop_element(node)


def _holds_most_unlinked_text(nodes: list[etree._Element], text: _ArticleText) -> bool:
    """Whether ``nodes`` together hold most of the page's text outside links (measured with
    their whole text first, the cheaper bound: too little of it settles most series)."""
    size = sum(map(_text_length, nodes))
    if size < MIN_ARTICLE_CHARS or size <= text.unlinked * MAX_SHARE:
        return False
    return sum(map(_unlinked_chars, nodes)) > text.unlinked * MAX_SHARE


def _is_in(node: etree._Element, elements: set[etree._Element]) -> bool:
    """Whether ``node`` is one of ``elements`` or inside one."""
    return node in elements or any(parent in elements for parent in node.iterancestors())


def _content_series(candidates: list[etree._Element], text: _ArticleText) -> set[etree._Element]:
    """Candidates standing side by side (same parent, same tag) that together hold most of
    the page's text outside links: the items of its content (a live ticker's entries, a
    thread's posts), however they and the parts of them are named, not chrome."""
    series: dict[tuple[etree._Element | None, str], list[etree._Element]] = {}
    for node in candidates:
        series.setdefault((node.getparent(), node.tag), []).append(node)
    return {
        node
        for nodes in series.values()
        if len(nodes) > 1 and _holds_most_unlinked_text(nodes, text)
        for node in nodes
    }


#: The page's ``<article>`` and ``<main>`` elements that no other one holds.
_OUTERMOST = {tag: etree.XPath(f"//{tag}[not(ancestor::{tag})]") for tag in ("article", "main")}
#: The text inside the links under an element, read in one call.
_LINK_TEXTS = etree.XPath(".//a//text()", smart_strings=False)
#: Paragraphs, but those inside a link: a teaser card's text is no article's.
_PARAGRAPHS_OUTSIDE_LINKS = etree.XPath(".//p[not(ancestor::a)]")


class _ArticleText:
    """How much of the page's article text an element holds, measured two ways: all its text
    (as much as the page's chrome may hold), and the text of its paragraphs outside links (the
    article's paragraphs, whatever the chrome around them holds), read only when needed."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root

    @functools.cached_property
    def total(self) -> int:
        return _text_length(self.root)

    @functools.cached_property
    def unlinked(self) -> int:
        return self.total - len("".join(_LINK_TEXTS(self.root)))

    @functools.cached_property
    def paragraphs(self) -> dict[etree._Element, int]:
        return {p: _unlinked_chars(p) for p in _PARAGRAPHS_OUTSIDE_LINKS(self.root)}

    @functools.cached_property
    def paragraph_total(self) -> int:
        return sum(self.paragraphs.values())

    def in_paragraphs(self, node: etree._Element) -> int:
        if node.tag == "p":
            return self.paragraphs.get(node, 0)
        return sum(self.paragraphs.get(p, 0) for p in node.iter("p"))

    @functools.cached_property
    def landmarks(self) -> frozenset[etree._Element]:
        """The elements that hold a headline (``<h1>``), or the page's main ``<article>`` or
        ``<main>`` element (the one holding most of the text of all of them): a theme's block
        around them, whatever it is named, wraps the article."""
        marks = list(self.root.iter("h1"))
        for tag in ("article", "main"):
            outermost = _OUTERMOST[tag](self.root)
            texts = [_text_length(node) for node in outermost]
            most = max(texts, default=0)
            if most >= MIN_EMBEDDED_CHARS and most > sum(texts) * MAX_SHARE:
                marks.append(outermost[texts.index(most)])
        return frozenset(ancestor for mark in marks for ancestor in mark.iterancestors())

    def holds_most_paragraphs(self, node: etree._Element) -> bool:
        """Whether ``node`` holds most of the paragraph text, when the page has enough of it
        to be an article's."""
        total = self.paragraph_total
        return total >= MIN_ARTICLE_CHARS and self.in_paragraphs(node) > total * MAX_SHARE


def _is_article(node: etree._Element, text: _ArticleText) -> bool:
    """A candidate that wraps the article (holds the headline, the page's one article element
    or most of its text), or, when named like chrome, a block of text standing among its
    paragraphs (an embedded post)."""
    if node in text.landmarks:
        return True
    size = _text_length(node)
    if size > text.total * MAX_SHARE:
        return True
    if size < MIN_EMBEDDED_CHARS:  # too little text for either test below
        return False
    return text.holds_most_paragraphs(node) or (
        node.tag not in CHROME_TAGS
        and text.in_paragraphs(node) >= MIN_EMBEDDED_CHARS
        and _stands_among_paragraphs(node, text)
    )


def _stands_among_paragraphs(node: etree._Element, text: _ArticleText) -> bool:
    """Whether ``node`` (or the wrapper it is the only child of) has paragraphs of text
    both before and after it."""
    parent = node.getparent()
    while parent is not None and len(parent) == 1 and parent.tag not in _STRUCTURE_TAGS:
        node, parent = parent, parent.getparent()
    return all(
        any(p.tag == "p" and text.in_paragraphs(p) for p in node.itersiblings(preceding=before))
        for before in (True, False)
    )


def _unlinked_chars(node: etree._Element) -> int:
    """The characters of an element's text outside its links."""
    return _text_length(node) - sum(_text_length(link) for link in node.iter("a"))


#: The characters of an element's text (``"".join(node.itertext())``), counted by libxml2
#: without building the string: candidates are measured by the dozen on every page.
_TEXT_LENGTH = etree.XPath("string-length(.)")


def _text_length(node: etree._Element) -> int:
    return int(_TEXT_LENGTH(node))


def _names_chrome(node: etree._Element) -> bool:
    return _chrome_named(node.get("class"), node.get("id"))


@functools.lru_cache(maxsize=4096)
def _chrome_named(classes: str | None, identifier: str | None) -> bool:
    """Whether a class or id names chrome (pages of one theme repeat the same few)."""
    tokens = f"{classes or ''} {identifier or ''}".lower().split()
    return any(
        not token.startswith(_SLUG_CLASS_PREFIXES)
        and not BOILERPLATE_WORDS.isdisjoint(_WORD_SPLIT.split(token))
        for token in tokens
    )


#: Networks named by share and follow lines, in English and Urdu.
_NETWORK = (
    r"(facebook|twitter|x|whatsapp|e-?mail|linkedin|telegram|pinterest|reddit|instagram|youtube"
    r"|tiktok|messenger|google news|فیس ?بک|ٹوئٹر|ٹویٹر|ایکس|واٹس ?ایپ|یوٹیوب|انسٹاگرام|ای ?میل"
    r"|ٹیلی ?گرام|لنکڈ ?ان)"
)
#: Networks in a row: "Facebook Twitter WhatsApp", "فیس بک، ٹوئٹر اور یوٹیوب".
_NETWORKS = rf"{_NETWORK}([\s,،|/•]+((and|or|اور)\s+)?{_NETWORK})*"
#: Labels that make up a whole line of chrome (trailing punctuation and counts allowed).
_CHROME_LABELS = (
    rf"share( this( article| story| post)?)?( (on|via) {_NETWORKS})?|{_NETWORKS}|tweet|like this",
    r"print( this( article| story| post| page| release)?)?",
    r"related( posts| articles| news| stories)?|see also|(also|read) (also|more)|also read",
    r"you (may|might) also like|recommended( for you)?|more (from|on|in) .{1,40}",
    r"(leave a|post a|add a?) (comment|reply)|\d* ?comments?|cancel reply|reply",
    r"(previous|next|older|newer)( post| article| story)?|scroll to top|back to top",
    r"advertisement|sponsored( content)?|ad|follow us( on .{1,30})?|subscribe",
    rf"((ہمیں|(یہ )?خبر|اسے) )?({_NETWORKS} (پر )?)?(فالو|سبسکرائب|شیئر|شئیر|شیر|لائک) کریں|شیئر",
    r"(یہ|اسے|اس) بھی (پڑھیں|پڑھئے|پڑھیے)|مزید (پڑھیں|پڑھئے|خبریں)",
    r"متعلقہ (خبریں|خبر|مضامین)|(اپنا )?(تبصرہ|تبصرے|رائے)( (کریں|بھیجیں|دیں|کیجئے))?",
    r"(اگلی|پچھلی) (خبر|پوسٹ)|اشتہار",
    # Picture labels of page builders ("News Image") standing where the picture was.
    r"(news|featured|post)?\s*(image|photo|picture)|(تصویر|فوٹو|فائل فوٹو)",
)
#: Openings of chrome lines that go on with other text ("Read also: <headline>").
_CHROME_OPENINGS = (
    r"(related|see also|(also|read) (also|more)|also read|more|tags?|categories|category)\s*:",
    r"(posted|filed) (in|under)\b",
    r"your email address will not be published|required fields are marked",
    r"(we|this (web)?site) uses? cookies\b|by (continuing|using) (to use )?this (web)?site\b",
    r"(click to )?share (on|via)\b|follow us on\b|download (our|the) app\b",
    rf"(share|follow)\b[^.,!?؟۔]{{0,40}} (on|via) {_NETWORKS}[\s\W]*$",
    r"((یہ|اسے|اس) بھی (پڑھیں|پڑھئے|پڑھیے)|مزید (پڑھیں|پڑھئے)|متعلقہ خبریں)\s*[:؛]",
    # A meta line holding only a labelled date and time: "DATE . July/27/2025", "Updated: 3 Aug
    # 2025 10:15 am", "شائع شدہ: 12 اگست 2025، 06:30 شام".
    r"(date|dated|published|updated|posted|last updated|تاریخ|تاریخ اشاعت|شائع( شدہ)?|اپ ?ڈیٹ)"
    r"( on)?\s*[.:\-]?\s*[\w/ ,،.:\-]{0,40}\d\s*ء?"
    r"(\s*(am|pm|a\.m\.|p\.m\.)|\s+([a-z]{3,4}|صبح|دوپہر|شام|رات|بجے))*$",
)
#: Paragraphs longer than this are text, whatever they start with.
MAX_CHROME_CHARS = 160
_CHROME_RE = re.compile(
    "|".join(f"(?:{label})[\\s\\W\\d]*$" for label in _CHROME_LABELS)
    + "|"
    + "|".join(f"(?:{opening})" for opening in _CHROME_OPENINGS),
    re.IGNORECASE,
)
#: Copyright and cookie notices may sit anywhere in a short line.
_ANYWHERE_RE = re.compile(
    r"©|\(c\) ?\d{4}|copyright\b|all rights reserved|(جملہ|تمام) حقوق محفوظ|we use cookies",
    re.IGNORECASE,
)


def is_chrome_line(paragraph: str) -> bool:
    """Whether a paragraph is a line of site chrome rather than article text."""
    if len(paragraph) > MAX_CHROME_CHARS:
        return False
    return bool(_CHROME_RE.match(paragraph.strip(" :-–—|•"))) or bool(
        _ANYWHERE_RE.search(paragraph)
    )


def is_inside_chrome(node: etree._Element, root: etree._Element) -> bool:
    """Whether ``node`` sits in navigation, a sidebar, a footer or a chrome-named element
    between itself and ``root`` (a related post's thumbnail, a share bar's icon)."""
    current: etree._Element | None = node
    while current is not None and current is not root:
        if current.tag in ("nav", "aside", "footer") or _names_chrome(current):
            return True
        current = current.getparent()
    return False
