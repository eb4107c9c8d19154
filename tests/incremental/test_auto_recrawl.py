"""Unchanged re-crawls of sites in auto mode: robots.txt once, no probe of a path known to be
missing, no navigation page that never led to an article, listings stopped at their first page
when it is as it was; and nothing the site adds is missed for it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import generate_stories
from newscrawler.samples.portal import portal_site
from newscrawler.samples.server import Page
from newscrawler.samples.wordpress import post_path, wordpress_site
from newscrawler.urls import canonicalize_url
from storage.archive import Archive
from tests.support import LOCAL, CommandCrawler, newscrawler_command

#: The sitemap and feed paths auto mode probes that the WordPress sample does not have.
MISSING_PROBES = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml", "/rss", "/rss.xml")


def crawled(crawl: CommandCrawler, site: Any, *extra: str) -> tuple[Any, list[str]]:
    """A crawl of ``site`` from its home page, and the paths it requested."""
    site.requests.clear()
    result = crawl(f"{site.url}/", *extra)
    return result, site.requested_paths()


def run_stats(crawl: CommandCrawler) -> dict[str, object]:
    with Archive.open(crawl.db) as archive:
        stats: dict[str, object] = archive.runs(limit=1)[0]["stats"]
    return stats


@pytest.mark.parametrize("validators", [False, True], ids=["no-validators", "etags"])
def test_an_unchanged_recrawl_makes_at_most_a_tenth_of_the_requests(
    crawl: CommandCrawler, validators: bool
) -> None:
    site = wordpress_site(generate_stories(60), validators=validators)
    with site:
        first, first_requests = crawled(crawl, site)
        second, second_requests = crawled(crawl, site)
        second_log = list(site.requests)
        second_stats = run_stats(crawl)
        third, third_requests = crawled(crawl, site)

    for result in (first, second, third):
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "new 60" in first.stdout and "new 0, changed 0" in second.stdout
    assert len(second_requests) <= 0.10 * len(first_requests), second_requests
    assert first_requests.count("/robots.txt") == second_requests.count("/robots.txt") == 1
    for probe in MISSING_PROBES:  # probed once, skipped until due
        assert probe in first_requests and probe not in second_requests
    # Navigation that never led to an article, and a link that answered 404: not asked again.
    for path in ("/about/", "/contact/", "/?m=202506", "/wp-sitemap-users-1.xml"):
        assert path in first_requests and path not in second_requests
    # The listings are read, each as far as its first page, which is as it was.
    for listing in ("/", "/category/pakistan/", "/category/world/", "/category/sports/"):
        assert listing in second_requests
    assert not [path for path in second_requests if "/page/" in path]
    assert second_stats["newscrawler/incremental/skipped/missing"] == len(MISSING_PROBES) + 2
    assert second_stats["newscrawler/incremental/skipped/navigation"] == 2
    if validators:
        home = next(r for r in second_log if r.path == "/")
        assert home.headers.get("If-None-Match", "").startswith('"')
        assert second_stats["newscrawler/discovery/not_modified"] == len(second_requests) - 1
    # What the first re-crawl found as it was is remembered as well: the next costs the same.
    assert sorted(third_requests) == sorted(second_requests)


def test_listing_pages_whose_other_bytes_change_are_unchanged_by_their_links(
    crawl: CommandCrawler,
) -> None:
    with wordpress_site(generate_stories(60)) as site:
        first, first_requests = crawled(crawl, site)
        # Every page now says when it was made, as many sites' pages do.
        for path, page in list(site.pages.items()):
            body = page.body.replace(b"</body>", b"<p>Generated at 09:41:07</p></body>")
            site.pages[path] = replace(page, body=body)
        second, second_requests = crawled(crawl, site)

    for result in (first, second):
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "new 0, changed 0" in second.stdout
    assert len(second_requests) <= 0.10 * len(first_requests), second_requests
    assert not [path for path in second_requests if "/page/" in path]


@pytest.mark.slow
def test_an_unchanged_recrawl_of_5000_articles_makes_at_most_2_percent_of_the_requests(
    crawl: CommandCrawler,
) -> None:
    with wordpress_site(generate_stories(5000)) as site:
        command = ("crawl", f"{site.url}/", "--db", crawl.db, *LOCAL)
        first = newscrawler_command(*command, cwd=crawl.workdir, timeout=900)
        first_requests = site.requested_paths()
        site.requests.clear()
        second = newscrawler_command(*command, cwd=crawl.workdir, timeout=900)
        second_requests = site.requested_paths()

    for result in (first, second):
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "new 5000" in first.stdout and "new 0, changed 0" in second.stdout
    assert len(first_requests) > 5000
    assert len(second_requests) <= 0.02 * len(first_requests), second_requests


def test_an_unchanged_portal_recrawl_skips_its_navigation_and_galleries(
    crawl: CommandCrawler,
) -> None:
    with portal_site(generate_stories(60)) as site:
        first, first_requests = crawled(crawl, site)
        second, second_requests = crawled(crawl, site)

    assert first.returncode == second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert len(second_requests) <= 0.10 * len(first_requests), second_requests
    for path in ("/about-us", "/contact", "/privacy-policy", "/gallery/", "/gallery/gallery/"):
        assert path in first_requests and path not in second_requests
    assert {"/", "/rss.xml", "/section/pakistan"} <= set(second_requests)


@pytest.mark.parametrize("validators", [False, True], ids=["no-validators", "etags"])
def test_an_article_added_to_the_site_is_archived_by_the_next_recrawl(
    crawl: CommandCrawler, validators: bool
) -> None:
    stories = generate_stories(61)
    site = wordpress_site(stories[:60], validators=validators)
    with site:
        first, first_requests = crawled(crawl, site)
        site.stories.append(stories[60])
        site.publish()
        second, second_requests = crawled(crawl, site)
        url = canonicalize_url(site.absolute(post_path(stories[60])))

    assert first.returncode == second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert "new 1, changed 0" in second.stdout
    with Archive.open(crawl.db) as archive:
        assert archive.count_articles() == 61
        assert archive.get_article(url) is not None
    assert len(second_requests) <= 0.15 * len(first_requests), second_requests


def test_a_probe_path_that_appears_later_is_found_once_it_is_due(
    crawl: CommandCrawler,
) -> None:
    stories = generate_stories(61)
    hidden = stories[60]
    with wordpress_site(stories[:60]) as site:
        first = crawl(f"{site.url}/")
        # The site adds a news sitemap that lists a story no page links to.
        site.add(
            "/news-sitemap.xml",
            Page(
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{site.url}/hidden/</loc></url></urlset>".encode(),
                content_type="application/xml",
            ),
        )
        only_posts = wordpress_site([hidden])
        with only_posts:
            site.add("/hidden/", only_posts.pages[post_path(hidden)])
        not_due, not_due_requests = crawled(crawl, site)
        due, due_requests = crawled(crawl, site, "-s", "NEWSCRAWLER_DISCOVERY_REPROBE_DAYS=0")

    for result in (first, not_due, due):
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "/news-sitemap.xml" not in not_due_requests and "new 0" in not_due.stdout
    assert "/news-sitemap.xml" in due_requests and "/hidden/" in due_requests
    assert "new 1" in due.stdout
    with Archive.open(crawl.db) as archive:
        assert archive.count_articles() == 61


def test_navigation_pages_are_read_again_once_due(crawl: CommandCrawler) -> None:
    site = wordpress_site(generate_stories(30), validators=True)
    with site:
        first = crawl(f"{site.url}/")
        site.requests.clear()
        second = crawl(f"{site.url}/", "-s", "NEWSCRAWLER_DISCOVERY_REVISIT_DAYS=0")
        second_log = list(site.requests)

    assert first.returncode == second.returncode == ExitCode.OK, second.stderr[-3000:]
    about = [r for r in second_log if r.path == "/about/"]
    assert len(about) == 1 and "If-None-Match" in about[0].headers  # asked, conditionally
    assert not [r for r in second_log if r.path == "/sitemap.xml"]  # probes: not due


def test_without_the_discovery_memory_a_recrawl_probes_again(crawl: CommandCrawler) -> None:
    with wordpress_site(generate_stories(30)) as site:
        crawl(f"{site.url}/")
        again, requested = crawled(crawl, site, "-s", "NEWSCRAWLER_DISCOVERY_MEMORY=False")

    assert again.returncode == ExitCode.OK, again.stderr[-3000:]
    assert set(MISSING_PROBES) <= set(requested) and "/about/" in requested
