"""Is an unknown page one article? Evidence from markup, text and URL shape, weighed.

Each piece of evidence adds or takes a weight; the score is clamped to [0, 1] and compared
with ``ArticleSignals.THRESHOLD``. A page with article metadata and a long text block scores
near 1; a tag archive, a home page or a listing of many ``<article>`` teasers near 0.

The page's own words weigh most: its text, its headline, its declared type. URL shape, link
share and the count of ``<article>`` elements are weak evidence: read alone they decide, but
together they take at most ``WEAK_LIMIT`` from a page with a long main text, so that a long text
with a headline and article metadata is an article whatever its URL looks like.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree
from parsel import Selector

from newscrawler.extract.html import BLOCK_TAGS
from newscrawler.extract.metadata import LISTING_TYPES, PageMetadata
from newscrawler.extract.result import ArticleSignals

#: Paths of archives, listings and site pages that are never one article: a section word, a
#: page number, or a year (and month) archive; not any number that merely looks like a year.
_LISTING_PATH = re.compile(
    r"/(tag|tags|category|categories|topic|topics|author|authors|search|feed|label|"
    r"wp-json|amp-stories)(/|$)|/page(/\d+)?/?$|/archives?(/(?!\d)|$)|"
    r"/(19|20)\d\d/((0?[1-9]|1[0-2])/?)?$",
    re.IGNORECASE,
)
#: Searches, archives and listing pages after the first: ``page=1`` is also an article's
#: first (or only) page, and ``page=contact`` a CMS route.
_LISTING_QUERY = re.compile(
    r"(^|&)((s|q|tag|cat|category|author)=|(paged|page)=0*([2-9]|[1-9]\d+)(&|$))", re.IGNORECASE
)
#: Article-shaped URLs: a date, a numeric id, or a long slug.
_DATED_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)|/\d\d?-[a-z]{3}-\d{4}/", re.I)
_NUMERIC_ID = re.compile(r"(/|[?&](p|id|story|news|article)=)\d{4,}(\D|$)|[?&](p|id)=\d+")
_SLUG_WORD = re.compile(r"[-_]")
#: Elements that hold text blocks (inline elements and line breaks do not).
_CONTAINER_TAGS = frozenset(BLOCK_TAGS - {"br", "hr"} | {"td", "th"})
_ARTICLES = etree.XPath("//article")
_HAS_H1 = etree.XPath("boolean(//h1)")
#: A slug with at least this many words reads as a headline.
MIN_SLUG_WORDS = 4
#: Paragraph text (characters) of a page that holds an article, and of one that clearly does.
SOME_TEXT, LONG_TEXT = 250, 1500
#: Above this share of text inside links, a page is a list of links.
MAX_LINK_SHARE = 0.5
#: An ``<article>`` holding this share of the text of all of them is the page's article.
MAIN_ARTICLE_SHARE = 2 / 3
#: A main text this many times longer than the text of any ``<article>`` beside it is the
#: page's, and those are teasers.
MAIN_TEXT_RATIO = 3
#: The most that weak evidence together takes from a page with a long main text.
WEAK_LIMIT = 0.35

_WEIGHTS = {
    "jsonld:article": 0.5,
    "jsonld:listing": -0.4,
    "og:article": 0.35,
    "one-article-element": 0.15,
    "many-article-elements": -0.35,
    "date": 0.15,
    "text:some": 0.25,
    "text:long": 0.4,
    "text:little": -0.2,
    "links:dense": -0.2,
    "url:article": 0.2,
    "url:listing": -0.6,
    "url:root": -0.6,
    "h1": 0.1,
}
#: Evidence of the page's shape rather than of its content.
_WEAK = frozenset(
    {"url:article", "url:listing", "url:root", "one-article-element", "many-article-elements",
     "links:dense"}
)  # fmt: skip


def url_evidence(url: str) -> list[str]:
    """What the URL's shape says: ``url:listing``, ``url:root`` or ``url:article``."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if _LISTING_PATH.search(path) or _LISTING_QUERY.search(parts.query):
        return ["url:listing"]
    if path in ("", "/") and not _NUMERIC_ID.search(f"?{parts.query}"):
        return ["url:root"]
    last = path.rstrip("/").rsplit("/", 1)[-1]
    slug_words = len(_SLUG_WORD.split(last)) if last else 0
    if (
        _DATED_PATH.search(path)
        or _NUMERIC_ID.search(path + ("?" + parts.query if parts.query else ""))
        or slug_words >= MIN_SLUG_WORDS
    ):
        return ["url:article"]
    return []


def page_evidence(page: Selector, metadata: PageMetadata, *, dated: bool) -> list[str]:
    """What the markup and text say; ``dated``: the page states a publication date."""
    evidence = metadata_evidence(metadata)
    lengths = _TextLengths(page.root)
    main_text = lengths.longest_run(page.root)
    declared = metadata.is_article_type
    evidence.extend(_article_elements_evidence(page.root, lengths, main_text, declared=declared))
    if dated:
        evidence.append("date")
    if _HAS_H1(page.root):
        evidence.append("h1")
    evidence.extend(_text_evidence(page, lengths, main_text[0]))
    return evidence


def metadata_evidence(metadata: PageMetadata) -> list[str]:
    """What JSON-LD and Open Graph say: an article type, a listing type (the first items of
    :func:`page_evidence`, and all that :func:`looks_like_listing` needs of the page)."""
    evidence: list[str] = []
    if metadata.is_article_type:
        evidence.append("jsonld:article" if metadata.json_ld_types else "og:article")
        if metadata.json_ld_types and metadata.og_type == "article":
            evidence.append("og:article")
    if metadata.json_ld_types & LISTING_TYPES:
        evidence.append("jsonld:listing")
    return evidence


def _article_elements_evidence(
    root: Any, lengths: _TextLengths, main_text: tuple[int, Any], *, declared: bool
) -> list[str]:
    """One ``<article>``: the page's article. Several: teasers beside the page's article when
    one of them holds most of their text, or when the page's main text stands apart from
    them (long, or of some length on a page declared an article, and ``MAIN_TEXT_RATIO``
    times the text of any other); else three or more make a listing. Only innermost
    ``<article>``s are weighed: one wrapping a listing's teasers is not the page's article."""
    articles = _ARTICLES(root)
    if len(articles) == 1:
        return ["one-article-element"]
    length, container = main_text
    holders = {container, *container.iterancestors("article")} if container is not None else set()
    holders &= set(articles)  # the <article>s holding the main text
    texts = {
        a: lengths.total[a] - lengths.linked[a]
        for a in articles
        if next(a.iterdescendants("article"), None) is None
    }
    if texts and max(texts.values()) >= MAIN_ARTICLE_SHARE * sum(texts.values()) > 0:
        return ["one-article-element"]
    others = [text for article, text in texts.items() if article not in holders]
    if length >= (SOME_TEXT if declared else LONG_TEXT) and length >= MAIN_TEXT_RATIO * max(
        others, default=0
    ):
        return ["one-article-element"] if holders else []
    return ["many-article-elements"] if len(articles) >= 3 else []


def _text_evidence(page: Selector, lengths: _TextLengths, longest: int) -> list[str]:
    """Text density: the longest run of text in one container, and link share."""
    evidence = ["text:long" if longest >= LONG_TEXT else "text:some" if longest >= SOME_TEXT else
                "text:little"]  # fmt: skip
    body = page.root.find("body")
    all_text = lengths.total[body] if body is not None else 0
    if all_text and lengths.linked[page.root] / all_text > MAX_LINK_SHARE and longest < LONG_TEXT:
        evidence.append("links:dense")
    return evidence


class _TextLengths:
    """Characters of visible text under each element (the element's own text, and the texts
    and tails of its descendants, stripped; scripts and styles left out), of the part of it
    inside links, and which elements hold blocks: summed bottom-up in one pass over the tree
    rather than walking each subtree again."""

    def __init__(self, root: Any) -> None:
        self.total: dict[Any, int] = {}
        self.linked: dict[Any, int] = {}
        self.holds_blocks: set[Any] = set()
        for node in reversed(list(root.iter())):
            self._add(node)

    def _add(self, node: Any) -> None:
        """Count ``node`` (its descendants are counted already) into its parent."""
        tag = node.tag
        total = linked = 0
        if isinstance(tag, str):
            total = self.total.get(node, 0)
            if tag not in ("script", "style"):
                total += len((node.text or "").strip())
            linked = self.linked.get(node, 0) + (total if tag == "a" else 0)
            self.total[node], self.linked[node] = total, linked
        parent = node.getparent()
        if parent is None:
            return
        self.total[parent] = self.total.get(parent, 0) + total + len((node.tail or "").strip())
        self.linked[parent] = self.linked.get(parent, 0) + linked
        if tag in _CONTAINER_TAGS or node in self.holds_blocks:
            self.holds_blocks.add(parent)

    def longest_run(self, root: Any) -> tuple[int, Any]:
        """Characters of unlinked text in the richest container, and that container (None on
        a page without blocks): the text of each leaf block (a paragraph, or a div/li/td
        holding no other block) counts for its parent, and text lying loose in a container
        (lines between ``<br>``) for the container itself."""
        runs: dict[Any, int] = {}
        for block in root.iter(*_CONTAINER_TAGS):
            if block in self.holds_blocks:
                loose = len((block.text or "").strip()) + sum(
                    len((child.tail or "").strip()) for child in block
                )
                runs[block] = runs.get(block, 0) + loose
            else:
                parent = block.getparent()
                unlinked = max(0, self.total[block] - self.linked[block])
                runs[parent] = runs.get(parent, 0) + unlinked
        richest = max(runs, key=runs.__getitem__, default=None)
        return (runs[richest], richest) if richest is not None else (0, None)


def score(evidence: list[str]) -> ArticleSignals:
    """The weighed evidence; weak evidence outvotes no long main text (see the module)."""
    weak = sum(_WEIGHTS.get(name, 0.0) for name in evidence if name in _WEAK)
    if "text:long" in evidence:
        weak = max(weak, -WEAK_LIMIT)
    total = weak + sum(_WEIGHTS.get(name, 0.0) for name in evidence if name not in _WEAK)
    return ArticleSignals(round(min(1.0, max(0.0, total)), 3), tuple(evidence))


def looks_like_listing(signals: ArticleSignals) -> bool:
    """Listing evidence strong enough to overrule a profile's body selector: an archive URL,
    the home page or a listing type, with no article metadata to say otherwise. (Many
    ``<article>`` elements alone are not enough: related-post teasers are articles too.)"""
    listing = {"url:listing", "url:root", "jsonld:listing"}
    return bool(listing & set(signals.evidence)) and "jsonld:article" not in signals.evidence
