"""Is an unknown page one article? Evidence from markup, text and URL shape, weighed.

Each piece of evidence adds or takes a weight; the score is clamped to [0, 1] and compared
with ``ArticleSignals.THRESHOLD``. A page with article metadata and a long text block scores
near 1; a tag archive, a home page or a listing of many ``<article>`` teasers near 0.
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
_COUNT_ARTICLES = etree.XPath("count(//article)")
_HAS_H1 = etree.XPath("boolean(//h1)")
#: A slug with at least this many words reads as a headline.
MIN_SLUG_WORDS = 4
#: Paragraph text (characters) of a page that holds an article, and of one that clearly does.
SOME_TEXT, LONG_TEXT = 250, 1500
#: Above this share of text inside links, a page is a list of links.
MAX_LINK_SHARE = 0.5

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
    "links:dense": -0.3,
    "url:article": 0.2,
    "url:listing": -0.6,
    "url:root": -0.6,
    "h1": 0.05,
}


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
    articles = _COUNT_ARTICLES(page.root)
    if articles == 1:
        evidence.append("one-article-element")
    elif articles >= 3:
        evidence.append("many-article-elements")
    if dated:
        evidence.append("date")
    if _HAS_H1(page.root):
        evidence.append("h1")
    evidence.extend(_text_evidence(page))
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


def _text_evidence(page: Selector) -> list[str]:
    """Text density: the longest run of text in one container, and link share."""
    lengths = _TextLengths(page.root)
    longest = lengths.longest_run(page.root)
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

    def longest_run(self, root: Any) -> int:
        """Characters of unlinked text in the richest container: the text of each leaf block
        (a paragraph, or a div/li/td holding no other block) counts for its parent, and text
        lying loose in a container (lines between ``<br>``) for the container itself."""
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
        return max(runs.values(), default=0)


def score(evidence: list[str]) -> ArticleSignals:
    total = sum(_WEIGHTS.get(name, 0.0) for name in evidence)
    return ArticleSignals(round(min(1.0, max(0.0, total)), 3), tuple(evidence))


def looks_like_listing(signals: ArticleSignals) -> bool:
    """Listing evidence strong enough to overrule a profile's body selector: an archive URL,
    the home page or a listing type, with no article metadata to say otherwise. (Many
    ``<article>`` elements alone are not enough: related-post teasers are articles too.)"""
    listing = {"url:listing", "url:root", "jsonld:listing"}
    return bool(listing & set(signals.evidence)) and "jsonld:article" not in signals.evidence
