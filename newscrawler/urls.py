"""One canonical URL per article, and the other forms that reached it (its aliases)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from lxml import etree
from scrapy.http import Response, TextResponse
from w3lib.url import canonicalize_url as w3lib_canonicalize_url

#: Query parameters that only say how a reader arrived: dropped from canonical URLs.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "ref_src", "ref_url", "cmpid", "ocid", "spm", "share", "amp",
        "phpsessid", "jsessionid", "cfid", "cftoken",
    }
)  # fmt: skip
#: Prefixes of tracking parameter families (utm_source, utm_medium, ...; pk_campaign ...).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "aspsessionid")
#: ``ref=`` is tracking when it names a place (``ref=twitter``), data when it is a number.
_REF_WORD = re.compile(r"^[A-Za-z][\w.-]*$")
#: A trailing AMP segment (``/story/amp/``, ``/archives/7033/amp``) after a real path.
_AMP_SUFFIX = re.compile(r"(?<=.)/amp/?$")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SESSION_PATH_PARAM = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
#: Canonical forms remembered: a crawl meets the same URLs again and again (navigation links
#: on every page, a page's own URL as fetched, requested and declared canonical). Links met on
#: every page stay; the bound keeps the URL caches to a few megabytes.
CACHED_URLS = 2048


@functools.lru_cache(maxsize=CACHED_URLS)
def canonicalize_url(url: str) -> str:
    """The one form of ``url`` the archive stores.

    w3lib canonicalization (query sorted, fragment dropped, unreserved characters decoded and
    the rest percent-encoded with upper-case hex, so WordPress's ``%d9%be`` and a browser's
    ``%D9%BE`` or raw ``پ`` agree), plus: tracking and session parameters dropped, a trailing
    AMP segment dropped, scheme and host lower-cased, default port dropped. Idempotent.
    """
    scheme, netloc, path, query, _fragment = urlsplit(url.strip())
    path = _AMP_SUFFIX.sub("/", _SESSION_PATH_PARAM.sub("", path))
    query = "&".join(part for part in query.split("&") if part and not _is_tracking(part))
    canonical = w3lib_canonicalize_url(urlunsplit((scheme.lower(), netloc, path, query, "")))
    return _without_default_port(canonical)


def _is_tracking(query_part: str) -> bool:
    name, _, value = query_part.partition("=")
    name = unquote_plus(name).lower()
    if name == "ref":
        # Judged as canonicalization leaves it: w3lib drops the spaces around a value.
        return bool(_REF_WORD.match(unquote_plus(value).strip()))
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _without_default_port(url: str) -> str:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: leave the URL as it is
        return url
    if port is None or _DEFAULT_PORTS.get(parts.scheme) != port:
        return url
    netloc = parts.netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def same_site(host: str, hosts: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``hosts``, ``www.`` or not."""
    bare = host.lower().removeprefix("www.")
    return any(bare == other.lower().removeprefix("www.") for other in hosts)


def canonical_from_page(response: Response, profile_hosts: Iterable[str] = ()) -> str:
    """The page's canonical URL: its ``<link rel=canonical>`` when that stays on the site's
    hosts (the response's own host when ``profile_hosts`` is empty) and is not a bare
    pointer to the home page; else the response URL. Always canonicalized."""
    own = canonicalize_url(response.url)
    declared = _declared_canonical(response)
    if declared is None:
        return own
    target = canonicalize_url(urljoin(response.url, declared))
    parts = urlsplit(target)
    hosts = list(profile_hosts) or [urlsplit(response.url).hostname or ""]
    if parts.scheme not in ("http", "https") or not same_site(parts.hostname or "", hosts):
        return own
    if parts.path in ("", "/") and not parts.query and urlsplit(own).path not in ("", "/"):
        return own  # a theme pointing every page's canonical at the home page
    return target


_CANONICAL_LINK = etree.XPath(
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href",
    smart_strings=False,
)


def _declared_canonical(response: Response) -> str | None:
    if not isinstance(response, TextResponse):
        return None
    hrefs = _CANONICAL_LINK(response.selector.root)
    href: str | None = hrefs[0] if hrefs else None
    return href.strip() if href and href.strip() else None


def url_aliases(response: Response, canonical: str) -> list[str]:
    """Every other form that reached this page, canonicalized: redirect sources, the
    requested URL and the fetched URL, minus ``canonical`` itself; first seen first."""
    forms: list[str] = []
    request = response.request
    if request is not None:
        forms.extend(request.meta.get("redirect_urls", ()))
        forms.append(request.url)
    forms.append(response.url)
    aliases: list[str] = []
    for form in forms:
        alias = canonicalize_url(form)
        if alias != canonical and alias not in aliases:
            aliases.append(alias)
    return aliases
