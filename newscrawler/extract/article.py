"""The article on a page: profile selectors first, then JSON-LD/Open Graph/meta, then the
generic extractor; or the reason the page holds no article."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from newscrawler.blocks import page_block_marker
from newscrawler.dates import parse_date
from newscrawler.extract.boilerplate import is_chrome_line, is_inside_chrome, remove_boilerplate
from newscrawler.extract.generic import generic_paragraphs
from newscrawler.extract.html import (
    detached_copy,
    first_texts,
    paragraphs,
    select,
    selected_texts,
    squash,
)
from newscrawler.extract.images import images_in
from newscrawler.extract.metadata import PageMetadata, page_metadata
from newscrawler.extract.pagedates import PageDate, extract_modified_date, extract_published_date
from newscrawler.extract.release import release_date
from newscrawler.extract.result import ArticleSignals, ExtractionResult, NotArticle
from newscrawler.extract.signals import (
    looks_like_listing,
    metadata_evidence,
    page_evidence,
    score,
    url_evidence,
    weigh,
)
from newscrawler.extract.titles import (
    body_heading,
    site_names_of,
    strip_site_name,
    template_keys,
    title_key,
)
from newscrawler.extract.version import extraction_version
from newscrawler.items import ArticleItem, fill_validators, page_capture
from newscrawler.language import OTHER_ARABIC_SCRIPT_LANGUAGES
from newscrawler.profiles import ExtraRule, FieldRule, Profile
from newscrawler.profiles.model import BodyRule, Fields
from newscrawler.profiles.selectors import PageNames
from newscrawler.urls import canonical_from_page, url_aliases

#: A first paragraph this long or longer is text, not a headline.
MAX_HEADLINE_CHARS = 250
#: End-of-release lines ("-0-0-0-", "###", "-ends-"): nothing after them is the article's.
_END_MARKER = re.compile(r"^(-\s*0\s*){2,}-?$|^#{3}$|^-+\s*ends?\s*-+$", re.IGNORECASE)
_TRAILING_END_MARKER = re.compile(r"\s(-\s*0\s*){2,}-?$")
#: Bylines of no one in particular.
_NOBODY = re.compile(r"^(admin|administrator|webmaster|editor|staff|user)\d*$", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(by|from|written by|رپورٹ|تحریر|از|بقلم)\s*[:：]?\s+", re.I)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|،|;|\band\b|&|\sاور\s)\s*", re.IGNORECASE)
#: The page's first headline (inside the article or main element if any) and its <title>.
_FIRST_H1 = etree.XPath("string((//article//h1 | //main//h1 | //h1)[1])", smart_strings=False)
_FIRST_H2 = etree.XPath("string((//article//h2 | //main//h2 | //h2)[1])", smart_strings=False)
_TITLE = etree.XPath("string(//title)", smart_strings=False)
_ENCLOSING_ARTICLE = etree.XPath("ancestor::article[1]")
_ARTICLES = etree.XPath("//article")
#: Control characters no HTML text may hold: libxml2 reads the text around them short (a
#: BEL in a paragraph of a CMS page), so they are left out before the page is parsed.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Generic byline places, tried inside the article element when there is one.
_BYLINE_SELECTORS = (
    "[itemprop=author] [itemprop=name]::text",
    "[rel=author]",
    "[itemprop=author]",
    ".byline a",
    ".author-name",
)


def article_signals(response: Response, *, now: datetime | None = None) -> ArticleSignals:
    """How much an unknown page looks like one article (see ``newscrawler.extract.signals``)."""
    page = _selector(response)
    if page is None:
        return ArticleSignals(0.0, ("not-html",))
    return _PageFacts(response.url, page, now).signals


def extract_article(
    response: Response, profile: Profile | None = None, *, now: datetime | None = None
) -> ArticleItem | None:
    """The article item of the page, or None when the page holds none (use
    :func:`extract_page` to learn why)."""
    return extract_page(response, profile, now=now).item


def extract_page(
    response: Response,
    profile: Profile | None = None,
    *,
    now: datetime | None = None,
    site_titles: Collection[str] = (),
) -> ExtractionResult:
    """The article on ``response`` read with ``profile`` (None: auto mode), or the reason
    there is none. ``now`` anchors relative dates (default: the current time);
    ``site_titles`` are page titles the site puts on every page (learned by crawls): never
    the headline."""
    page = _selector(response)
    if page is None:
        return ExtractionResult(reason=NotArticle.NOT_HTML, detail="not an HTML response")
    marker = page_block_marker(page, response.url, html=response.text)
    if marker:
        return ExtractionResult(reason=NotArticle.BLOCKED, detail=f"block page marker {marker!r}")
    facts = _PageFacts(response.url, page, now)
    canonical = canonical_from_page(response, profile.hosts if profile else ())
    refusal = (
        _profile_refusal(profile, facts, canonical) if profile else _auto_refusal(facts.signals)
    )
    if refusal:
        reason, detail = refusal
        return ExtractionResult(reason=reason, detail=detail, weigh_signals=facts.weigh)
    return _ArticlePage(response, facts, profile, site_titles).result(canonical)


class _PageFacts:
    """What a page says about itself, each fact read once and only when needed: a page read
    with a profile needs neither its signals nor, mostly, its own date."""

    def __init__(self, url: str, page: Selector, now: datetime | None) -> None:
        self.url, self.page, self.now = url, page, now

    @cached_property
    def metadata(self) -> PageMetadata:
        return page_metadata(self.page)

    @cached_property
    def date(self) -> PageDate:
        return extract_published_date(self.page, url=self.url, now=self.now)

    @cached_property
    def names(self) -> PageNames:
        return PageNames.of(self.page.root)

    @cached_property
    def url_evidence(self) -> list[str]:
        return url_evidence(self.url)

    @cached_property
    def main_text(self) -> list[str]:
        """The generic extractor's paragraphs: the body in auto mode, and evidence for it."""
        return generic_paragraphs(self.page.root, self.url)

    @cached_property
    def signals(self) -> ArticleSignals:
        dated = self.date.value is not None
        evidence = self.url_evidence + page_evidence(
            self.page, self.url, self.metadata, dated=dated
        )
        return weigh(evidence, lambda: self.main_text, self.page.root, self.url)

    def weigh(self) -> ArticleSignals | None:
        return self.signals

    def looks_like_listing(self) -> bool:
        """:func:`looks_like_listing`, told only the evidence it reads (URL and metadata)."""
        return looks_like_listing(score(self.url_evidence + metadata_evidence(self.metadata)))


def _selector(response: Response) -> Selector | None:
    """The parsed page of an HTML response (also of text served under another type that is
    HTML all the same); None for feeds, sitemaps, plain text and binaries."""
    if not isinstance(response, TextResponse) or isinstance(response, XmlResponse):
        return None
    if not isinstance(response, HtmlResponse) and b"<html" not in response.body[:2048].lower():
        return None
    selector: Selector = response.selector
    if _CONTROL_CHARACTERS.search(response.text):
        selector = Selector(text=_CONTROL_CHARACTERS.sub("", response.text), type="html")
    return selector if isinstance(selector.root, etree._Element) else None


def _auto_refusal(signals: ArticleSignals) -> tuple[NotArticle, str] | None:
    if signals.is_article:
        return None
    evidence = ", ".join(signals.evidence)
    return NotArticle.NOT_ARTICLE, f"article score {signals.score} ({evidence})"


def _profile_refusal(
    profile: Profile, facts: _PageFacts, canonical: str
) -> tuple[NotArticle, str] | None:
    discovery = profile.discovery
    if discovery.is_denied(canonical):
        return NotArticle.DENIED_URL, f"{canonical} is denied by profile {profile.name!r}"
    if not (discovery.is_article_url(facts.url) or discovery.is_article_url(canonical)):
        return NotArticle.NOT_ARTICLE, f"URL is not an article URL of profile {profile.name!r}"
    selectors = discovery.article_selectors
    if selectors and not any(select(facts.page.root, s, facts.names) for s in selectors):
        return NotArticle.NOT_ARTICLE, f"page matches none of {', '.join(selectors)}"
    if facts.looks_like_listing():
        return NotArticle.NOT_ARTICLE, f"listing page ({', '.join(facts.signals.evidence)})"
    return None


class _ArticlePage:
    """One page being read; each field is a small method, profile rules first."""

    def __init__(
        self,
        response: Response,
        facts: _PageFacts,
        profile: Profile | None,
        site_titles: Collection[str] = (),
    ) -> None:
        self.response, self.facts, self.profile = response, facts, profile
        self.page = facts.page
        self.root: etree._Element = facts.page.root
        self.url = response.url
        self.metadata = facts.metadata
        self.now = facts.now
        self.fields = profile.fields if profile else Fields()
        self.site_names = site_names_of(
            self.url, [*self.declared_site_names(), *([profile.site] if profile else [])]
        )
        self.site_title_keys = template_keys(site_titles)
        self.sources: dict[str, str] = {}
        self.containers: list[etree._Element] = []

    def result(self, canonical: str) -> ExtractionResult:
        body = self.body()
        headline = self.headline_from_body(body)
        title = headline or self.title(body)
        body = self.without_title_lines(body, title)
        if not body:
            return self.refusal(NotArticle.NO_BODY, "no article text found")
        if not title:
            return self.refusal(NotArticle.NO_TITLE, "no title in any source")
        published = self.published()
        fetched_at = datetime.now(UTC)
        item = ArticleItem(
            url=canonical,
            site=self.profile.site if self.profile else _host_site(canonical),
            fetched_at=fetched_at,
            http_status=self.response.status,
            title=title,
            body="\n\n".join(body),
            published_at=published,
            modified_at=self.modified(),
            authors=self.authors(),
            images=self.images(body),
            aliases=url_aliases(self.response, canonical),
            extras=self.extras(body, published),
            foreign_passages=foreign_passages(self.root),
            extracted_with=extraction_version(self.profile),
            capture=page_capture(self.response, fetched_at),
        )
        fill_validators(item, self.response)
        result = ExtractionResult(item=item, sources=self.sources, weigh_signals=self.facts.weigh)
        if self.profile is None:
            result.heading = body_heading(self.root, body[0])
        return result

    def refusal(self, reason: NotArticle, detail: str) -> ExtractionResult:
        return ExtractionResult(
            reason=reason, detail=detail, sources=self.sources, weigh_signals=self.facts.weigh
        )

    # -- body and title ---------------------------------------------------------------------

    def body(self) -> list[str]:
        rule = self.fields.body
        found = self.profile_body(rule)
        if found:
            self.sources["body"] = "profile"
        else:
            found = self.facts.main_text
            self.sources["body"] = "generic"
        return _cleaned(found, rule)

    def profile_body(self, rule: BodyRule) -> list[str]:
        for selector in rule.selectors:
            texts: list[str] = []
            for result in select(self.root, selector, self.facts.names):
                if isinstance(result, str):
                    texts.append(squash(result))
                    continue
                self.containers.append(result)
                container = detached_copy(result)
                remove_boilerplate(container, rule.remove)
                texts.extend(paragraphs(container))
            if any(texts):
                return [text for text in texts if text]
            self.containers.clear()
        return []

    def headline_from_body(self, body: list[str]) -> str | None:
        """The first paragraph taken as the title, when the profile says so (ISPR)."""
        mode = self.fields.body.title_from_first_paragraph
        if not body or mode == "never" or (mode == "if-upper" and not _reads_as_headline(body[0])):
            return None
        self.sources["title"] = "profile:first-paragraph"
        return body.pop(0)

    def title(self, body: list[str]) -> str | None:
        for source, candidate in self.title_candidates(body):
            title = strip_site_name(candidate, self.site_names) if candidate else None
            if title and not self.is_site_title(candidate or "", title):
                self.sources["title"] = source
                return title
        return None

    def title_candidates(self, body: list[str]) -> Iterator[tuple[str, str | None]]:
        """Each source of a title, read only when the ones before give none."""
        rule = self.fields.title
        yield "profile", _picked(rule, first_texts(self.root, rule.selectors, self.facts.names))
        yield "json-ld", self.metadata.headline
        yield "og", self.metadata.og_title
        yield "h1", self.first_h1
        first_line = next((line for line in body if not self.is_title_line(line, None)), None)
        if self.site_title_keys and first_line:
            yield "heading", body_heading(self.root, first_line)
        yield "title", _TITLE(self.root)

    @cached_property
    def first_h1(self) -> str:
        """Read for the site's names and again for the title: once."""
        text: str = _FIRST_H1(self.root)
        return text

    def is_site_title(self, *texts: str) -> bool:
        """Whether any of ``texts`` is a title the site puts on every page."""
        return any(title_key(text) in self.site_title_keys for text in texts)

    def declared_site_names(self) -> list[str]:
        """The names the page gives its site, less any that is the article's headline: an
        ``application-name`` holding the headline names no site."""
        metadata = self.metadata
        headlines = (
            metadata.headline,
            metadata.og_title,
            self.first_h1,
            _FIRST_H2(self.root),
        )
        keys = {title_key(headline) for headline in headlines if headline}
        return [name for name in metadata.site_names if title_key(name) not in keys]

    def without_title_lines(self, body: list[str], title: str | None) -> list[str]:
        """The body without leading lines that repeat the headline or name the site."""
        start = 0
        while start < len(body) and self.is_title_line(body[start], title):
            start += 1
        return body[start:]

    def is_title_line(self, line: str, title: str | None) -> bool:
        """The headline again, the site's name, or a title the site puts on every page."""
        return (
            (title is not None and title_key(line) == title_key(title))
            or strip_site_name(line, self.site_names) is None
            or self.is_site_title(line)
        )

    # -- dates ------------------------------------------------------------------------------

    def published(self) -> datetime | None:
        value = self.profile_date(self.fields.published, "published")
        if value is None and self.facts.date.value is not None:  # the page's date, read now
            value = self.facts.date.value
            self.sources["published"] = self.facts.date.source or "page"
        return value

    def modified(self) -> datetime | None:
        value = self.profile_date(self.fields.modified, "modified")
        if value is None:
            found = extract_modified_date(self.page, now=self.now)
            value = found.value
            if value is not None:
                self.sources["modified"] = found.source or "page"
        return value

    def profile_date(self, rule: FieldRule, name: str) -> datetime | None:
        for selector in rule.selectors:
            for text in selected_texts(self.root, selector, self.facts.names):
                picked = rule.pick(text)
                value = parse_date(picked, now=self.now) if picked else None
                if value is not None:
                    self.sources[name] = "profile"
                    return value
        return None

    # -- people and pictures ----------------------------------------------------------------

    def authors(self) -> list[str]:
        for source, values in self.author_candidates():
            names = self.person_names(values)
            if names:
                self.sources["authors"] = source
                return names
        return []

    def author_candidates(self) -> Iterator[tuple[str, list[str]]]:
        """Each source of bylines, read only when the ones before give no names."""
        rule = self.fields.authors
        yield "profile", _picked_all(rule, first_texts(self.root, rule.selectors, self.facts.names))
        yield "json-ld", list(self.metadata.authors)
        yield "byline", first_texts(self._article_scope(), _BYLINE_SELECTORS, self.facts.names)

    def person_names(self, values: list[str]) -> list[str]:
        sites = {name.casefold() for name in self.site_names}
        names: list[str] = []
        for value in values:
            for name in _NAME_SEPARATORS.split(_BYLINE_PREFIX.sub("", squash(value))):
                name = name.strip(" .:-–|")
                if name and name.casefold() not in sites and not _NOBODY.match(name):
                    names.append(name)
        return list(dict.fromkeys(names))

    def _article_scope(self) -> etree._Element:
        articles = _ARTICLES(self.root)
        return articles[0] if len(articles) == 1 else self.root

    def images(self, body: list[str]) -> list[dict[str, str | None]]:
        nodes: list[Any] = [
            result
            for selector in self.fields.images.selectors
            for result in select(self.root, selector, self.facts.names)
        ]
        for container in self.containers or self.text_containers(body):
            nodes.extend(
                img for img in container.iter("img") if not is_inside_chrome(img, container)
            )
        images = images_in(nodes, self.url)
        if not images and self.metadata.images:
            url, caption = self.metadata.images[0]  # the page's declared lead image
            images = [{"url": urljoin(self.url, url), "caption": caption}]
        return images

    def text_containers(self, body: list[str]) -> list[etree._Element]:
        """The elements holding the body's paragraphs, when the generic extractor found them:
        their ``<article>`` if they have one (the lead figure sits beside the text), else
        their parents."""
        wanted = set(body)
        found: dict[etree._Element, None] = {}
        for paragraph in self.root.iter("p"):
            if squash("".join(paragraph.itertext())) in wanted:
                article = _ENCLOSING_ARTICLE(paragraph)
                found[article[0] if article else paragraph.getparent()] = None
        return list(found)

    # -- extras -----------------------------------------------------------------------------

    def extras(self, body: list[str], published: datetime | None) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        for rule in self.fields.extras:
            value = self.extra(rule)
            if value is not None:
                extras[rule.name] = value
        if "release_date" not in extras:
            stated = release_date(body, published, now=self.now)
            if stated is not None:
                extras["release_date"] = stated.isoformat()
        page_lang = self.metadata.lang or (self.profile.language if self.profile else None)
        if page_lang:
            extras["page_lang"] = page_lang
        return extras

    def extra(self, rule: ExtraRule) -> str | int | None:
        if rule.url_pattern is not None:
            match = rule.url_pattern.search(self.url)
            texts = [match.group(1) if match and match.groups() else match.group()] if match else []
        else:
            texts = [
                text
                for selector in rule.selectors
                for text in selected_texts(self.root, selector, self.facts.names)
            ]
        for text in texts:
            picked = rule.pick(text) if rule.url_pattern is None else text
            value = _typed(picked, rule) if picked else None
            if value is not None:
                return value
        return None


#: Elements of the page's body that say which language they are written in.
_MARKED_LANGUAGE = etree.XPath("//body//*[@lang]")


def foreign_passages(root: etree._Element) -> list[str]:
    """The paragraphs of the elements the page marks as written in an Arabic-script language
    other than Urdu (``<blockquote lang="ar">``): the Urdu letter rules must not rewrite them."""
    found: list[str] = []
    for element in _MARKED_LANGUAGE(root):
        language = element.get("lang", "").strip().lower().replace("_", "-").split("-")[0]
        if language in OTHER_ARABIC_SCRIPT_LANGUAGES:
            found.extend(paragraphs(element))
    return found


def _typed(text: str, rule: ExtraRule) -> str | int | None:
    if rule.type == "int":
        digits = re.sub(r"\D", "", text)
        return int(digits) if digits else None
    if rule.type == "date":
        value = parse_date(text)
        return value.date().isoformat() if value else None
    return squash(text) or None


def _picked(rule: FieldRule, texts: list[str]) -> str | None:
    return next((p for p in map(rule.pick, texts) if p), None)


def _picked_all(rule: FieldRule, texts: list[str]) -> list[str]:
    return [p for p in map(rule.pick, texts) if p]


def _cleaned(found: list[str], rule: BodyRule) -> list[str]:
    """Paragraphs up to an end-of-release line or the first ``stop_at`` marker, without chrome
    lines, labels the profile drops, or a paragraph repeating the one before it."""
    kept: list[str] = []
    for paragraph in found:
        if _END_MARKER.match(paragraph) or any(m.search(paragraph) for m in rule.stop_at):
            break
        if is_chrome_line(paragraph) or any(label.search(paragraph) for label in rule.drop):
            continue
        text, ended = _before_end_marker(paragraph)
        if text and (not kept or kept[-1] != text):
            kept.append(text)
        if ended:
            break
    return kept


def _before_end_marker(paragraph: str) -> tuple[str, bool]:
    """The paragraph without an end-of-release marker closing it ("... concerned. -0-0-0-"),
    and whether it had one."""
    match = _TRAILING_END_MARKER.search(paragraph)
    return (paragraph[: match.start()].rstrip(), True) if match else (paragraph, False)


def _reads_as_headline(text: str) -> bool:
    """Upper case (or a caseless script such as Urdu), short, and not a full sentence."""
    return (
        len(text) < MAX_HEADLINE_CHARS
        and any(c.isalpha() for c in text)
        and not any(c.islower() for c in text)
        and not text.endswith((".", "۔"))
    )


def _host_site(url: str) -> str:
    return (urlsplit(url).hostname or "unknown").removeprefix("www.")
