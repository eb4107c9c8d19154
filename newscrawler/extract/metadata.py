"""What a page says about itself in machine-readable form: JSON-LD, Open Graph and meta."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from parsel import Selector

from newscrawler.extract.html import squash

#: schema.org types of one article.
ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting", "Report",
        "ScholarlyArticle", "TechArticle", "SocialMediaPosting",
    }
)  # fmt: skip
#: schema.org types of pages that list other pages.
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})
_CDATA = re.compile(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$")


def json_ld_objects(page: Selector) -> Iterator[dict[str, Any]]:
    """Every object of every JSON-LD block, ``@graph`` members and nested lists included;
    blocks that are not valid JSON are skipped."""
    for raw in page.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(_CDATA.sub("", raw), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(item.get("@graph", []))


def types_of(obj: dict[str, Any]) -> set[str]:
    kinds = obj.get("@type", [])
    return {kinds} if isinstance(kinds, str) else {k for k in kinds if isinstance(k, str)}


@dataclass(frozen=True)
class PageMetadata:
    """The machine-readable facts of a page, each None or empty when the page does not say."""

    json_ld_types: frozenset[str] = frozenset()
    headline: str | None = None
    og_title: str | None = None
    og_type: str | None = None
    site_names: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    #: (url, caption) pairs from JSON-LD ``image`` and ``og:image``.
    images: tuple[tuple[str, str | None], ...] = ()
    lang: str | None = None

    @property
    def is_article_type(self) -> bool:
        return bool(self.json_ld_types & ARTICLE_TYPES) or self.og_type == "article"


def page_metadata(page: Selector) -> PageMetadata:
    objects = list(json_ld_objects(page))
    article = next((obj for obj in objects if types_of(obj) & ARTICLE_TYPES), {})
    publishers = [article.get("publisher"), *(o for o in objects if types_of(o) & _SITE_TYPES)]
    site_names = [_meta(page, "og:site_name"), _meta(page, "application-name")]
    site_names += [_name(p) for p in publishers]
    return PageMetadata(
        json_ld_types=frozenset().union(*(types_of(obj) for obj in objects)),
        headline=_text(article.get("headline")) or _text(article.get("name")),
        og_title=_meta(page, "og:title") or _meta(page, "twitter:title"),
        og_type=(_meta(page, "og:type") or "").lower() or None,
        site_names=tuple(dict.fromkeys(name for name in site_names if name)),
        authors=tuple(_people(article.get("author")) or _meta_authors(page)),
        images=tuple(_json_ld_images(article.get("image")) + _og_images(page)),
        lang=page.xpath("string(/html/@lang)").get() or _meta(page, "og:locale") or None,
    )


_SITE_TYPES = frozenset({"Organization", "NewsMediaOrganization", "WebSite"})


def _meta(page: Selector, name: str) -> str | None:
    value = page.xpath(f"//meta[@property='{name}' or @name='{name}']/@content").get()
    return squash(value) if value and value.strip() else None


def _text(value: Any) -> str | None:
    return squash(value) if isinstance(value, str) and value.strip() else None


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _people(value: Any) -> list[str]:
    """Names from a JSON-LD ``author``: a string, a Person/Organization, or a list of them."""
    values = value if isinstance(value, list) else [value]
    names = (_name(v) for v in values)
    return [name for name in names if name and not name.startswith("http")]


def _meta_authors(page: Selector) -> list[str]:
    values = page.xpath(
        "//meta[@name='author' or @property='article:author' or @name='dc.creator']/@content"
    ).getall()
    return [squash(v) for v in values if v.strip() and not v.strip().startswith("http")]


def _json_ld_images(value: Any) -> list[tuple[str, str | None]]:
    values = value if isinstance(value, list) else [value]
    images: list[tuple[str, str | None]] = []
    for item in values:
        if isinstance(item, str) and item.strip():
            images.append((item.strip(), None))
        elif isinstance(item, dict) and _text(item.get("url")):
            images.append((str(item["url"]).strip(), _text(item.get("caption"))))
    return images


def _og_images(page: Selector) -> list[tuple[str, str | None]]:
    url = _meta(page, "og:image") or _meta(page, "twitter:image")
    return [(url, _meta(page, "og:image:alt"))] if url else []
