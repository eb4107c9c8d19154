"""Dates from one piece of text and from whole pages (spec section 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from parsel import Selector

from newscrawler.dates import (
    FUTURE,
    HIJRI,
    IMPOSSIBLE,
    INCOMPLETE,
    KARACHI,
    NO_DATE,
    parse_date,
    parse_date_with_reason,
)
from newscrawler.extract.pagedates import PAGE_CHROME, extract_modified_date, extract_published_date

NOW = datetime(2025, 7, 28, 12, 0, tzinfo=KARACHI)
PKT = timezone(timedelta(hours=5))


def day(year: int, month: int, date: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, date, hour, minute, tzinfo=KARACHI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("27 جولائی 2025ء", day(2025, 7, 27), id="urdu-dmy-year-sign"),
        pytest.param("27 جولائی 2025", day(2025, 7, 27), id="urdu-dmy"),
        pytest.param("21 دسمبر2024ء", day(2024, 12, 21), id="urdu-glued-year-sign"),
        pytest.param("جولائی 27، 2025", day(2025, 7, 27), id="urdu-mdy"),
        pytest.param("۲۷ جولائی ۲۰۲۵", day(2025, 7, 27), id="urdu-digits"),
        pytest.param("٢٧ جولائی ٢٠٢٥", day(2025, 7, 27), id="arabic-indic-digits"),
        pytest.param("۲۷ جولائی ۲۰۲۵ء", day(2025, 7, 27), id="urdu-digits-year-sign"),
        pytest.param("5 مئ 2025", day(2025, 5, 5), id="month-variant-mai"),
        pytest.param("27 جولائ 2025", day(2025, 7, 27), id="month-variant-julai"),
        pytest.param("27 جولائي 2025", day(2025, 7, 27), id="arabic-yeh-month"),
        pytest.param("20 اكتوبر 2024", day(2024, 10, 20), id="arabic-kaf-month"),
        pytest.param("27 جُولائـی 2025", day(2025, 7, 27), id="diacritic-tatweel-month"),
        pytest.param("27 جولا\u200cئی 2025", day(2025, 7, 27), id="zwnj-month"),
        pytest.param("اتوار، 27 جولائی 2025", day(2025, 7, 27), id="urdu-weekday"),
        pytest.param("بروز اتوار 27 جولائی 2025", day(2025, 7, 27), id="baroz-prefix"),
        pytest.param("مورخہ 27 جولائی 2025", day(2025, 7, 27), id="moarrakha-prefix"),
        pytest.param("27 جولائی 2025ء کو آرمی چیف نے", day(2025, 7, 27), id="urdu-in-sentence"),
        pytest.param("راولپنڈی، 27 جولائی 2025: آئی ایس پی آر", day(2025, 7, 27), id="dateline"),
        pytest.param("27 جولائی 2025 5:30 PM", day(2025, 7, 27, 17, 30), id="urdu-with-time"),
        pytest.param("Dated: July 27, 2025", day(2025, 7, 27), id="dated-label"),
        pytest.param("No: PR-123/2025-ISPR Dated: July 27, 2025", day(2025, 7, 27), id="pr-number"),
        pytest.param("DATE . July/27/2025", day(2025, 7, 27), id="wordpress-date-line"),
        pytest.param("Rawalpindi - May 10, 2022", day(2022, 5, 10), id="ispr-dateline"),
        pytest.param("Sunday, July 27, 2025", day(2025, 7, 27), id="english-weekday"),
        pytest.param("Jul. 27 2025", day(2025, 7, 27), id="english-abbreviation"),
        pytest.param("27th July, 2025", day(2025, 7, 27), id="english-ordinal-dmy"),
        pytest.param("27-Jul-2025", day(2025, 7, 27), id="english-dashes"),
        pytest.param("July 27, 2025 (ISPR)", day(2025, 7, 27), id="english-trailing-words"),
        pytest.param("27 Jul 2025 10:15 PKT", day(2025, 7, 27, 10, 15), id="english-pkt"),
        pytest.param("27/07/2025", day(2025, 7, 27), id="numeric-dmy"),
        pytest.param("07/06/2025", day(2025, 6, 7), id="numeric-day-first"),
        pytest.param("27.07.2025", day(2025, 7, 27), id="numeric-dots"),
        pytest.param("۲۷/۰۷/۲۰۲۵", day(2025, 7, 27), id="numeric-urdu-digits"),
        pytest.param("2025/07/27", day(2025, 7, 27), id="numeric-ymd"),
        pytest.param("2025-07-27", day(2025, 7, 27), id="iso-date"),
        pytest.param(
            "2025-07-27T09:15:00+05:00", datetime(2025, 7, 27, 9, 15, tzinfo=PKT), id="iso-offset"
        ),
        pytest.param(
            "2025-07-27T04:15:00Z", datetime(2025, 7, 27, 4, 15, tzinfo=UTC), id="iso-zulu"
        ),
        pytest.param("2025-07-27 10:30:00", day(2025, 7, 27, 10, 30), id="iso-naive-karachi"),
        pytest.param(
            "Sun, 27 Jul 2025 10:15:00 +0500",
            datetime(2025, 7, 27, 10, 15, tzinfo=PKT),
            id="rfc822",
        ),
        pytest.param(
            "Sun, 27 Jul 2025 05:15:00 GMT",
            datetime(2025, 7, 27, 5, 15, tzinfo=UTC),
            id="rfc822-gmt",
        ),
        pytest.param(
            "۱۶ مارچ ۲۰۲۵ء بمطابق ۱۵ رمضان ۱۴۴۶ھ", day(2025, 3, 16), id="gregorian-beside-hijri"
        ),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    value = parse_date(text, now=NOW)
    assert value == expected
    assert value is not None and value.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2 گھنٹے پہلے", NOW - timedelta(hours=2), id="urdu-hours-pehle"),
        pytest.param("2 گھنٹے قبل", NOW - timedelta(hours=2), id="urdu-hours-qabl"),
        pytest.param("۵ منٹ پہلے", NOW - timedelta(minutes=5), id="urdu-minutes-urdu-digits"),
        pytest.param("3 دن قبل", NOW - timedelta(days=3), id="urdu-days-qabl"),
        pytest.param("ایک دن پہلے", NOW - timedelta(days=1), id="urdu-number-word"),
        pytest.param("شائع شدہ 1 ہفتہ پہلے", NOW - timedelta(weeks=1), id="urdu-week-in-text"),
        pytest.param("2 hours ago", NOW - timedelta(hours=2), id="english-hours"),
        pytest.param("an hour ago", NOW - timedelta(hours=1), id="english-an-hour"),
        pytest.param("3 days ago", NOW - timedelta(days=3), id="english-days"),
        pytest.param("گزشتہ روز", NOW - timedelta(days=1), id="urdu-yesterday"),
        pytest.param("yesterday", NOW - timedelta(days=1), id="english-yesterday"),
    ],
)
def test_relative_dates_against_now(text: str, expected: datetime) -> None:
    parsed = parse_date_with_reason(text, now=NOW)
    assert parsed.value == expected
    assert parsed.approximate


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("31 فروری 2025", IMPOSSIBLE, id="feb-31"),
        pytest.param("2025-02-30", IMPOSSIBLE, id="iso-feb-30"),
        pytest.param("07/27/2025", IMPOSSIBLE, id="month-first-is-impossible"),
        pytest.param("27 جولائی 2026", FUTURE, id="future-urdu"),
        pytest.param("August 2, 2025", FUTURE, id="future-english"),
        pytest.param("15/09/1446ھ", HIJRI, id="hijri-numeric"),
        pytest.param("جولائی 2025", INCOMPLETE, id="no-day"),
        pytest.param("RAWALPINDI, JUL 26 (APP)", INCOMPLETE, id="no-year"),
        pytest.param("کل", NO_DATE, id="kal-is-ambiguous"),
        pytest.param("آرمی چیف نے دورہ کیا", NO_DATE, id="no-date"),
    ],
)
def test_rejected_dates_give_a_reason(text: str, reason: str) -> None:
    parsed = parse_date_with_reason(text, now=NOW)
    assert parsed.value is None
    assert parsed.reason == reason
    assert parse_date(text, now=NOW) is None


def test_future_tolerance_is_one_day() -> None:
    assert parse_date("29 جولائی 2025", now=NOW) == day(2025, 7, 29)
    assert parse_date("30 جولائی 2025", now=NOW) is None


def test_hijri_year_is_not_gregorian() -> None:
    assert parse_date("15 رمضان 1446ھ", now=NOW) is None


def test_naive_now_is_utc() -> None:
    assert parse_date("1 hour ago", now=datetime(2025, 7, 28, 7, 0)) == day(2025, 7, 28, 11)


# --- Page-level extraction --------------------------------------------------------------------


def page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


ARTICLE = "<article><h1>عنوان</h1><p>{}</p></article>"


@pytest.mark.parametrize(
    ("html", "source", "expected"),
    [
        pytest.param(
            page('<meta property="article:published_time" content="2025-07-27T09:15:00+05:00">'),
            "meta:article:published_time",
            datetime(2025, 7, 27, 9, 15, tzinfo=PKT),
            id="article-published-time",
        ),
        pytest.param(
            page('<meta property="og:article:published_time" content="2025-07-26">'),
            "meta:og:article:published_time",
            day(2025, 7, 26),
            id="og-article-published-time",
        ),
        pytest.param(
            page('<meta itemprop="datePublished" content="2025-07-25T10:00:00+05:00">'),
            "itemprop:datePublished",
            datetime(2025, 7, 25, 10, tzinfo=PKT),
            id="itemprop",
        ),
        pytest.param(
            page(json_ld({"@type": "NewsArticle", "datePublished": "2025-07-24T08:00:00Z"})),
            "json-ld:datePublished",
            datetime(2025, 7, 24, 8, tzinfo=UTC),
            id="json-ld",
        ),
        pytest.param(
            page(
                json_ld(
                    {
                        "@context": "https://schema.org",
                        "@graph": [
                            {"@type": "WebPage", "datePublished": "2025-07-01T00:00:00+05:00"},
                            {"@type": "Article", "datePublished": "2025-07-23T07:00:00+05:00"},
                        ],
                    }
                )
            ),
            "json-ld:datePublished",
            datetime(2025, 7, 23, 7, tzinfo=PKT),
            id="json-ld-graph-article-first",
        ),
        pytest.param(
            page(body='<article><h1>t</h1><time datetime="2025-07-22T06:00:00+05:00">x</time>'),
            "time[datetime]",
            datetime(2025, 7, 22, 6, tzinfo=PKT),
            id="time-element",
        ),
        pytest.param(
            page(body=ARTICLE.format("") + '<h4 class="media-date">Rawalpindi - May 10, 2022</h4>'),
            "text:date-element",
            day(2022, 5, 10),
            id="ispr-media-date",
        ),
        pytest.param(
            page(body=ARTICLE.format("DATE . July/27/2025")),
            "text",
            day(2025, 7, 27),
            id="wordpress-visible-date",
        ),
        pytest.param(
            page(body=ARTICLE.format("(اُردو پوائنٹ اخبارتازہ ترین۔ 21 جولائی2025ء) خبر")),
            "text",
            day(2025, 7, 21),
            id="urdupoint-dateline",
        ),
    ],
)
def test_published_date_sources(html: str, source: str, expected: datetime) -> None:
    found = extract_published_date(html, now=NOW)
    assert (found.source, found.value) == (source, expected)


def test_meta_wins_over_visible_text() -> None:
    html = page(
        '<meta property="article:published_time" content="2025-07-26T10:00:00+05:00">',
        ARTICLE.format("27 جولائی 2025"),
    )
    assert extract_published_date(html, now=NOW).value == datetime(2025, 7, 26, 10, tzinfo=PKT)


def test_broken_machine_value_falls_through_with_reason() -> None:
    html = page(
        '<meta property="article:published_time" content="2025-02-30T10:00:00">',
        ARTICLE.format("DATE . July/27/2025"),
    )
    found = extract_published_date(html, now=NOW)
    assert found.value == day(2025, 7, 27)
    assert ("meta:article:published_time", "2025-02-30T10:00:00", IMPOSSIBLE) in found.rejected


def test_header_clock_is_not_the_publication_date() -> None:
    html = page(
        body=(
            '<header><span class="current-date">03:17 , 28 جولائی 2025</span></header>'
            "<article><h1>پاکستان کی میزبانی</h1>"
            '<div class="entry-meta">جولائی 26، 2025</div><p>راولپنڈی: خبر</p></article>'
        )
    )
    found = extract_published_date(html, now=NOW)
    assert found.value == day(2025, 7, 26)
    assert any(reason == PAGE_CHROME for _, _, reason in found.rejected)


def test_clock_outside_header_before_headline_is_skipped() -> None:
    html = page(
        body=(
            "<div><span>03:17 , 28 جولائی 2025</span></div>"
            "<h1>پاکستان کی میزبانی</h1><p>راولپنڈی: 27 جولائی 2025 کو اجلاس ہوا</p>"
        )
    )
    assert extract_published_date(html, now=NOW).value == day(2025, 7, 27)


def test_date_equal_to_crawl_time_is_skipped() -> None:
    html = page(body="<h1>t</h1><p>12:05 , 28 جولائی 2025</p><p>Dated: July 26, 2025</p>")
    assert extract_published_date(html, now=NOW).value == day(2025, 7, 26)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "<article><h1>Relief goods sent</h1><p class='byline'>28 July 2025, 11:57 AM</p>"
            "<p>Rawalpindi: relief goods were sent to the flood-hit areas.</p></article>",
            id="by-the-headline",
        ),
        pytest.param(
            "<div class='post'><h1>Relief goods sent</h1><span>11:57 AM, 28 July 2025</span>"
            "<p>Rawalpindi: relief goods were sent to the flood-hit areas.</p></div>",
            id="in-the-headline-container",
        ),
        pytest.param(
            "<div>Published: 28 July 2025 11:57</div><h1>Relief goods sent</h1>"
            "<p>Rawalpindi: relief goods were sent to the flood-hit areas.</p>",
            id="labelled-above-the-headline",
        ),
        pytest.param(
            "<article><h1>پاکستان کی میزبانی</h1>"
            '<time datetime="2025-07-28T11:57:00+05:00">11:57</time><p>خبر</p></article>',
            id="time-element",
        ),
    ],
)
def test_an_article_published_minutes_ago_keeps_its_date(body: str) -> None:
    found = extract_published_date(page(body=body), now=NOW)
    assert found.value == day(2025, 7, 28, 11, 57)


def test_a_header_clock_is_not_the_publication_date() -> None:
    html = page(
        body=(
            '<header><div class="date-time">12:00 PM, 28 July 2025</div></header>'
            "<article><h1>Relief goods sent</h1><div class='entry-meta'>28 July 2025, 11:53 AM"
            "</div><p>Rawalpindi: relief goods were sent to the flood-hit areas.</p></article>"
        )
    )
    found = extract_published_date(html, now=NOW)
    assert found.value == day(2025, 7, 28, 11, 53)
    assert ("text:date-element", "12:00 PM, 28 July 2025", PAGE_CHROME) in found.rejected


def test_time_element_in_nav_is_skipped() -> None:
    html = page(
        body='<nav><time datetime="2025-07-28T11:58:00+05:00">now</time></nav>'
        '<article><h1>t</h1><time datetime="2025-07-20T09:00:00+05:00">d</time></article>'
    )
    found = extract_published_date(html, now=NOW)
    assert (found.source, found.value) == ("time[datetime]", datetime(2025, 7, 20, 9, tzinfo=PKT))


def test_url_date_is_the_last_resort() -> None:
    found = extract_published_date(
        page(body="<h1>t</h1><p>خبر</p>"),
        url="https://www.nawaiwaqt.com.pk/26-Jul-2025/1234567",
        now=NOW,
    )
    assert (found.source, found.value) == ("url", day(2025, 7, 26))


def test_page_without_date() -> None:
    found = extract_published_date(page(body="<h1>t</h1><p>خبر</p>"), now=NOW)
    assert found.value is None and found.source is None


def test_accepts_a_selector() -> None:
    selector = Selector(text=page(body=ARTICLE.format("Dated: July 27, 2025")))
    assert extract_published_date(selector, now=NOW).value == day(2025, 7, 27)


@pytest.mark.parametrize(
    ("head", "source"),
    [
        pytest.param(
            '<meta property="article:modified_time" content="2025-07-27T12:00:00+05:00">',
            "meta:article:modified_time",
            id="article-modified-time",
        ),
        pytest.param(
            json_ld({"@type": "NewsArticle", "dateModified": "2025-07-27T12:00:00+05:00"}),
            "json-ld:dateModified",
            id="json-ld-date-modified",
        ),
    ],
)
def test_modified_date(head: str, source: str) -> None:
    found = extract_modified_date(page(head), now=NOW)
    assert (found.source, found.value) == (source, datetime(2025, 7, 27, 12, tzinfo=PKT))


def test_a_site_header_outside_the_article_is_chrome() -> None:
    html = page(
        body=(
            "<header><p>Sunday, 20 July 2025</p></header>"
            "<article><h1>Relief goods sent</h1><p>26 July 2025</p>"
            "<p>Rawalpindi: relief goods were sent to the flood-hit areas.</p></article>"
        )
    )
    found = extract_published_date(html, now=NOW)
    assert found.value == day(2025, 7, 26)
