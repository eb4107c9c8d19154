"""Is an unknown page one article? Evidence from markup, text and URL shape, weighed.

Each piece of evidence adds or takes a weight; the score is clamped to [0, 1] and compared
with ``ArticleSignals.THRESHOLD``. A page with article metadata and a long text block scores
near 1; a tag archive, a home page or a listing of many ``<article>`` teasers near 0.

The page's own words weigh most: its text, its headline, its declared type. URL shape, link
share and the count of ``<article>`` elements are weak evidence: read alone they decide, but
together they take at most ``WEAK_LIMIT`` from a page with a long text in one container, so
that a long text with a headline and article metadata is an article whatever its URL looks like.

The one-container measure undercounts a body split over many small containers and a text under
heavy navigation. When it leaves a page refused that a long main text could make an article,
the main text the generic extractor finds (trafilatura's) is weighed too: its prose paragraphs,
not its list items, and not when it opens with a teaser (a headline linking to another page).
That measure takes no weak evidence off, since a listing's teasers add up to a long text too.

Last, a page still refused whose main text is prose and not a listing's is an article whatever
its shape says (a home page of a small site, a product or information page, a forum thread, a
wiki page): a listing's main text opens with a teaser, or is made of teasers, a linked title
every ``PROSE_PER_TEASER`` characters of prose or less. A teaser's title links to another page
and reads as a headline (``MIN_TEASER_WORDS`` words or more: a user name linking to a profile
is none); an ``<h1>`` is the page's own headline even when it links to its permalink.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from lxml import etree
from parsel import Selector

from newscrawler.extract.html import BLOCK_TAGS, squash
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
_HOLDS_H1 = etree.XPath("boolean(.//h1)")
_TITLE = etree.XPath("string(//title)", smart_strings=False)
_LINKED_HEADINGS = etree.XPath(
    ".//*[self::h2 or self::h3 or self::h4][.//a[@href] or ancestor::a[@href]]"
)
_LINKS = etree.XPath(".//a[@href]")
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
#: A main-text paragraph this long is prose (shorter: a label, a date, a caption line), and
#: this much prose is a long main text (trafilatura's text holds no chrome, so less than
#: ``LONG_TEXT``).
PROSE_CHARS, LONG_MAIN_TEXT = 80, 800
#: trafilatura writes list items as lines opening with this.
_LIST_ITEM = "- "
#: A main text opening with a teaser has one in its first lines.
TEASER_LINES = 2
#: Words from which a linked title reads as a teaser's headline.
MIN_TEASER_WORDS = 3
#: A main text with less prose than this per teaser title in it is a listing's.
PROSE_PER_TEASER = 500
#: Teaser titles a main text holds from which it may be a listing's.
MIN_TEASERS = 3

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
    "main:long": 0.5,
    "main:some": 0.25,
    "text:teaser": -0.2,
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
#: Measures of the page's text: only the strongest counts.
_TEXT = frozenset(
    {"text:long", "text:some", "text:little", "text:teaser", "main:long", "main:some"}
)


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


def page_evidence(page: Selector, url: str, metadata: PageMetadata, *, dated: bool) -> list[str]:
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
    if "text:some" in evidence and _is_teaser(main_text[1], url):
        evidence[evidence.index("text:some")] = "text:teaser"
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
    if len(articles) == 1 or any(_is_article_of_parts(article) for article in articles):
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


def _is_article_of_parts(article: Any) -> bool:
    """An ``<article>`` holding the page's headline and ``<article>``s of its own: a listicle
    whose items are its parts, not teasers."""
    return next(article.iterdescendants("article"), None) is not None and _HOLDS_H1(article)


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
    text = max((_WEIGHTS[name] for name in evidence if name in _TEXT), default=0.0)
    strong = sum(_WEIGHTS.get(name, 0.0) for name in evidence if name not in _WEAK | _TEXT)
    total = weak + text + strong
    return ArticleSignals(round(min(1.0, max(0.0, total)), 3), tuple(evidence))


def weigh(
    evidence: list[str], main_text: Callable[[], list[str]], root: Any, url: str
) -> ArticleSignals:
    """The score of ``evidence``; for a page it refuses, the generic extractor's
    ``main_text`` weighed too (extracted only then): a long one may outweigh the page's shape,
    and prose that is not a listing's makes the page an article (see the module)."""
    signals = score(evidence)
    if signals.is_article or _is_plain_listing(evidence, root, url):
        return signals
    found = main_text_evidence(main_text(), root, url)
    if "main:long" in found:
        evidence = [name for name in evidence if name != "links:dense"]
    signals = score([*evidence, *found])
    if signals.is_article or "main:teasers" in found or not found:
        return signals
    return ArticleSignals(ArticleSignals.THRESHOLD, (*signals.evidence, "main:prose"))


def _is_plain_listing(evidence: list[str], root: Any, url: str) -> bool:
    """A listing by its address or declared type that shows teasers: refused without
    extracting its main text (a crawl meets many of them)."""
    return bool({"url:listing", "jsonld:listing"} & set(evidence)) and (
        len(_headlines_linking_elsewhere(root, url)) >= MIN_TEASERS
    )


def main_text_evidence(paragraphs: list[str], root: Any, url: str) -> list[str]:
    """What the main text says: ``main:long`` or ``main:some`` by its prose, ``main:teasers``
    when it is a listing's (see the module)."""
    headlines = _titles_by_first_words(_headlines_linking_elsewhere(root, url))
    if any(_opens_with(text, headlines) for text in paragraphs[:TEASER_LINES]):
        return ["main:teasers"]
    prose = sum(
        len(text)
        for text in paragraphs
        if len(text) >= PROSE_CHARS and not text.startswith(_LIST_ITEM)
    )
    if prose < SOME_TEXT:
        return []
    titles = _titles_linking_elsewhere(root, url)
    teasers = sum(1 for text in paragraphs if _opens_with(text.removeprefix(_LIST_ITEM), titles))
    if teasers >= MIN_TEASERS and prose < teasers * PROSE_PER_TEASER:
        return ["main:teasers"]
    return ["main:long"] if prose >= LONG_MAIN_TEXT else ["main:some"]


def _is_teaser(container: Any, url: str) -> bool:
    """Whether the page's richest container (of some text, not long) holds a headline
    linking to another page: a teaser of a listing, its excerpt beside its title."""
    return container is not None and bool(_headlines_linking_elsewhere(container, url))


def _headlines_linking_elsewhere(root: Any, url: str) -> set[str]:
    """The texts of headings under ``root`` that link to another page than ``url`` and are
    not the page's title (a headline linking to its own page, or to another address of it,
    is the page's)."""
    here, title = urldefrag(url)[0], squash(_TITLE(root))
    texts = set()
    for heading in _LINKED_HEADINGS(root):
        link = heading.find(".//a[@href]")
        if link is None:
            link = next(heading.iterancestors("a"))
        text = squash("".join(heading.itertext()))
        if len(text.split()) < MIN_TEASER_WORDS or text in title:
            continue
        if urldefrag(urljoin(url, link.get("href", "")))[0] != here:
            texts.add(text)
    return texts


def _titles_linking_elsewhere(root: Any, url: str) -> dict[str, set[str]]:
    """The texts of links to other pages that read as headlines (``MIN_TEASER_WORDS``), by
    their first words."""
    here = urldefrag(url)[0]
    titles = set()
    for link in _LINKS(root):
        text = squash("".join(link.itertext()))
        if len(text.split()) >= MIN_TEASER_WORDS and (
            urldefrag(urljoin(url, link.get("href", "")))[0] != here
        ):
            titles.add(text)
    return _titles_by_first_words(titles)


def _first_words(text: str) -> str:
    return " ".join(text.split(maxsplit=MIN_TEASER_WORDS)[:MIN_TEASER_WORDS])


def _titles_by_first_words(titles: set[str]) -> dict[str, set[str]]:
    by_words: dict[str, set[str]] = {}
    for title in titles:
        by_words.setdefault(_first_words(title), set()).add(title)
    return by_words


def _opens_with(line: str, titles: dict[str, set[str]]) -> bool:
    """Whether ``line`` opens with one of ``titles`` (a teaser: its title, then its excerpt,
    which the generic extractor may give as one line)."""
    return any(line.startswith(title) for title in titles.get(_first_words(line), ()))


def looks_like_listing(signals: ArticleSignals) -> bool:
    """Listing evidence strong enough to overrule a profile's body selector: an archive URL,
    the home page or a listing type, with no article metadata to say otherwise. (Many
    ``<article>`` elements alone are not enough: related-post teasers are articles too.)"""
    listing = {"url:listing", "url:root", "jsonld:listing"}
    return bool(listing & set(signals.evidence)) and "jsonld:article" not in signals.evidence
