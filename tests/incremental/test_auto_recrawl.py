"""An unchanged re-crawl of a site in auto mode: robots.txt once, listings not walked to
their end once their pages hold nothing new."""

from __future__ import annotations

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import generate_stories
from newscrawler.samples.wordpress import wordpress_site
from tests.support import CommandCrawler


def test_an_unchanged_auto_mode_recrawl_reads_robots_once_and_stops_listings(
    crawl: CommandCrawler,
) -> None:
    with wordpress_site(generate_stories(60)) as site:
        first = crawl(f"{site.url}/")
        first_requests = site.requested_paths()
        site.requests.clear()
        second = crawl(f"{site.url}/")
        second_requests = site.requested_paths()

    assert first.returncode == second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert first_requests.count("/robots.txt") == second_requests.count("/robots.txt") == 1
    # The home listing runs to /page/12/: two pages that hold nothing new end it.
    assert "/page/3/" in second_requests and "/page/4/" not in second_requests
    assert len(second_requests) <= 0.25 * len(first_requests), second_requests
