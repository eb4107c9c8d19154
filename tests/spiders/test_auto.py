"""Auto mode: sites with no profile, crawled from their URL alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import NewsSite, Story, generate_stories
from newscrawler.samples.portal import portal_site, story_path
from newscrawler.samples.wordpress import post_path, wordpress_site
from newscrawler.text import search_form
from newscrawler.urls import canonicalize_url
from storage.archive import Archive
from tests.support import CommandCrawler

SITES: dict[str, tuple[Callable[[list[Story]], NewsSite], Callable[[Story], str]]] = {
    "wordpress": (wordpress_site, post_path),
    "portal": (portal_site, story_path),
}


@pytest.mark.parametrize("shape", sorted(SITES))
def test_an_unknown_site_is_archived_from_its_url_alone(shape: str, crawl: CommandCrawler) -> None:
    make_site, path_of = SITES[shape]
    stories = generate_stories(30)
    with make_site(stories) as site:
        result = crawl(f"{site.url}/")
        requested = site.requested_paths()
        expected = {canonicalize_url(site.absolute(path_of(s))): s for s in stories}

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with Archive.open(crawl.db) as archive:
        articles = {a["url"]: a for a in archive.iter_articles()}
    correct = [
        url
        for url, story in expected.items()
        if url in articles
        and articles[url]["title"] == story.title
        and search_form(articles[url]["body"]) == search_form(story.body)
    ]
    assert len(correct) / len(stories) >= 0.95, sorted(set(expected) - set(correct))
    # Nothing but articles: no home, section, category, tag, author, about or contact page.
    assert set(articles) <= set(expected), sorted(set(articles) - set(expected))
    # Each article requested once, whatever form its links took.
    article_requests = [p for p in requested if any(p == path_of(s) for s in stories)]
    assert len(article_requests) == len(set(article_requests))
    assert not [p for p in requested if "replytocom" in p or "share=" in p or "PHPSESSID" in p]


def test_auto_mode_reads_robots_sitemaps_and_advertised_feeds(crawl: CommandCrawler) -> None:
    stories = generate_stories(12)
    with portal_site(stories, robots="User-agent: *\nSitemap: /hidden/map.xml\n") as site:
        only_in_sitemap = [s for s in stories if s.category == "sports"][-1]
        site.add(
            "/hidden/map.xml",
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{site.url}/extra/{only_in_sitemap.number}</loc></url></urlset>",
        )
        site.add(f"/extra/{only_in_sitemap.number}", site.pages[story_path(only_in_sitemap)])
        result = crawl(f"{site.url}/")
        requested = site.requested_paths()

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "/hidden/map.xml" in requested and "/rss.xml" in requested
    assert f"/extra/{only_in_sitemap.number}" in requested


def test_a_deep_listing_is_followed_to_its_end(crawl: CommandCrawler) -> None:
    stories = generate_stories(150)
    listing = [f"/latest?start={start}" for start in range(20, 150, 20)]
    with portal_site(stories, listing="latest") as site:
        first = crawl(f"{site.url}/")
        crawled = len(site.requested_paths())
        again = crawl(f"{site.url}/")
        recrawled = site.requested_paths()[crawled:]
        expected = {canonicalize_url(site.absolute(story_path(s))) for s in stories}

    assert first.returncode == again.returncode == ExitCode.OK, again.stderr[-3000:]
    with Archive.open(crawl.db) as archive:
        archived = {a["url"] for a in archive.iter_articles()}
    # Eight pages deep, each page as deep as the first: every article is reached.
    assert archived == expected, sorted(expected - archived)[:5]
    # The re-crawl finds the listing's first page as it was and pages no further (its own
    # stop: tests/incremental/test_auto_recrawl.py), and fetches no article.
    assert "/latest" in recrawled
    assert not [p for p in recrawled if p in listing]
    assert not [p for p in recrawled if p.startswith("/news/")]


def test_articles_published_minutes_before_the_crawl_keep_their_dates(
    crawl: CommandCrawler,
) -> None:
    minute = datetime.now(UTC).replace(second=0, microsecond=0)
    stories = [
        replace(story, published=minute - timedelta(minutes=1 + 2 * n))
        for n, story in enumerate(generate_stories(5))
    ]
    # Each story states its time only below its headline; the header shows the site's clock.
    with portal_site(stories, dates="visible") as site:
        result = crawl(f"{site.url}/")
        published = {canonicalize_url(site.absolute(story_path(s))): s.published for s in stories}

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with Archive.open(crawl.db) as archive:
        archived = {a["url"]: a["published_at"] for a in archive.iter_articles()}
    assert archived == published
