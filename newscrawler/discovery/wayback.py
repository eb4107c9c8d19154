"""The Wayback Machine as a source: its CDX index of captures, and raw (``id_``) captures."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

#: CDX rows whose URL holds one of these are challenge or captcha pages, not captures of content.
JUNK_MARKERS = ("captcha", "__cf")
_TIMESTAMP = re.compile(r"^\d{14}$")


@dataclass(frozen=True)
class Capture:
    """One capture: when it was taken, of which original URL, grouped under ``key``."""

    timestamp: str
    original: str
    key: str

    @property
    def captured_at(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

    def raw_url(self, wayback_url: str) -> str:
        """The capture as the site sent it, without the Wayback toolbar or rewritten links."""
        return f"{wayback_url.rstrip('/')}/web/{self.timestamp}id_/{self.original}"


def cdx_query_url(wayback_url: str, prefix: str, *, since: str | None = None) -> str:
    """The CDX query for successful captures of URLs starting with ``prefix``.

    ``since`` is a year or a date (``2020``, ``2020-05-01``); the index takes its digits.
    """
    params = [
        ("url", prefix),
        ("matchType", "prefix"),
        ("output", "json"),
        ("filter", "statuscode:200"),
    ]
    if since:
        digits = re.sub(r"\D", "", since)
        if not 4 <= len(digits) <= 14:
            raise ValueError(f"since must be a year or a date, got {since!r}")
        params.append(("from", digits))
    return f"{wayback_url.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def captures_by_key(
    rows: Sequence[Sequence[Any]], *, key: Callable[[str], str | None]
) -> tuple[dict[str, list[Capture]], int]:
    """CDX JSON rows (a header row first) grouped by ``key(original)``, newest capture first,
    and the number of rows skipped (challenge URLs, rows of no key, malformed rows)."""
    if not rows:
        return {}, 0
    header = [str(name) for name in rows[0]]
    try:
        ts_at, original_at = header.index("timestamp"), header.index("original")
    except ValueError:
        return {}, len(rows) - 1
    grouped: dict[str, list[Capture]] = {}
    skipped = 0
    for row in rows[1:]:
        capture = _capture(row, ts_at, original_at, key)
        if capture is None:
            skipped += 1
        else:
            grouped.setdefault(capture.key, []).append(capture)
    for captures in grouped.values():
        captures.sort(key=lambda c: c.timestamp, reverse=True)
    return grouped, skipped


def _capture(
    row: Sequence[Any], ts_at: int, original_at: int, key: Callable[[str], str | None]
) -> Capture | None:
    if len(row) <= max(ts_at, original_at):
        return None
    timestamp, original = str(row[ts_at]), str(row[original_at])
    if not _TIMESTAMP.match(timestamp) or any(m in original.lower() for m in JUNK_MARKERS):
        return None
    group = key(original)
    return Capture(timestamp, original, group) if group else None
