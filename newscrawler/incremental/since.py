"""``NEWSCRAWLER_SINCE``: only articles published since a date (``crawl SITE --since DATE``).

A date (``2025-07-27``) keeps what the page dates on that day or later, in the page's own time
zone; a date and time keeps what was published at that instant or later (UTC when no offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class Since:
    text: str
    day: date | None
    instant: datetime | None

    @classmethod
    def parse(cls, text: str) -> Since:
        text = text.strip()
        if len(text) == 10:
            return cls(text, date.fromisoformat(text), None)
        value = datetime.fromisoformat(text)
        return cls(text, None, value if value.tzinfo else value.replace(tzinfo=UTC))

    def excludes(self, published: datetime) -> bool:
        """Whether something published (or last modified) at ``published`` is too old."""
        if self.day is not None:
            return published.date() < self.day
        assert self.instant is not None
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        return published < self.instant


def since_setting(settings: BaseSettings) -> Since | None:
    text = settings.get("NEWSCRAWLER_SINCE")
    if not text:
        return None
    try:
        return Since.parse(str(text))
    except ValueError as error:
        raise ValueError(f"NEWSCRAWLER_SINCE: not an ISO date: {text!r}") from error
