"""What a page says about itself in machine-readable form: JSON-LD, Open Graph and meta."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parsel import Selector

from newscrawler.extract.html import squash
from newscrawler.extract.jsonld import json_ld_objects

#: schema.org types of one article: Article and those of its subtypes a news site may use.
ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
        "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle",
        "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "Report",
        "SatiricalArticle", "ScholarlyArticle", "TechArticle",
    }
)  # fmt: skip
#: schema.org types of pages that list other pages.
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})


def types_of(obj: dict[str, Any]) -> set[str]:
    kinds = obj.get("@type", [])
    return {kinds} if isinstance(kinds, str) else {k for k in kinds if isinstance(k, str)}


def is_article_object(obj: dict[str, Any]) -> bool:
    """A JSON-LD object that describes one article."""
    return bool(types_of(obj) & ARTICLE_TYPES)


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
    article = next((obj for obj in objects if is_article_object(obj)), {})
    publishers = [article.get("publisher"), *(o for o in objects if types_of(o) & _SITE_TYPES)]
    meta = _meta_tags(page)
    site_names = [meta.get("og:site_name"), meta.get("application-name")]
    site_names += [_name(p) for p in publishers]
    return PageMetadata(
        json_ld_types=frozenset().union(*(types_of(obj) for obj in objects)),
        headline=_text(article.get("headline")) or _text(article.get("name")),
        og_title=meta.get("og:title") or meta.get("twitter:title"),
        og_type=(meta.get("og:type") or "").lower() or None,
        site_names=tuple(dict.fromkeys(name for name in site_names if name)),
        authors=tuple(_people(article.get("author")) or _meta_authors(meta)),
        images=tuple(_json_ld_images(article.get("image")) + _og_images(meta)),
        lang=page.root.get("lang") or meta.get("og:locale") or None,
    )


_SITE_TYPES = frozenset({"Organization", "NewsMediaOrganization", "WebSite"})
#: The meta tags read, by their ``property`` or ``name`` (lower-cased).
_META_NAMES = frozenset(
    {
        "og:site_name", "application-name", "og:title", "twitter:title", "og:type",
        "og:locale", "og:image", "twitter:image", "og:image:alt", "author", "article:author",
        "dc.creator",
    }
)  # fmt: skip


def _meta_tags(page: Selector) -> dict[str, str]:
    """The first non-empty content of each meta tag in _META_NAMES, read in one pass."""
    found: dict[str, str] = {}
    for element in page.root.iter("meta"):
        name = (element.get("property") or element.get("name") or "").strip().lower()
        content = squash(element.get("content") or "")
        if name in _META_NAMES and content and name not in found:
            found[name] = content
    return found


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


def _meta_authors(meta: dict[str, str]) -> list[str]:
    values = (meta.get(name) for name in ("author", "article:author", "dc.creator"))
    return [value for value in values if value and not value.startswith("http")]


def _json_ld_images(value: Any) -> list[tuple[str, str | None]]:
    values = value if isinstance(value, list) else [value]
    images: list[tuple[str, str | None]] = []
    for item in values:
        if isinstance(item, str) and item.strip():
            images.append((item.strip(), None))
        elif isinstance(item, dict) and _text(item.get("url")):
            images.append((str(item["url"]).strip(), _text(item.get("caption"))))
    return images


def _og_images(meta: dict[str, str]) -> list[tuple[str, str | None]]:
    url = meta.get("og:image") or meta.get("twitter:image")
    return [(url, meta.get("og:image:alt"))] if url else []
