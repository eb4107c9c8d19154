"""ISPR: id enumeration with gaps and challenge pages, and Wayback backfill."""

from __future__ import annotations

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import generate_releases, ispr_like_site, release_page
from newscrawler.samples.server import Page, SampleSite
from newscrawler.samples.wayback import WaybackSite
from storage.archive import Archive
from tests.support import CommandCrawler

CHALLENGE = Page(
    b"<html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have "
    b"been blocked</body></html>",
    status=403,
    headers={"Server": "cloudflare"},
)


def archived_ids(db: str) -> set[int]:
    with Archive.open(db) as archive:
        return {a["extras"]["release_id"] for a in archive.iter_articles()}


def requested_ids(site: SampleSite) -> list[int]:
    prefix = "/press-release-detail.php?id="
    return [int(p.removeprefix(prefix)) for p in site.requested_paths() if p.startswith(prefix)]


def test_an_id_range_reports_missing_and_blocked_ids(crawl: CommandCrawler) -> None:
    with ispr_like_site(20) as site:
        for missing in (7003, 7004, 7010):
            site.remove(f"/press-release-detail.php?id={missing}")
        site.add("/press-release-detail.php?id=7012", CHALLENGE)
        result = crawl("ispr", "-a", f"base_url={site.url}", "--ids", "7000-7019")
        listing_requests = [p for p in site.requested_paths() if "archive" in p]

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert archived_ids(crawl.db) == set(range(7000, 7020)) - {7003, 7004, 7010, 7012}
    assert "ids 7000-7019: found 16, missing 7003-7004,7010, blocked 7012" in result.stdout
    assert "blocked (challenge pages, not archived): 1" in result.stdout
    assert listing_requests == []
    with Archive.open(crawl.db) as archive:
        stats = archive.runs()[0]["stats"]
    assert stats["newscrawler/ids/missing_ids"] == "7003-7004,7010"
    assert stats["newscrawler/blocked"] == 1


def test_open_ids_stop_after_misses_and_next_goes_on_from_the_archive(
    crawl: CommandCrawler,
) -> None:
    releases = generate_releases(16)
    with ispr_like_site(12) as site:
        site.remove("/press-release-detail.php?id=7005")
        misses = ("-s", "NEWSCRAWLER_ISPR_MAX_MISSES=3")
        first = crawl("ispr", "-a", f"base_url={site.url}", "--ids", "7000-", *misses)
        first_ids = requested_ids(site)
        for release in releases[12:]:
            site.add(release.path, release_page(release))
        second = crawl("ispr", "-a", f"base_url={site.url}", "--ids", "next", *misses)
        second_ids = requested_ids(site)[len(first_ids) :]

    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    assert max(first_ids) == 7011 + 3  # three misses in a row after the newest release
    assert "missing 7005" in first.stdout
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert min(second_ids) == 7012 and max(second_ids) == 7015 + 3
    assert archived_ids(crawl.db) == set(range(7000, 7016)) - {7005}


def test_next_needs_an_archived_id(crawl: CommandCrawler) -> None:
    result = crawl("ispr", "--ids", "next")
    assert result.returncode == ExitCode.CONFIG
    assert "give a range" in result.stderr


def test_wayback_backfill_archives_original_urls_with_their_capture_time(
    crawl: CommandCrawler,
) -> None:
    releases = generate_releases(4)
    original = "http://ispr.gov.pk/press-release-detail.php?id={}"
    with WaybackSite() as wayback:
        wayback.capture("20220510120000", original.format(7000), release_page(releases[0]))
        wayback.capture("20230101080000", original.format(7001), release_page(releases[1]))
        # The newest capture of 7002 is a challenge page: the older one is used.
        wayback.capture("20210301000000", original.format(7002), release_page(releases[2]))
        wayback.capture("20240301000000", original.format(7002), CHALLENGE)
        # Before --since: not listed by the index, never fetched.
        wayback.capture("20190101000000", original.format(7003), release_page(releases[3]))
        wayback.index_row("20220101000000", "https://www.ispr.gov.pk/captcha?id=7009")
        result = crawl(
            "ispr",
            "--wayback",
            "--since",
            "2020-01-01",
            "-s",
            f"NEWSCRAWLER_WAYBACK_URL={wayback.url}",
        )
        requested = wayback.requested_paths()

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with Archive.open(crawl.db) as archive:
        articles = {a["url"]: a for a in archive.iter_articles()}
        stats = archive.runs()[0]["stats"]
    canonical = "https://www.ispr.gov.pk/press-release-detail.php?id={}"
    assert set(articles) == {canonical.format(n) for n in (7000, 7001, 7002)}
    captured = {url: a["extras"]["wayback_capture"] for url, a in articles.items()}
    assert captured == {
        canonical.format(7000): "2022-05-10T12:00:00+00:00",
        canonical.format(7001): "2023-01-01T08:00:00+00:00",
        canonical.format(7002): "2021-03-01T00:00:00+00:00",
    }
    assert articles[canonical.format(7001)]["title"] == releases[1].title
    assert not [p for p in requested if "captcha" in p or "20190101000000" in p]
    assert any(p.startswith("/cdx/search/cdx?") and "from=20200101" in p for p in requested)
    assert stats["newscrawler/blocked"] == 1
    assert stats["newscrawler/wayback/skipped_rows"] == 1
    assert "wayback: 3 releases captured, 3 archived" in result.stdout
