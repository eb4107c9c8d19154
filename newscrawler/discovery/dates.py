"""Timestamps as sitemaps and feeds write them, read as timezone-aware UTC datetimes."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A sitemap ``lastmod`` or Atom ``updated`` (W3C datetime: a date, or date and time).

    A value without a zone is taken as UTC; an unreadable one gives None, never an error:
    a bad ``lastmod`` must not cost the article.
    """
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return _as_utc(value)


def parse_rfc822_datetime(text: str | None) -> datetime | None:
    """An RSS ``pubDate`` (RFC 822: ``Sat, 26 Jul 2025 14:03:00 +0500``)."""
    if not text:
        return None
    try:
        value = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return parse_w3c_datetime(text)
    return _as_utc(value)


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
