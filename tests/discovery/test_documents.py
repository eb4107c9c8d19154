"""Discovery documents and URL rules, read from real Scrapy responses."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.linkextractors import LinkExtractor

from newscrawler.blocks import response_block_marker
from newscrawler.discovery.feeds import autodiscovered_feeds, parse_feed
from newscrawler.discovery.hosts import HostPolicy
from newscrawler.discovery.idrange import IdEnumeration, Outcome, format_ranges, parse_id_range
from newscrawler.discovery.links import (
    next_page_links,
    numbered_pages,
    page_links,
    select_urls,
)
from newscrawler.discovery.sitemaps import parse_sitemap
from newscrawler.discovery.traps import TrapFilter, TrapRules, strip_session_ids
from newscrawler.discovery.wayback import captures_by_key, cdx_query_url
from newscrawler.downloadermiddlewares.backoff import RETRY_AFTER_META, RetryBackoffMiddleware
from newscrawler.marks import kind_of, mark
from tests.support import project_settings

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NOW = datetime(2025, 7, 27, tzinfo=UTC)
RULES = TrapRules.from_settings(project_settings())


def xml(url: str, body: bytes) -> XmlResponse:
    return XmlResponse(url, body=body)


def html(
    url: str, body: str, status: int = 200, headers: dict[str, str] | None = None
) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), status=status, headers=headers, encoding="utf-8")


# -- sitemaps -------------------------------------------------------------------------------


def test_a_sitemap_index_gives_its_sitemaps_with_lastmod() -> None:
    body = (
        f"<sitemapindex {NS}><sitemap><loc>/post-sitemap.xml</loc>"
        "<lastmod>2025-07-26T10:00:00+05:00</lastmod></sitemap>"
        "<sitemap><loc>https://s.example/page-sitemap.xml</loc></sitemap></sitemapindex>"
    ).encode()
    sitemap = parse_sitemap(xml("https://s.example/sitemap_index.xml", body), max_size=10**6)
    assert sitemap is not None and sitemap.type == "sitemapindex"
    assert [(e.url, e.lastmod) for e in sitemap.entries] == [
        ("https://s.example/post-sitemap.xml", datetime(2025, 7, 26, 5, 0, tzinfo=UTC)),
        ("https://s.example/page-sitemap.xml", None),
    ]


def test_a_gzip_url_set_is_read_and_a_date_only_lastmod_is_utc_midnight() -> None:
    body = gzip.compress(
        f"<urlset {NS}><url><loc>https://s.example/a/</loc><lastmod>2025-07-26</lastmod></url>"
        "<url><loc>https://s.example/b/</loc><lastmod>not a date</lastmod></url></urlset>".encode()
    )
    response = TextResponse("https://s.example/news.xml.gz", body=body)
    sitemap = parse_sitemap(response, max_size=10**6)
    assert sitemap is not None and sitemap.type == "urlset"
    assert [(e.url, e.lastmod) for e in sitemap.entries] == [
        ("https://s.example/a/", datetime(2025, 7, 26, tzinfo=UTC)),
        ("https://s.example/b/", None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Not found</body></html>",
        b"",
        gzip.compress(b"<urlset>" + b"<url><loc>x</loc></url>" * 5000 + b"</urlset>"),
        b"\x1f\x8b\x08corrupt",
        b'<!DOCTYPE urlset [<!ENTITY a "https://s.example/a/">]>'
        b"<urlset><url><loc>&a;</loc></url></urlset>",
    ],
    ids=["html", "empty", "gzip-over-max-size", "corrupt-gzip", "entities"],
)
def test_what_is_not_a_readable_sitemap_gives_none(body: bytes) -> None:
    response = TextResponse("https://s.example/sitemap.xml", body=body)
    assert parse_sitemap(response, max_size=10_000) is None


# -- feeds ----------------------------------------------------------------------------------


def test_rss_items_give_links_and_pub_dates() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        b"<channel><item><title>A</title><atom:link href='https://x/self' rel='self'/>"
        b"<link>https://s.example/a/</link><pubDate>Sat, 26 Jul 2025 14:03:00 +0500</pubDate>"
        b"</item><item><guid>https://s.example/b/</guid></item>"
        b"<item><guid isPermaLink='false'>tag:1</guid></item></channel></rss>"
    )
    entries = parse_feed(xml("https://s.example/feed/", body))
    assert entries is not None
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://s.example/a/", datetime(2025, 7, 26, 9, 3, tzinfo=UTC)),
        ("https://s.example/b/", None),
    ]


def test_atom_entries_give_alternate_links_and_updated_times() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b'<link rel="edit" href="/edit/1"/><link href="/news/1"/>'
        b"<published>2025-07-25T00:00:00Z</published><updated>2025-07-26T00:00:00Z</updated>"
        b"</entry></feed>"
    )
    entries = parse_feed(xml("https://s.example/atom.xml", body))
    assert entries is not None
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://s.example/news/1", datetime(2025, 7, 26, tzinfo=UTC))
    ]


def test_an_html_page_is_not_a_feed_but_may_advertise_feeds() -> None:
    page = html(
        "https://s.example/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">'
        '<link rel="alternate" type="application/atom+xml" href="https://s.example/atom">'
        '<link rel="stylesheet" href="/style.css"></head><body></body></html>',
    )
    assert parse_feed(page) is None
    assert autodiscovered_feeds(page) == ["https://s.example/feed/", "https://s.example/atom"]


# -- links ----------------------------------------------------------------------------------


def test_next_page_and_selected_links() -> None:
    page = html(
        "https://s.example/category/x/",
        '<div class="card"><h2><a href="/a/">A</a></h2></div>'
        '<a class="next page-numbers" href="/category/x/page/2/">Next</a>',
    )
    assert next_page_links(page) == ["https://s.example/category/x/page/2/"]
    assert select_urls(page, "div.card h2") == ["https://s.example/a/"]
    assert select_urls(page, "//div[@class='card']//a/@href") == ["https://s.example/a/"]


def test_a_listing_paged_by_numbers_in_its_urls() -> None:
    page = html(
        "https://s.example/latest?start=20",
        '<a href="/news/7">A story</a><a href="/?p=12">A post</a><a href="/latest">1</a>'
        '<a href="/latest?start=60">4</a><a href="/latest?start=40">3</a>'
        '<a href="/latest?start=40&amp;sort=old">Oldest first</a>',
    )
    assert next_page_links(page) == ["https://s.example/latest?start=40"]
    later, earlier = numbered_pages(page.url, page_links(page))
    assert later == ["https://s.example/latest?start=40", "https://s.example/latest?start=60"]
    assert earlier == ["https://s.example/latest"]


#: Links of every kind a page may hold: relative to a <base>, repeated, nofollow first or
#: later, empty, files, other schemes, bogus, non-ASCII, fragments, queries, XHTML <area>.
TRICKY_LINKS = (
    '<html><head><base href="/sub/dir/"></head><body><a href=" rel/one ">1</a>'
    '<a href="rel/one" rel="nofollow">1</a><a href="/x" rel="nofollow">x</a><a href="/x">x</a>'
    '<a href="">empty</a><a>none</a><area href="/area"><a href="mailto:a@b.c">m</a>'
    '<a href="javascript:void(0)">j</a><a href="ftp://h/f.txt">f</a><a href="/f.PDF">p</a>'
    '<a href="/i.JPG?x=1">i</a><a href="/a.tar.gz">t</a><a href="http://[bad">b</a>'
    '<a href="http://h:99999/p">port</a><a href="/پاکستان/خبر">ur</a><a href="/%d9%be">pct</a>'
    '<a href="//other.example/p">o</a><a href="#frag">f</a><a href="?q=1">q</a>'
    '<a href="/p?x=a b&y=ü">s</a><a href="http://h/p" rel="NoFollow, external">n</a>'
    '<svg><a href="/svg-link">s</a></svg><a href="../../up">u</a><a href="/p.html">h</a>'
    "</body></html>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256"])
def test_page_links_are_those_of_scrapys_link_extractor(encoding: str) -> None:
    page = HtmlResponse(
        "https://s.example/a/b?c=d",
        body=TRICKY_LINKS.encode(encoding, errors="replace"),
        encoding=encoding,
    )
    scrapy_links = [link.url for link in LinkExtractor().extract_links(page) if not link.nofollow]
    assert page_links(page) == scrapy_links
    assert "https://s.example/sub/dir/rel/one" in scrapy_links
    assert "https://s.example/x" not in scrapy_links  # its first link says nofollow


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://s.example/a/b?c=d", ""),
        ("http://s.example/other/page/", ""),
        ("https://s.example/a/", '<base href="http://mirror.example/m/">'),
        ("http://t.example/", '<base href="https://s.example/">'),
    ],
)
def test_links_remembered_by_origin_resolve_as_on_first_sight(url: str, base: str) -> None:
    """Navigation links are resolved once per scheme and host; the same hrefs on pages with
    other paths, schemes, hosts and bases still resolve as Scrapy resolves them."""
    body = TRICKY_LINKS.replace('<base href="/sub/dir/">', base).encode()
    for page_url in (url, url + "deeper/page.html"):
        page = HtmlResponse(page_url, body=body, encoding="utf-8")
        extracted = LinkExtractor().extract_links(page)
        assert page_links(page) == [link.url for link in extracted if not link.nofollow]


# -- hosts and traps ------------------------------------------------------------------------


def test_the_site_and_its_www_form_only_over_http() -> None:
    policy = HostPolicy.of(["ispr.gov.pk", "https://mirror.example:8080/"])
    assert policy.reason("https://www.ispr.gov.pk/a") is None
    assert policy.reason("http://mirror.example/b") is None
    assert policy.reason("https://news.ispr.gov.pk/a") == "offsite"
    assert policy.reason("ftp://ispr.gov.pk/a") == "scheme"
    assert policy.reason("mailto:ispr@ispr.gov.pk") == "scheme"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://s.example/news/1/story", None),
        ("https://s.example/?p=83562", None),
        ("https://s.example/2025/07/26/story/", None),
        ("https://s.example/section/x?page=3", None),
        ("https://s.example/calendar/2025-08/", "calendar"),
        ("https://s.example/events/?month=2025-08", "calendar"),
        ("https://s.example/archive/2091/05/", "calendar"),
        ("https://s.example/?s=ispr", "search"),
        ("https://s.example/search/ispr/", "search"),
        ("https://s.example/story/?replytocom=12", "variant"),
        ("https://s.example/story/print/", "variant"),
        ("https://s.example/story/feed/", "variant"),
        ("https://s.example/story/amp/x", "variant"),
        ("https://s.example/a/b/a/b/a/b/", "repeated_segments"),
        ("https://s.example/" + "/".join("abcdefghijklm"), "deep_path"),
        ("https://s.example/p?" + "x" * 2100, "long_url"),
        ("https://s.example/list?a=1&b=2&c=3&d=4&e=5", "query_params"),
        ("https://s.example/wp-login.php?redirect=1", "non_content"),
    ],
)
def test_trap_reasons(url: str, reason: str | None) -> None:
    assert TrapFilter(RULES, now=NOW).reason(url) == reason


def test_endless_query_permutations_stop_at_the_shape_limit() -> None:
    traps = TrapFilter(replace(RULES, max_query_shapes=2), now=NOW)
    assert traps.reason("https://s.example/list?sort=a") is None
    assert traps.reason("https://s.example/list?sort=b&view=c") is None
    assert traps.reason("https://s.example/list?sort=z") is None  # a shape already seen
    assert traps.reason("https://s.example/list?view=c&filter=d") == "query_permutations"
    assert traps.reason("https://s.example/other?view=c&filter=d") is None


def test_session_ids_are_stripped() -> None:
    assert strip_session_ids("https://s.example/a;jsessionid=0AF3?PHPSESSID=9f&id=3&SID=x") == (
        "https://s.example/a?id=3"
    )
    assert strip_session_ids("https://s.example/a?id=3") == "https://s.example/a?id=3"


# -- ids and the Wayback index ----------------------------------------------------------------


def test_an_open_range_stops_after_max_misses_past_the_newest_found_id() -> None:
    ids = IdEnumeration(100, None, max_misses=2)
    taken = [ids.take(), ids.take()]
    ids.record(100, Outcome.FOUND)
    ids.record(101, Outcome.MISSING)
    taken += [ids.take(), ids.take()]  # 101 and 102 may be misses after 100: stop there
    ids.record(102, Outcome.FOUND)
    taken += [ids.take(), ids.take(), ids.take()]
    assert taken == [100, 101, 102, None, 103, 104, None]
    ids.record(103, Outcome.MISSING)
    ids.record(104, Outcome.MISSING)
    assert ids.ids(Outcome.MISSING) == [101]  # 103, 104: past the newest, not missing
    assert ids.in_flight == 0 and ids.range_text() == "100-104"


def test_id_ranges_parse_and_format() -> None:
    assert parse_id_range("7000-7100") == (7000, 7100)
    assert parse_id_range(" 7000- ") == (7000, None)
    with pytest.raises(ValueError, match="ends before"):
        parse_id_range("7100-7000")
    with pytest.raises(ValueError, match="not an id range"):
        parse_id_range("latest")
    assert format_ranges([9, 1, 2, 3, 7, 10]) == "1-3,7,9-10"


def test_cdx_rows_group_by_release_newest_first_skipping_challenge_urls() -> None:
    rows = [
        ["urlkey", "timestamp", "original", "mimetype", "statuscode"],
        ["k", "20220101000000", "http://ispr.gov.pk/press-release-detail.php?id=5", "t", "200"],
        ["k", "20230101000000", "https://www.ispr.gov.pk/press-release-detail?id=5", "t", "200"],
        ["k", "20230101000000", "https://www.ispr.gov.pk/__cf_chl?id=6", "t", "200"],
        ["k", "2023", "https://www.ispr.gov.pk/press-release-detail.php?id=7", "t", "200"],
    ]
    grouped, skipped = captures_by_key(rows, key=lambda url: url.rsplit("=", 1)[-1])
    assert skipped == 2
    assert [c.timestamp for c in grouped["5"]] == ["20230101000000", "20220101000000"]
    assert grouped["5"][0].raw_url("https://web.archive.org/") == (
        "https://web.archive.org/web/20230101000000id_/"
        "https://www.ispr.gov.pk/press-release-detail?id=5"
    )
    assert grouped["5"][0].captured_at == datetime(2023, 1, 1, tzinfo=UTC)
    assert "from=20200501" in cdx_query_url("https://web.archive.org", "x", since="2020-05-01")


# -- blocked pages, backoff, marks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "marker"),
    [
        (
            html("https://s.example/a", "<title>Attention Required! | Cloudflare</title>"),
            "attention required! | cloudflare",
        ),
        (html("https://s.example/a", "<p>x</p>", 503, {"Server": "cloudflare"}), "cloudflare 503"),
        (html("https://s.example/a", "<p>x</p>", 403, {"CF-RAY": "1-KHI"}), "cloudflare 403"),
        (html("https://s.example/a", "<p>A story about a captcha solved by hand.</p>" * 80), None),
        (html("https://s.example/a", "<p>Gone</p>", 404, {"Server": "cloudflare"}), None),
    ],
    ids=["title", "503", "403", "article-mentioning-captcha", "plain-404"],
)
def test_challenge_pages_are_recognised(page: HtmlResponse, marker: str | None) -> None:
    assert response_block_marker(page) == marker


def test_retries_wait_exponentially_or_as_long_as_the_server_asks() -> None:
    backoff = RetryBackoffMiddleware(stats=None, base=1.0, cap=10.0)  # type: ignore[arg-type]
    delays = [
        backoff.delay(Request("https://s.example/", meta={"retry_times": n})) for n in range(6)
    ]
    assert delays == [0.0, 1.0, 2.0, 4.0, 8.0, 10.0]
    asked = Request("https://s.example/", meta={"retry_times": 1, RETRY_AFTER_META: 7.0})
    assert backoff.delay(asked) == 7.0
    response = html("https://s.example/", "", 503, {"Retry-After": "5"})
    request = Request("https://s.example/")
    backoff.process_response(request, response)
    assert request.meta[RETRY_AFTER_META] == 5.0


def test_requests_are_marked_with_their_kind_and_lastmod() -> None:
    meta = mark("sitemap", NOW)
    assert meta == {"newscrawler": {"kind": "sitemap", "lastmod": NOW}}
    assert kind_of(meta) == "sitemap" and kind_of({}) is None
