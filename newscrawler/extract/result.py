"""What extraction says about a page: the article item, or why the page is not one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from newscrawler.extract.titles import title_key
from newscrawler.items import ArticleItem


class NotArticle(StrEnum):
    """Why a page yields no article; the spiders count these as
    ``newscrawler/not_article/<reason>`` in the crawl stats."""

    #: A challenge or block page (Cloudflare and friends): never archived.
    BLOCKED = "blocked"
    #: A listing, archive, tag, category, author or other non-article page.
    NOT_ARTICLE = "not-article"
    #: An article-like page whose URL the profile's ``deny_urls`` exclude.
    DENIED_URL = "denied-url"
    #: No article text found where the page should hold one.
    NO_BODY = "no-body"
    #: A body but no title from any source.
    NO_TITLE = "no-title"
    #: Not HTML (a PDF, an image, a feed) or undecodable.
    NOT_HTML = "not-html"


@dataclass(frozen=True)
class ArticleSignals:
    """How much a page looks like one article: ``score`` in [0, 1], and the evidence."""

    score: float
    #: Short names of what was seen, e.g. ``jsonld:NewsArticle``, ``url:listing``.
    evidence: tuple[str, ...] = ()

    #: At or above this score a page with no profile is taken for an article.
    THRESHOLD = 0.5

    @property
    def is_article(self) -> bool:
        return self.score >= self.THRESHOLD


def _no_signals() -> ArticleSignals | None:
    return None


@dataclass
class ExtractionResult:
    """The outcome of extracting one page: exactly one of ``item`` and ``reason`` is set."""

    item: ArticleItem | None = None
    reason: NotArticle | None = None
    #: A human-readable detail for logs ("Cloudflare challenge marker 'cf-chl'").
    detail: str = ""
    #: Which source gave each field (``title: profile``, ``body: trafilatura``...), for debugging.
    sources: dict[str, str] = field(default_factory=dict)
    #: The heading that opens the body or stands just before it (auto mode): a crawl learns
    #: from it which titles a site puts on every page.
    heading: str | None = None
    #: Weighs the page's :attr:`signals` when they are first read: a page read with a profile
    #: needs no signals, and weighing them is a good part of the cost of reading a page.
    weigh_signals: Callable[[], ArticleSignals | None] = field(
        default=_no_signals, repr=False, compare=False
    )

    @cached_property
    def signals(self) -> ArticleSignals | None:
        """How much the page looks like one article (None when it is not an HTML page or a
        block page)."""
        return self.weigh_signals()

    @property
    def ok(self) -> bool:
        return self.item is not None

    @property
    def title_in_doubt(self) -> bool:
        """The heading just before the body says another headline than the title taken: the
        title may be one the site puts on every page."""
        title = self.item.title if self.item else None
        return bool(title and self.heading and title_key(self.heading) != title_key(title))
