"""Headlines without site chrome: " | ISPR", " - Site Name" and the like come off."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from newscrawler.extract.html import squash

#: Separators between a headline and the site name in <title> and og:title.
_SEPARATORS = re.compile(r"\s+[|\-–—:»·•]\s+|\s*[|»·•]\s*")
_NOT_WORD = re.compile(r"[\W_]+")


def site_names_of(url: str, names: Iterable[str]) -> list[str]:
    """Names a site goes by: those the page declares plus its host's main label
    (``poslanews`` for www.poslanews.com, ``ispr`` for www.ispr.gov.pk)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [label for label in host.split(".") if len(label) > 3 or label == host.split(".")[0]]
    return [*names, *labels[:1]]


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold()).removeprefix("www")


def strip_site_name(title: str, site_names: Iterable[str]) -> str | None:
    """``title`` without a leading or trailing segment that names the site; None when the
    title is nothing but the site's name."""
    title = squash(title)
    keys = {_key(name) for name in site_names if _key(name)}
    if not keys:
        return title or None
    parts = _SEPARATORS.split(title)
    if len(parts) > 1:
        if _names_site(parts[-1], keys):
            return _rejoin(title, parts[:-1])
        if _names_site(parts[0], keys):
            return _rejoin(title, parts[1:])
    return None if _names_site(title, keys) else title


def _names_site(segment: str, keys: set[str]) -> bool:
    key = _key(segment)
    return bool(key) and any(key == k or key.removesuffix("com") == k for k in keys)


def _rejoin(title: str, parts: list[str]) -> str | None:
    """The title text spanning ``parts`` (separators inside it kept as they were)."""
    if not parts:
        return None
    start = title.index(parts[0])
    end = title.rindex(parts[-1]) + len(parts[-1])
    return title[start:end].strip() or None
