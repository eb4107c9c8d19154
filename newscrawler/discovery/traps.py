"""Trap protection: URLs that would lead a link-following crawl into endless or useless pages.

Calendars that page forever, search results, faceted query permutations, session ids, relative
links that repeat path segments, and the print/share/feed/AMP/reply variants of an article are
refused before they are scheduled, each with a reason that the crawl stats count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.settings import BaseSettings

#: Query parameters that carry a session: stripped, since they change nothing on the page.
SESSION_PARAMS = frozenset(
    {"phpsessid", "sid", "jsessionid", "sessionid", "session_id", "sessid", "aspsessionid"}
    | {"cfid", "cftoken", "oscsid", "zenid"}
)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)

#: Query parameters that make a variant of a page (a reply form, a share redirect, a print view).
VARIANT_PARAMS = frozenset(
    {"replytocom", "share", "print", "amp", "output", "like_comment", "preview", "unapproved"}
    | {"moderation-hash", "attachment_id", "add-to-cart", "action", "format", "redirect_to"}
)
#: Last path segments of page variants; feeds are fetched as feeds, never as pages.
VARIANT_SEGMENTS = frozenset(
    {"print", "amp", "feed", "rss", "atom", "embed", "trackback", "share", "comments"}
)
CALENDAR_PARAMS = frozenset(
    {"calendar", "cal", "ical", "month", "year", "day", "week", "date", "tribe-bar-date"}
    | {"eventdisplay", "ics"}
)
SEARCH_PARAMS = frozenset({"s", "q", "query", "search", "keyword", "keywords", "searchword"})
NON_CONTENT_SEGMENTS = frozenset(
    {"wp-admin", "wp-login.php", "wp-json", "xmlrpc.php", "cdn-cgi", "wp-content"}
    | {"login", "logout", "register", "signup", "signin", "cart", "checkout", "my-account"}
)
_YEAR = re.compile(r"^((?:19|20)\d\d)(?:-\d\d(?:-\d\d)?)?$")
#: Calendars refuse dates further back than this: no web news archive starts earlier.
FIRST_YEAR = 1990


@dataclass(frozen=True)
class TrapRules:
    """Limits of the trap filter (settings ``NEWSCRAWLER_MAX_URL_LENGTH`` and friends)."""

    max_url_length: int
    max_query_params: int
    #: Distinct sets of query parameter names allowed on one path.
    max_query_shapes: int
    max_path_segments: int
    #: A path segment seen more often than this is a relative-link loop (/a/b/a/b/a/b).
    max_segment_repeats: int = 2

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> TrapRules:
        return cls(
            max_url_length=settings.getint("NEWSCRAWLER_MAX_URL_LENGTH"),
            max_query_params=settings.getint("NEWSCRAWLER_MAX_QUERY_PARAMS"),
            max_query_shapes=settings.getint("NEWSCRAWLER_MAX_QUERY_SHAPES"),
            max_path_segments=settings.getint("NEWSCRAWLER_MAX_PATH_SEGMENTS"),
        )


def strip_session_ids(url: str) -> str:
    """``url`` without session ids in its query or path parameters."""
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit(parts._replace(path=path, query=query))


class TrapFilter:
    """Says why a URL is a trap, or None. Remembers the query shapes seen on each path."""

    def __init__(self, rules: TrapRules, *, now: datetime | None = None) -> None:
        self.rules = rules
        self.last_year = (now or datetime.now(UTC)).year + 1
        self._shapes: defaultdict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)

    def reason(self, url: str) -> str | None:
        if len(url) > self.rules.max_url_length:
            return "long_url"
        parts = urlsplit(url)
        segments = [s.lower() for s in parts.path.split("/") if s]
        keys = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
        return (
            self._path_reason(segments)
            or _query_reason(set(keys))
            or self._shape_reason(parts.netloc, parts.path, keys)
        )

    def _path_reason(self, segments: list[str]) -> str | None:
        if len(segments) > self.rules.max_path_segments:
            return "deep_path"
        if segments and max(segments.count(s) for s in segments) > self.rules.max_segment_repeats:
            return "repeated_segments"
        if NON_CONTENT_SEGMENTS.intersection(segments):
            return "non_content"
        if segments and (segments[-1] in VARIANT_SEGMENTS or "amp" in segments):
            return "variant"
        if "search" in segments:
            return "search"
        if any("calendar" in s or s.endswith(".ics") for s in segments):
            return "calendar"
        if any(self._impossible_year(s) for s in segments):
            return "calendar"
        return None

    def _impossible_year(self, segment: str) -> bool:
        match = _YEAR.match(segment)
        return match is not None and not FIRST_YEAR <= int(match.group(1)) <= self.last_year

    def _shape_reason(self, host: str, path: str, keys: list[str]) -> str | None:
        if not keys:
            return None
        if len(keys) > self.rules.max_query_params:
            return "query_params"
        shapes = self._shapes[(host, path)]
        shape = frozenset(keys)
        if shape not in shapes and len(shapes) >= self.rules.max_query_shapes:
            return "query_permutations"
        shapes.add(shape)
        return None


def _query_reason(keys: set[str]) -> str | None:
    if keys & VARIANT_PARAMS:
        return "variant"
    if keys & SEARCH_PARAMS:
        return "search"
    if keys & CALENDAR_PARAMS:
        return "calendar"
    return None
