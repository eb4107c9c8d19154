"""Politeness: robots.txt rules and Crawl-delay, retries with backoff, a User-Agent that says
who crawls."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import NewsSite, html_page
from newscrawler.samples.server import Page
from storage.archive import Archive
from tests.support import CommandCrawler

PROFILE = """\
name = "small"
site = "small"
hosts = ["127.0.0.1"]
base_url = "{url}/"

[discovery]
article_urls = ['/news/\\d+$']

[[discovery.listings]]
url = "/latest"
links = "a.story::attr(href)"

[fields.title]
selectors = ["h1"]

[fields.body]
selectors = ["div.text"]
"""

TEXT = "The delegation discussed regional security and training cooperation at length. " * 5


def small_site(robots: str) -> NewsSite:
    site = NewsSite()
    links = "".join(f'<a class="story" href="/news/{n}">{n}</a>' for n in (1, 2, 3))
    site.add(
        "/latest", html_page("Latest", links + '<a class="story" href="/private/news/4">4</a>')
    )
    for n in (1, 2, 3):
        site.add(
            f"/news/{n}",
            html_page(f"Story {n}", f'<h1>Story {n}</h1><div class="text"><p>{TEXT}</p></div>'),
        )
    site.add("/robots.txt", Page(robots.encode(), content_type="text/plain"))
    return site


def crawl_small(crawl: CommandCrawler, site: NewsSite, tmp_path: Path, *extra: str) -> None:
    profile = tmp_path / "small.toml"
    profile.write_text(PROFILE.format(url=site.url), encoding="utf-8")
    result = crawl(str(profile), *extra)
    assert result.returncode == ExitCode.OK, result.stderr[-3000:]


def test_robots_rules_and_crawl_delay_are_honoured(
    crawl: CommandCrawler, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSCRAWLER_CONTACT_URL", "https://ops.example/crawler")
    robots = "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.6\n"
    with small_site(robots) as site:
        crawl_small(crawl, site, tmp_path)
        times = sorted(t for path, ts in site.times.items() if path != "/robots.txt" for t in ts)
        agents = {r.headers.get("User-Agent") for r in site.requests}
        requested = site.requested_paths()

    assert "/private/news/4" not in requested
    assert len(times) == 4  # the listing and three stories
    assert min(b - a for a, b in pairwise(times)) >= 0.55
    assert agents == {"newscrawler/0.1 (+https://ops.example/crawler)"}
    with Archive.open(crawl.db) as archive:
        assert archive.count_articles() == 3
        stats = archive.runs()[0]["stats"]
    assert stats["newscrawler/crawl_delay"] == 0.6
    assert stats["robotstxt/forbidden"] == 1


def test_server_errors_are_retried_with_growing_waits(
    crawl: CommandCrawler, tmp_path: Path
) -> None:
    with small_site("User-agent: *\nAllow: /\n") as site:
        failing = Page(b"<h1>Service unavailable</h1>", status=503)
        story = html_page("Story 2", f'<h1>Story 2</h1><div class="text"><p>{TEXT}</p></div>')
        site.script("/news/2", [failing, failing, Page(story.encode())])
        crawl_small(
            crawl, site, tmp_path, "-s", "RETRY_TIMES=2", "-s", "NEWSCRAWLER_RETRY_BACKOFF_BASE=0.4"
        )
        attempts = site.times["/news/2"]

    assert len(attempts) == 3
    first_wait, second_wait = (b - a for a, b in pairwise(attempts))
    assert 0.35 <= first_wait < second_wait and second_wait >= 0.75
    with Archive.open(crawl.db) as archive:
        assert archive.count_articles() == 3
