"""Dates in Urdu and English text (spec section 6), and the timestamps sitemaps and feeds write.

``dateparser.search_dates`` returns plausible-looking wrong dates for Urdu (it fills a missing
day from today), so it is never used. Text is normalized with the search form (letters, digits
to ASCII, no diacritics, casefolded), a date span is pulled out with explicit patterns in a
fixed order, and the date is built from a month table that knows the common misspellings.
``dateparser.parse`` is used only for relative forms ("2 گھنٹے پہلے", "3 hours ago").

Every result is timezone-aware: Asia/Karachi unless the text names a zone.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import dateparser

from newscrawler.text import search_form
from newscrawler.text.chars import ARABIC_LETTERS

KARACHI = ZoneInfo("Asia/Karachi")
#: Dates later than the crawl time plus this are rejected (time zones, clock skew).
FUTURE_TOLERANCE = timedelta(days=1)
#: Earlier years are read as a misparse (a Hijri year such as 1446 in d/m/Y form).
MIN_YEAR = 1900

# Reasons a text yields no date.
EMPTY = "empty"
NO_DATE = "no_date"
INCOMPLETE = "incomplete_date"  # a month without day or year ("جولائی 2025", "JUL 26")
IMPOSSIBLE = "impossible_date"  # 31 فروری, 27/13/2025
FUTURE = "future_date"
TOO_OLD = "before_min_year"
HIJRI = "hijri_date"  # 1446ھ is not a Gregorian year

# --- Month table --------------------------------------------------------------------------------

_URDU_MONTHS = {
    1: ("جنوری",),
    2: ("فروری",),
    3: ("مارچ",),
    4: ("اپریل", "اپرئل", "اپرایل"),
    5: ("مئی", "مئ", "مئی"),
    6: ("جون",),
    7: ("جولائی", "جولائ", "جولای"),
    8: ("اگست", "اگسٹ"),
    9: ("ستمبر",),
    10: ("اکتوبر",),
    11: ("نومبر",),
    12: ("دسمبر", "دیسمبر"),
}
_ENGLISH_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

#: Normalized month name -> month number. Urdu names go through the same search form as the
#: text, so Arabic spellings (اكتوبر, جولائي) and diacritics match too.
URDU_MONTHS = {search_form(name): month for month, names in _URDU_MONTHS.items() for name in names}
ENGLISH_MONTHS = {
    **{name: i for i, name in enumerate(_ENGLISH_MONTHS, 1)},
    **{name[:3]: i for i, name in enumerate(_ENGLISH_MONTHS, 1)},
    "sept": 9,
}


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _month_words(names: Iterable[str], letters: str, group: str = "") -> str:
    """An alternation of month names that does not start or end inside a word."""
    opener = f"(?P<{group}>" if group else "(?:"
    return f"(?<![{letters}]){opener}{_alternation(names)})(?![{letters}])"


_UR_MONTH = _month_words(URDU_MONTHS, ARABIC_LETTERS, "mon")
_EN_MONTH = _month_words(ENGLISH_MONTHS, "a-z", "mon")  # "jul." : the dot is a separator
_DAY = r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?<!\d)(?P<y>\d{4})(?!\d)"
_SEP = r"[\s,،/.\-]{0,3}"

#: Span patterns in the order of spec section 6: ISO, Urdu DMY, Urdu MDY, English MDY,
#: English DMY, numeric Y/M/D, numeric D/M/Y (day first: Pakistani sources are DMY).
_SPAN_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
        _DAY + _SEP + _UR_MONTH + _SEP + _YEAR,
        _UR_MONTH + _SEP + _DAY + _SEP + _YEAR,
        _EN_MONTH + _SEP + _DAY + _SEP + _YEAR,
        _DAY + _SEP + _EN_MONTH + _SEP + _YEAR,
        r"(?<!\d)(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)",
        r"(?<!\d)(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)",
    )
)
_ANY_MONTH_RE = re.compile(
    _month_words(URDU_MONTHS, ARABIC_LETTERS) + "|" + _month_words(ENGLISH_MONTHS, "a-z")
)

#: Year signs: ء (U+0621) and the Arabic number signs U+0600-U+0605 (؁ SANAH) after a year.
_YEAR_SIGN_RE = re.compile("(\\d{4})\\s*[\u0621\u0600-\u0605]")
_HIJRI_AFTER_RE = re.compile("\\s*(?:\u06be|ہجری)")

#: "Sun, 27 Jul 2025 10:15:00 +0500" (weekday optional).
_RFC822_RE = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")

_ZONE = r"(?P<tz>z|utc|gmt|pkt|[+-]\d{2}:?\d{2})"
_TIME_AFTER_RE = re.compile(
    r"[\s,،|@\-]*(?:t|at\s+|بوقت\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?![a-z])\s*" + _ZONE + "?"
)
_TIME_BEFORE_RE = re.compile(
    r"(?<!\d)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?[\s,،|\-]*$"
)

# --- Relative dates -------------------------------------------------------------------------

#: Urdu time units -> the form dateparser's ``ur`` data knows.
_URDU_UNITS = {
    "سیکنڈ": "سیکنڈ",
    "منٹ": "منٹ",
    "منٹوں": "منٹ",
    "گھنٹہ": "گھنٹے",
    "گھنٹے": "گھنٹے",
    "گھنٹوں": "گھنٹے",
    "دن": "دن",
    "دنوں": "دن",
    "روز": "دن",
    "ہفتہ": "ہفتے",
    "ہفتے": "ہفتے",
    "ہفتوں": "ہفتے",
    "ماہ": "ماہ",
    "مہینہ": "ماہ",
    "مہینے": "ماہ",
    "مہینوں": "ماہ",
    "سال": "سال",
    "برس": "سال",
}
_UR_RELATIVE_RE = re.compile(
    f"(?<![\\d{ARABIC_LETTERS}])(?P<n>\\d+|ایک)\\s*(?P<unit>{_alternation(_URDU_UNITS)})"
    f"\\s*(?:پہلے|قبل)(?![{ARABIC_LETTERS}])"
)
_EN_RELATIVE_RE = re.compile(
    r"(?<![a-z\d])(?P<n>\d+|an?|one)\s+"
    r"(?P<unit>sec(?:ond)?|min(?:ute)?|h(?:ou)?r|day|week|month|year)s?\s+ago(?![a-z])"
)
_EN_UNITS = {"sec": "second", "min": "minute", "hr": "hour"}
#: Whole-text relative words; کل alone means both yesterday and tomorrow, so it is not here.
_RELATIVE_WORDS = {
    "آج": ("آج", "ur"),
    "گزشتہ کل": ("گزشتہ کل", "ur"),
    "گزشتہ روز": ("گزشتہ کل", "ur"),
    "today": ("today", "en"),
    "yesterday": ("yesterday", "en"),
}


@dataclass(frozen=True)
class ParsedDate:
    """A date read from one piece of text, or the reason there is none."""

    value: datetime | None
    reason: str | None = None
    #: The normalized text the date was read from.
    span: str | None = None
    #: A relative date ("2 گھنٹے پہلے"): exact only to its unit.
    approximate: bool = False


def _aware(value: datetime, zone: timezone | ZoneInfo = KARACHI) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=zone)


def reference_time(now: datetime | None) -> datetime:
    """The time relative dates and the future check are read against: ``now``, where a naive
    value is UTC, else the current time."""
    return datetime.now(UTC) if now is None else _aware(now, UTC)


def _zone(token: str | None) -> timezone | ZoneInfo:
    if not token or token == "pkt":
        return KARACHI
    if token in {"z", "utc", "gmt"}:
        return UTC
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _clock(match: re.Match[str] | None) -> tuple[int, int, int]:
    """Hour, minute, second of a time match (12-hour clock with am/pm)."""
    if match is None:
        return 0, 0, 0
    hour, minute = int(match["H"]), int(match["M"])
    second = int(match["S"]) if match["S"] else 0
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour, minute, second


def _iso(text: str) -> datetime | None:
    """A whole-string ISO 8601 / W3C datetime, naive when it names no zone."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    """An RFC 822 datetime as feeds and HTTP headers write it, read leniently by email.utils."""
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _machine(text: str) -> ParsedDate | None:
    """Whole-string ISO 8601 (meta tags, JSON-LD) or RFC-822 (feeds, HTTP headers)."""
    value = _iso(text)
    if value is None and _RFC822_RE.match(text):  # keep email.utils to the format it reads
        value = _rfc822(text)
    return None if value is None else ParsedDate(_aware(value), span=text)


def _month(match: re.Match[str]) -> int:
    groups = match.groupdict()
    if groups.get("mon"):
        name = groups["mon"]
        return URDU_MONTHS.get(name) or ENGLISH_MONTHS[name]
    return int(groups["m"])


def _from_span(text: str, match: re.Match[str]) -> ParsedDate:
    """Build the date of one span, with a time right after (or right before) it."""
    span = match.group()
    if _HIJRI_AFTER_RE.match(text, match.end("y")):
        return ParsedDate(None, HIJRI, span)
    after = _TIME_AFTER_RE.match(text, match.end())
    before = (
        None if after else _TIME_BEFORE_RE.search(text, max(0, match.start() - 16), match.start())
    )
    hour, minute, second = _clock(after or before)
    zone = _zone(after["tz"] if after else None)
    try:
        value = datetime(
            int(match["y"]), _month(match), int(match["d"]), hour, minute, second, tzinfo=zone
        )
    except ValueError:
        return ParsedDate(None, IMPOSSIBLE, span)
    return ParsedDate(value, span=span)


def _relative(text: str, now: datetime) -> ParsedDate | None:
    """ "2 گھنٹے پہلے" / "2 گھنٹے قبل" / "2 hours ago" / a whole-text "آج", against ``now``."""
    if match := _UR_RELATIVE_RE.search(text):
        count = "1" if match["n"] == "ایک" else match["n"]
        phrase, language = f"{count} {_URDU_UNITS[match['unit']]} پہلے", "ur"
    elif match := _EN_RELATIVE_RE.search(text):
        count = match["n"] if match["n"].isdigit() else "1"
        unit = _EN_UNITS.get(match["unit"], match["unit"])
        phrase, language = f"{count} {unit}s ago", "en"
    elif (word := text.strip(" .،,:")) in _RELATIVE_WORDS:
        phrase, language = _RELATIVE_WORDS[word]
    else:
        return None
    base = now.astimezone(KARACHI).replace(tzinfo=None)
    value = dateparser.parse(
        phrase,
        languages=[language],
        settings={
            "RELATIVE_BASE": base,
            "TIMEZONE": "Asia/Karachi",
            "RETURN_AS_TIMEZONE_AWARE": True,
        },
    )
    if value is None:
        return None
    return ParsedDate(value, span=match.group() if match else text, approximate=True)


def _candidates(text: str, now: datetime) -> Iterator[ParsedDate]:
    """Every date the text offers, best first: machine formats, spans, then relative forms."""
    stripped = text.strip()
    if machine := _machine(stripped):
        yield machine
    normalized = _YEAR_SIGN_RE.sub(r"\1", search_form(stripped))
    for pattern in _SPAN_PATTERNS:
        for match in pattern.finditer(normalized):
            yield _from_span(normalized, match)
    if relative := _relative(normalized, now):
        yield relative
    if _ANY_MONTH_RE.search(normalized):
        yield ParsedDate(None, INCOMPLETE, normalized)


def _checked(parsed: ParsedDate, now: datetime) -> ParsedDate:
    """Reject dates after the crawl (plus a day) and before MIN_YEAR."""
    if parsed.value is None:
        return parsed
    if parsed.value > now + FUTURE_TOLERANCE:
        return ParsedDate(None, FUTURE, parsed.span)
    if parsed.value.year < MIN_YEAR:
        return ParsedDate(None, TOO_OLD, parsed.span)
    return parsed


def parse_date_with_reason(text: str, *, now: datetime | None = None) -> ParsedDate:
    """Read the date in one piece of visible text; say why when there is none.

    The first valid candidate wins. Without one, the reason of the first rejected candidate
    is given (``impossible_date``, ``future_date``, ``hijri_date``, ...), else ``no_date``.
    ``now`` (default: the current time; naive means UTC) anchors relative dates and the
    future check.
    """
    if not text or not text.strip():
        return ParsedDate(None, EMPTY)
    reference = reference_time(now)
    first_rejection: ParsedDate | None = None
    for candidate in _candidates(text, reference):
        checked = _checked(candidate, reference)
        if checked.value is not None:
            return checked
        first_rejection = first_rejection or checked
    return first_rejection or ParsedDate(None, NO_DATE)


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """The date in one piece of visible text, timezone-aware, or None (see the reason variant)."""
    return parse_date_with_reason(text, now=now).value


# --- Timestamps of sitemaps and feeds -------------------------------------------------------


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A sitemap ``lastmod`` or Atom ``updated`` (W3C datetime: a date, or date and time), in UTC.

    A value without a zone is taken as UTC; an unreadable one gives None, never an error:
    a bad ``lastmod`` must not cost the article.
    """
    value = _iso(text.strip()) if text else None
    return None if value is None else _aware(value, UTC).astimezone(UTC)


def parse_rfc822_datetime(text: str | None) -> datetime | None:
    """An RSS ``pubDate`` (RFC 822: ``Sat, 26 Jul 2025 14:03:00 +0500``), else a W3C datetime,
    in UTC."""
    value = _rfc822(text.strip()) if text else None
    return parse_w3c_datetime(text) if value is None else _aware(value, UTC).astimezone(UTC)
