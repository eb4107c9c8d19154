"""The acceptance figure: a re-crawl of an unchanged site of 500 articles makes at most 5% of
the first crawl's requests, counted in the site's own request log."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.server import SampleSite
from tests.incremental.sites import ChangingSite, Crawls


@pytest.mark.slow
def test_recrawl_of_an_unchanged_site_makes_under_5_percent_of_the_requests(
    crawls_of: Callable[[SampleSite], Crawls],
) -> None:
    with ChangingSite(500, per_page=10) as site:
        crawls = crawls_of(site)
        first = crawls.run()
        first_requests = site.count_requests()
        site.requests.clear()
        second = crawls.run()
        second_requests = site.count_requests()

    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert first_requests >= 551  # robots.txt, 50 listing pages, 500 releases
    assert second_requests <= 0.05 * first_requests, site.requested_paths()
    assert "new 500" in first.stdout
    assert "new 0, changed 0" in second.stdout
    with crawls.archive() as archive:
        assert archive.count_articles() == 500
        runs = archive.runs()
    assert [run["outcome"] for run in runs] == ["finished", "finished"]
    assert runs[0]["health"] == "ok"
    assert runs[0]["stats"]["newscrawler/incremental/skipped/archived"] >= 10
