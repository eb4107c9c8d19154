"""What a site profile says, as frozen dataclasses: discovery for the spiders, fields for
extraction. The loader (:mod:`newscrawler.profiles.loader`) builds and validates them."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

#: When the first body paragraph becomes the title: never, always, or only when it reads as a
#: headline (no lower-case letters, short, no closing full stop: ISPR's upper-case title line).
TitleFromFirstParagraph = Literal["never", "if-upper", "always"]
#: How an extra's matched text is stored: as text, as an integer, or as an ISO date.
ExtraType = Literal["text", "int", "date"]


@dataclass(frozen=True)
class Listing:
    """A paginated listing: ``url`` is page one, ``next_page`` selects the next page's link."""

    url: str
    next_page: str | None = None
    #: Selector of the article links on the page; None: every link, filtered by the URL rules.
    links: str | None = None
    max_pages: int = 50


@dataclass(frozen=True)
class IdRange:
    """Enumeration of numbered pages (``url_template`` holds ``{id}``), ascending from ``start``
    to ``stop`` inclusive, or until ``max_misses`` consecutive ids answer with no article."""

    url_template: str
    start: int | None = None
    stop: int | None = None
    max_misses: int = 50

    def url(self, page_id: int) -> str:
        return self.url_template.replace("{id}", str(page_id))


@dataclass(frozen=True)
class Discovery:
    """Where the site's articles are found, and which URLs are articles."""

    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    #: An article URL matches one of these (any URL when empty) and none of ``deny_urls``.
    article_urls: tuple[re.Pattern[str], ...] = ()
    deny_urls: tuple[re.Pattern[str], ...] = ()
    #: When given, a page is an article only if one of these selectors matches it
    #: (``body.single`` on WordPress: pages and archives are not posts).
    article_selectors: tuple[str, ...] = ()
    follow_links: bool = False
    max_depth: int = 2
    id_range: IdRange | None = None

    def is_denied(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.deny_urls)

    def is_article_url(self, url: str) -> bool:
        if self.is_denied(url):
            return False
        return not self.article_urls or any(p.search(url) for p in self.article_urls)


@dataclass(frozen=True)
class FieldRule:
    """Selectors tried in order (CSS, or XPath when starting with ``/``, ``./`` or ``(``);
    the first that yields text wins. ``pattern`` keeps only its match (group 1 if it has
    groups) and ``replace`` rewrites the match with ``\\1``-style references."""

    selectors: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    replace: str | None = None

    def pick(self, text: str) -> str | None:
        """The part of ``text`` this rule keeps, or None when the pattern does not match."""
        if self.pattern is None:
            return text
        match = self.pattern.search(text)
        if match is None:
            return None
        if self.replace is not None:
            return match.expand(self.replace)
        return match.group(1) if self.pattern.groups else match.group(0)


@dataclass(frozen=True)
class ExtraRule(FieldRule):
    """A site-specific fact stored in ``item.extras[name]``: from the page through selectors,
    or from the URL through ``url_pattern``."""

    name: str = ""
    type: ExtraType = "text"
    url_pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class BodyRule:
    """The article text: containers or paragraphs selected in order, boilerplate removed."""

    selectors: tuple[str, ...] = ()
    #: Elements removed from the selected containers before reading text.
    remove: tuple[str, ...] = ()
    #: Paragraphs matching any of these are dropped (labels such as "News Image").
    drop: tuple[re.Pattern[str], ...] = ()
    #: The body ends before the first paragraph matching any of these (``-0-0-0`` marker).
    stop_at: tuple[re.Pattern[str], ...] = ()
    title_from_first_paragraph: TitleFromFirstParagraph = "never"


@dataclass(frozen=True)
class Fields:
    """How each item field is read. An empty rule means: the generic fallbacks only."""

    title: FieldRule = field(default_factory=FieldRule)
    body: BodyRule = field(default_factory=BodyRule)
    published: FieldRule = field(default_factory=FieldRule)
    modified: FieldRule = field(default_factory=FieldRule)
    authors: FieldRule = field(default_factory=FieldRule)
    images: FieldRule = field(default_factory=FieldRule)
    extras: tuple[ExtraRule, ...] = ()


@dataclass(frozen=True)
class Profile:
    """One site: its identity, its discovery rules and its extraction rules."""

    name: str
    #: The value stored in ``articles.site``.
    site: str
    #: The site's own hosts (aliases included): links elsewhere are never followed.
    hosts: tuple[str, ...] = ()
    #: Where relative discovery URLs point; ``https://<first host>/`` when not given.
    base_url: str | None = None
    language: str | None = None
    enabled: bool = True
    discovery: Discovery = field(default_factory=Discovery)
    fields: Fields = field(default_factory=Fields)
    #: The file the profile was loaded from (None for profiles built in code).
    source: str | None = None

    @property
    def root_url(self) -> str | None:
        """The URL relative discovery URLs resolve against, if the profile has one."""
        if self.base_url:
            return self.base_url
        return f"https://{self.hosts[0]}/" if self.hosts else None

    def absolute_url(self, url: str) -> str:
        """``url`` resolved against the profile's root (unchanged when already absolute)."""
        root = self.root_url
        if root is None and not urlsplit(url).scheme:
            raise ValueError(f"profile {self.name!r} has no hosts or base_url to resolve {url!r}")
        return urljoin(root or "", url)

    def is_own_host(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host in self.hosts

    def rebased(self, base_url: str) -> Profile:
        """This profile served from ``base_url`` (a mirror, a local test server): its host
        joins ``hosts`` and absolute discovery URLs on the profile's hosts move there."""
        new = urlsplit(base_url)
        host = (new.hostname or "").lower()

        def move(url: str) -> str:
            parts = urlsplit(url)
            if parts.scheme and (parts.hostname or "").lower() in self.hosts:
                return urlunsplit((new.scheme, new.netloc, *parts[2:]))
            return url

        discovery = self.discovery
        discovery = dataclasses.replace(
            discovery,
            start_urls=tuple(map(move, discovery.start_urls)),
            sitemaps=tuple(map(move, discovery.sitemaps)),
            feeds=tuple(map(move, discovery.feeds)),
            listings=tuple(dataclasses.replace(li, url=move(li.url)) for li in discovery.listings),
            id_range=(
                dataclasses.replace(
                    discovery.id_range, url_template=move(discovery.id_range.url_template)
                )
                if discovery.id_range
                else None
            ),
        )
        hosts = self.hosts if host in self.hosts else (*self.hosts, host)
        return dataclasses.replace(self, base_url=base_url, hosts=hosts, discovery=discovery)
