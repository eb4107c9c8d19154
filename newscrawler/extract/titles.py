"""Headlines without site chrome: " | ISPR", " - Site Name" and the like come off; a page
title the site puts on every page is no headline at all, and the page's heading is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import etree

from newscrawler.extract.html import squash

#: Separators between a headline and the site name in <title> and og:title.
_SEPARATORS = re.compile(r"\s+[|\-–—:»·•]\s+|\s*[|»·•]\s*")
_NOT_WORD = re.compile(r"[\W_]+")
#: The heading holding, else the one nearest before, the first text node with ``$start``.
_HEADING_AT = etree.XPath(
    "(//body//text()[contains(normalize-space(.), $start)])[1]"
    "/ancestor-or-self::*[self::h1 or self::h2][1]"
)
_HEADING_BEFORE = etree.XPath(
    "(//body//text()[contains(normalize-space(.), $start)])[1]"
    "/preceding::*[self::h1 or self::h2][1]"
)
#: Words of the longest name whose initials a site may go by.
_INITIALS_MAX_WORDS = 8
#: Characters of the body's first line looked up to find where the body starts.
_PROBE_CHARS = 40


def site_names_of(url: str, names: Iterable[str]) -> list[str]:
    """Names a site goes by: those the page declares plus its host's main label
    (``poslanews`` for www.poslanews.com, ``ispr`` for www.ispr.gov.pk)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [label for label in host.split(".") if len(label) > 3 or label == host.split(".")[0]]
    return [*names, *labels[:1]]


def title_key(text: str) -> str:
    """What two titles share when they differ only in case, spacing and punctuation."""
    return _NOT_WORD.sub("", text.casefold()).removeprefix("www")


def template_keys(site_titles: Iterable[str]) -> frozenset[str]:
    """Keys of the titles a site puts on every page and of each of their segments: neither
    ``Press Release | ISPR`` nor ``Press Release`` nor ``ISPR`` is a headline of that site."""
    keys = {title_key(part) for title in site_titles for part in [title, *_SEPARATORS.split(title)]}
    return frozenset(keys - {""})


def body_heading(root: etree._Element, first_line: str) -> str | None:
    """The ``<h1>``/``<h2>`` that is the body's first line, else the last one before it: where
    a page whose ``<title>`` names only the site puts its headline."""
    probe = squash(first_line)[:_PROBE_CHARS].rsplit(" ", 1)[0] if first_line else ""
    if not probe:
        return None
    found = _HEADING_AT(root, start=probe) or _HEADING_BEFORE(root, start=probe)
    heading = squash("".join(found[0].itertext())) if found else ""
    return heading or None


def strip_site_name(title: str, site_names: Iterable[str]) -> str | None:
    """``title`` without a leading or trailing segment that names the site; None when the
    title is nothing but the site's name."""
    title = squash(title)
    keys = {title_key(name) for name in site_names if title_key(name)}
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
    key = title_key(segment)
    if not key:
        return False
    return key in keys or key.removesuffix("com") in keys or _initials(segment) in keys


def _initials(segment: str) -> str:
    """The initials of a name of three to ``_INITIALS_MAX_WORDS`` words ("Inter Services Public
    Relations": ``ispr``), which a site may go by; a longer segment is no name (a body line)."""
    words = segment.split()
    if not 3 <= len(words) <= _INITIALS_MAX_WORDS:
        return ""
    return "".join(key[0] for key in map(title_key, words) if key)


def _rejoin(title: str, parts: list[str]) -> str | None:
    """The title text spanning ``parts`` (separators inside it kept as they were)."""
    if not parts:
        return None
    start = title.index(parts[0])
    end = title.rindex(parts[-1]) + len(parts[-1])
    return title[start:end].strip() or None
