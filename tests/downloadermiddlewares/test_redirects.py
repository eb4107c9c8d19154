"""Redirects stay on the crawl's own hosts and never lead to an internal address."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import Response

from newscrawler.discovery.hosts import HostPolicy
from newscrawler.downloadermiddlewares.redirects import (
    RedirectLoopMiddleware,
    internal_address,
    refusal,
)
from newscrawler.exceptions import RedirectLoop
from newscrawler.samples.ispr import generate_releases, ispr_like_site, release_page
from newscrawler.samples.server import Page, SampleSite
from newscrawler.stats import REDIRECT_OFFSITE_STAT, UNFETCHED_STAT
from tests.spiders.support import crawl_stats

SITE = HostPolicy.of(["www.ispr.gov.pk"])
RELEASE = "https://www.ispr.gov.pk/press-release-detail.php?id=7045"


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("https://ispr.gov.pk/press-release-detail.php?id=7045", None),
        ("http://www.ispr.gov.pk/pr/7045", None),
        ("https://news.example.pk/ispr-7045", "another host"),
        ("http://10.0.0.1/admin", "an internal address"),
        ("http://192.168.1.1/", "an internal address"),
        ("http://169.254.169.254/latest/meta-data/", "an internal address"),
        ("http://127.0.0.1:8080/", "an internal address"),
        ("http://[::1]/", "an internal address"),
        ("http://localhost/", "an internal address"),
        ("ftp://www.ispr.gov.pk/file", "another host"),
    ],
)
def test_a_redirect_hop_is_checked_against_the_crawl(target: str, reason: str | None) -> None:
    assert refusal(target, RELEASE, SITE) == reason


def test_a_crawl_of_an_internal_host_may_be_redirected_within_it() -> None:
    local = HostPolicy.of(["127.0.0.1"])
    assert refusal("http://127.0.0.1:9000/b", "http://127.0.0.1:9000/a", local) is None
    assert refusal("http://127.0.0.2:9000/b", "http://127.0.0.1:9000/a", local) == "another host"


@pytest.mark.parametrize(
    ("host", "internal"),
    [("10.1.2.3", True), ("172.16.0.1", True), ("fe80::1", True), ("0.0.0.0", True),
     ("ispr.gov.pk", False), ("8.8.8.8", False), ("2001:4860:4860::8888", False)],
)  # fmt: skip
def test_internal_addresses(host: str, internal: bool) -> None:
    assert internal_address(host) is internal


def test_a_redirect_to_another_host_is_neither_fetched_nor_archived_nor_retried(
    sqlite_url: str, crawl_state_dir: Path
) -> None:
    moved = generate_releases(30)[4]
    with ispr_like_site(30, per_page=10) as site, SampleSite() as elsewhere:
        elsewhere_url = elsewhere.url.replace("127.0.0.1", "localhost")
        elsewhere.add("/copy", release_page(moved))
        site.add(moved.path, Page(b"", status=302, headers={"Location": f"{elsewhere_url}/copy"}))
        redirecting = f"{site.url}{moved.path}"
        settings = {"ARCHIVE_URL": sqlite_url, "NEWSCRAWLER_STATE_DIR": str(crawl_state_dir)}
        (stats,) = crawl_stats(settings, ("ispr", {"base_url": site.url}))

    assert elsewhere.requests == []
    assert stats[REDIRECT_OFFSITE_STAT] == 1
    assert stats["newscrawler/archive/new"] == 29
    assert redirecting not in stats.get(UNFETCHED_STAT, [])


def test_a_redirect_within_the_site_is_followed(sqlite_url: str, crawl_state_dir: Path) -> None:
    release = generate_releases(1)[0]
    with SampleSite() as site:
        site.add(release.path, release_page(release))
        site.add("/old", Page(b"", status=301, headers={"Location": f"{site.url}{release.path}"}))
        settings = {"ARCHIVE_URL": sqlite_url, "NEWSCRAWLER_STATE_DIR": str(crawl_state_dir)}
        (stats,) = crawl_stats(settings, ("scrape", {"urls": f"{site.url}/old"}))

    assert REDIRECT_OFFSITE_STAT not in stats
    assert stats["newscrawler/archive/new"] == 1


@pytest.mark.parametrize(
    ("location", "loops"),
    [("/a", True), ("http://s.example/b", True), ("/c", False), ("/a?page=2", False)],
)
def test_a_redirect_back_into_its_own_chain_is_a_loop(location: str, loops: bool) -> None:
    request = Request("http://s.example/b", meta={"redirect_urls": ["http://s.example/a"]})
    response = Response(request.url, status=302, headers={"Location": location})
    middleware = RedirectLoopMiddleware()
    if loops:
        with pytest.raises(RedirectLoop, match=r"redirect loop: http://s.example/a -> "):
            middleware.process_response(request, response)
    else:
        assert middleware.process_response(request, response) is response
