"""Article images with their captions: ``figcaption``/``wp-caption-text`` first, ``alt`` as the
fallback, never a generic label such as "News Image"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newscrawler.extract.html import squash, text_of

#: Attributes holding the image URL, lazy-loading ones first (``src`` is then a placeholder).
_SOURCE_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url", "src")
#: Caption elements around an image.
_CAPTION_XPATH = (
    "ancestor::figure[1]//figcaption | ancestor::*[contains(concat(' ', @class, ' '),"
    " ' wp-caption ')][1]//*[contains(concat(' ', @class, ' '), ' wp-caption-text ')]"
    " | ../*[contains(@class, 'caption')]"
)
_GENERIC_ALT = re.compile(
    r"^(news|featured|post|main|article)?\s*(image|photo|picture|img|thumbnail|pic)?\s*\d*$"
    r"|^(تصویر|فوٹو|فائل فوٹو)$",
    re.IGNORECASE,
)
#: Smaller images (by their width or height attribute) are icons and spacers.
MIN_SIDE = 50


def images_in(nodes: Iterable[Any], base_url: str) -> list[dict[str, str | None]]:
    """``{"url", "caption"}`` for every image in ``nodes`` (elements, or URL strings from
    ``::attr(src)`` selectors), in order, each URL once."""
    found: dict[str, str | None] = {}
    for node in nodes:
        if isinstance(node, str):
            _add(found, urljoin(base_url, node.strip()), None)
            continue
        images = [node] if node.tag == "img" else node.iter("img")
        for img in images:
            source = _source(img)
            if source and not _is_icon(img):
                _add(found, urljoin(base_url, source), caption_of(img))
    return [{"url": url, "caption": caption} for url, caption in found.items()]


def _add(found: dict[str, str | None], url: str, caption: str | None) -> None:
    if url.startswith(("http://", "https://")) and (url not in found or not found[url]):
        found[url] = caption


def _source(img: etree._Element) -> str | None:
    for attribute in _SOURCE_ATTRIBUTES:
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def _is_icon(img: etree._Element) -> bool:
    for attribute in ("width", "height"):
        value = img.get(attribute) or ""
        if value.isdigit() and int(value) < MIN_SIDE:
            return True
    return False


def caption_of(img: etree._Element) -> str | None:
    """The image's caption: its figure's or wp-caption's text, else a meaningful ``alt``."""
    for element in img.xpath(_CAPTION_XPATH):
        text = text_of(element)
        if text:
            return text
    alt = squash(img.get("alt") or "")
    return alt if alt and not is_generic_label(alt) else None


def is_generic_label(text: str) -> bool:
    """A placeholder such as "News Image" or "Photo 2" that describes no picture."""
    return bool(_GENERIC_ALT.match(text.strip()))
