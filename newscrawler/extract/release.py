"""The release date a republished press release quotes: a wire dateline ("RAWALPINDI, JUL 26
/DNA/ –", "راولپنڈی (26 جولائی 2025)") or a sentence citing ISPR with a date. It is kept
beside the page's own date (``extras['release_date']``): republishers post a day later."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from newscrawler.dates import ENGLISH_MONTHS, URDU_MONTHS, parse_date
from newscrawler.text import search_form

#: The dateline is the opening of the first paragraph.
DATELINE_CHARS = 80
_CITES_ISPR = re.compile(
    r"\bISPR\b|Inter[- ]Services Public Relations|آئی\s*ایس\s*پی\s*آر|شعبہ تعلقات عامہ", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.۔!?؟])\s+")
_MONTH_NAMES = "|".join(sorted({*ENGLISH_MONTHS, *URDU_MONTHS}, key=len, reverse=True))
#: Day and month with no year ("jul 26", "26 جولائی") in the search form of the text.
_DAY_MONTH = re.compile(
    rf"(?<![\w])(?:(?P<mon>{_MONTH_NAMES})\.?\s*(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s*"
    rf"(?P<mon2>{_MONTH_NAMES}))(?![\w])"
)


def release_date(
    paragraphs: list[str], published: datetime | None, *, now: datetime | None = None
) -> date | None:
    """The release date the text states, or None. A day and month without a year take the
    year that puts them on or before the page's own date."""
    for text in _date_statements(paragraphs):
        full = parse_date(text, now=now)
        if full is not None:
            return full.date()
        partial = _day_month(text, published or now)
        if partial is not None:
            return partial
    return None


def _date_statements(paragraphs: list[str]) -> Iterator[str]:
    if paragraphs:
        yield paragraphs[0][:DATELINE_CHARS]
    for paragraph in paragraphs:
        # A sentence citing ISPR is in a paragraph citing it: the others need no splitting.
        if _CITES_ISPR.search(paragraph):
            yield from (s for s in _SENTENCE_END.split(paragraph) if _CITES_ISPR.search(s))


def _day_month(text: str, anchor: datetime | None) -> date | None:
    if anchor is None:
        return None
    match = _DAY_MONTH.search(search_form(text))
    if match is None:
        return None
    name, day = (match["mon"], match["d"]) if match["mon"] else (match["mon2"], match["d2"])
    month = URDU_MONTHS.get(name) or ENGLISH_MONTHS[name]
    anchor_day = anchor.date()
    for year in (anchor_day.year, anchor_day.year - 1):
        try:
            candidate = date(year, month, int(day))
        except ValueError:
            return None
        if candidate <= anchor_day:
            return candidate
    return None
