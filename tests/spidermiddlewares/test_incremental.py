"""What the incremental middleware fetches and skips, and when archived articles are due."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.extensions.archiveindex import ArchiveIndex
from newscrawler.extensions.unfetched import UnfetchedArticles
from newscrawler.incremental.schedule import RecheckSchedule
from newscrawler.marks import Kind, mark
from newscrawler.spidermiddlewares.incremental import STALE_PAGES, IncrementalCrawlMiddleware
from storage.archive import Archive

NOW = datetime.now(UTC)
SITE = "https://news.example"


class NewsSpider(Spider):
    name = "news"
    site_name = "news"


def marked(url: str, kind: Kind, lastmod: datetime | None = None) -> Request:
    return Request(url, meta=mark(kind, lastmod))


def article(path: str, *, seen: datetime, published: datetime | None = None) -> dict[str, Any]:
    return {
        "url": f"{SITE}{path}",
        "site": "news",
        "title": path,
        "body": f"The text of {path}.",
        "content_hash": path,
        "fetched_at": seen,
        "published_at": published,
    }


@pytest.fixture
def archive_of_news(sqlite_url: str) -> Iterator[Archive]:
    with Archive.open(sqlite_url) as archive:
        archive.write_batch(
            [
                {**article("/old", seen=NOW - timedelta(hours=1)), "aliases": [f"{SITE}/old?p=1"]},
                article("/fresh", seen=NOW - timedelta(hours=2), published=NOW - timedelta(days=1)),
                article("/week", seen=NOW - timedelta(days=8), published=NOW - timedelta(days=30)),
            ]
        )
        run = archive.start_run("news", "news", started_at=NOW - timedelta(minutes=30))
        archive.finish_run(run, outcome="finished", finished_at=NOW - timedelta(minutes=20))
        yield archive


def middleware(archive: Archive, **settings: Any) -> IncrementalCrawlMiddleware:
    crawler = get_crawler(
        NewsSpider,
        {
            "ARCHIVE_URL": archive.url,
            "NEWSCRAWLER_INCREMENTAL": True,
            "NEWSCRAWLER_RECHECK_SCHEDULE": "2d:1h,14d:1d,*:7d",
            "NEWSCRAWLER_INCREMENTAL_STOP_AFTER": 2,
            "NEWSCRAWLER_RECHECK_MAX_PER_RUN": 200,
            "EXTENSIONS": {ArchiveIndex: 0, UnfetchedArticles: 0},
            **settings,
        },
    )
    crawler.spider = crawler._create_spider()
    crawler.get_extension(ArchiveIndex).load("news", "news")
    return IncrementalCrawlMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (marked(f"{SITE}/new", "article"), None),
        (marked(f"{SITE}/old", "article"), "archived"),
        (marked(f"{SITE}/old?p=1", "article"), "archived"),
        (marked(f"{SITE}/fresh", "article"), None),
        (marked(f"{SITE}/week", "article"), None),
        (marked(f"{SITE}/old", "article", NOW), None),
        (marked(f"{SITE}/old", "article", NOW - timedelta(days=3)), "not_newer"),
        (
            marked(f"{SITE}/2019.xml", "sitemap", NOW - timedelta(days=400)),
            "source_unchanged",
        ),
        (marked(f"{SITE}/sitemap-new.xml", "sitemap", NOW), None),
        (marked(f"{SITE}/old", "page"), "archived"),
        (marked(f"{SITE}/section", "page"), None),
        (marked(f"{SITE}/old", "listing"), None),
        (Request(f"{SITE}/old"), None),
    ],
)
def test_skip_reasons(archive_of_news: Archive, request_: Request, reason: str | None) -> None:
    assert middleware(archive_of_news).skip_reason(request_) == reason


def test_since_skips_older_sitemap_entries_and_rechecks(archive_of_news: Archive) -> None:
    mw = middleware(archive_of_news, NEWSCRAWLER_SINCE="2020-01-01")
    old_entry = marked(f"{SITE}/2019/story", "article", datetime(2019, 12, 31, 23, tzinfo=UTC))
    assert mw.skip_reason(old_entry) == "before_since"
    assert mw.skip_reason(marked(f"{SITE}/2020/story", "article", datetime(2020, 1, 1))) is None


def test_due_rechecks_are_scheduled_oldest_check_first(archive_of_news: Archive) -> None:
    mw = middleware(archive_of_news, NEWSCRAWLER_RECHECK_MAX_PER_RUN=1)
    mw.crawler.spider.parse_article = lambda response: None  # type: ignore[union-attr]

    rechecks = list(mw._rechecks())

    assert [r.url for r in rechecks] == [f"{SITE}/week"]
    assert rechecks[0].meta["newscrawler"]["kind"] == "article"


def listing_page(number: int, stale_before: int = 0) -> HtmlResponse:
    url = f"{SITE}/news?page={number}"
    request = marked(url, "listing")
    request.meta[STALE_PAGES] = stale_before
    return HtmlResponse(url, body=b"<html></html>", request=request)


def follow(mw: IncrementalCrawlMiddleware, response: HtmlResponse, *out: Request) -> list[str]:
    async def output() -> AsyncIterator[Request]:
        for request in out:
            yield request

    async def collect() -> list[str]:
        return [r.url async for r in mw.process_spider_output(response, output())]

    return asyncio.run(collect())


def test_paging_stops_after_pages_that_hold_only_archived_articles(
    archive_of_news: Archive,
) -> None:
    mw = middleware(archive_of_news)
    next_page = marked(f"{SITE}/news?page=3", "listing")
    known = marked(f"{SITE}/old", "article")

    assert follow(mw, listing_page(1), known, next_page) == [next_page.url]
    assert next_page.meta[STALE_PAGES] == 1
    assert follow(mw, listing_page(2, stale_before=1), known, next_page) == []
    fresh = marked(f"{SITE}/brand-new", "article")
    assert follow(mw, listing_page(2, 1), known, fresh, next_page) == [fresh.url, next_page.url]
    assert next_page.meta[STALE_PAGES] == 0


def test_pages_whose_links_the_run_found_already_count_as_stale(
    archive_of_news: Archive,
) -> None:
    """The sitemap was read first: the listing's links were all requested or skipped already,
    so the pages lead to no article request."""
    mw = middleware(archive_of_news)
    next_page = marked(f"{SITE}/news?page=3", "listing")

    assert follow(mw, listing_page(1), next_page) == [next_page.url]
    assert next_page.meta[STALE_PAGES] == 1
    assert follow(mw, listing_page(2, stale_before=1), next_page) == []


def test_a_recovering_run_walks_listings_to_their_end(archive_of_news: Archive) -> None:
    run = archive_of_news.start_run("news", "news", started_at=NOW - timedelta(minutes=10))
    archive_of_news.finish_run(run, outcome="killed", finished_at=NOW)
    mw = middleware(archive_of_news)
    next_page = marked(f"{SITE}/news?page=9", "listing")

    urls = follow(mw, listing_page(8, stale_before=5), marked(f"{SITE}/old", "article"), next_page)

    assert mw.index.history.mode == "recover"
    assert urls == [next_page.url]


@pytest.mark.parametrize(
    ("published_days", "checked_hours", "due"),
    [
        (1, 0.5, False),
        (1, 1, True),
        (10, 20, False),
        (10, 24, True),
        (100, 24 * 6, False),
        (100, 24 * 7, True),
        (None, 24 * 6, False),
        (None, 24 * 7, True),
    ],
)
def test_rechecks_back_off_with_age(
    published_days: float | None, checked_hours: float, due: bool
) -> None:
    schedule = RecheckSchedule.parse("2d:1h, 14d:1d, *:7d")
    published = None if published_days is None else NOW - timedelta(days=published_days)
    checked = NOW - timedelta(hours=checked_hours)
    assert schedule.is_due(published_at=published, checked_at=checked, now=NOW) is due


def test_a_schedule_can_stop_rechecks_or_check_every_run() -> None:
    never = RecheckSchedule.parse("*:never")
    always = RecheckSchedule.parse("*:0")
    assert not never.is_due(published_at=None, checked_at=NOW - timedelta(days=999), now=NOW)
    assert always.is_due(published_at=None, checked_at=NOW, now=NOW)


@pytest.mark.parametrize("text", ["", "2d:1h", "2d", "*:soon", "1y:1d,*:7d"])
def test_a_malformed_schedule_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        RecheckSchedule.parse(text)
