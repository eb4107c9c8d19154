"""Titles a site puts on every page: learned by a crawl, kept in the archive, used by scrapes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.official import SITE_TITLE, official_site, release_path
from newscrawler.stats import UNFETCHED_STAT
from newscrawler.urls import canonicalize_url
from storage.archive import Archive
from tests.spiders.support import crawl_stats
from tests.support import LOCAL, CommandCrawler, newscrawler_command


def test_a_template_title_is_learned_and_the_heading_is_the_title(crawl: CommandCrawler) -> None:
    site, releases = official_site(12)
    with site:
        result = crawl(f"{site.url}/")
        expected = {canonicalize_url(site.url + release_path(r)): r for r in releases}

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with Archive.open(crawl.db) as archive:
        articles = {a["url"]: a for a in archive.iter_articles()}
        learned = archive.site_titles()
    assert {url: a["title"] for url, a in articles.items()} == {
        url: release.title for url, release in expected.items()
    }
    for url, release in expected.items():
        assert release.paragraphs[0] in articles[url]["body"]
        assert not articles[url]["body"].startswith((release.title, "Press Release"))
    assert learned == {"127.0.0.1": {"Press Release"}}


def test_a_scrape_uses_the_learned_site_title(crawl: CommandCrawler) -> None:
    site, releases = official_site(2)
    with Archive.open(crawl.db) as archive:
        learned_at = datetime(2026, 12, 1, tzinfo=UTC)
        archive.add_site_titles("127.0.0.1", {SITE_TITLE: 3}, learned_at=learned_at)
    with site:
        url = site.url + release_path(releases[0])
        result = newscrawler_command("scrape", url, "--db", crawl.db, *LOCAL, cwd=crawl.workdir)

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with Archive.open(crawl.db) as archive:
        article = archive.get_article(canonicalize_url(url))
    assert article is not None
    assert article["title"] == releases[0].title


def auto_crawl(site_url: str, workdir: Path, **limits: Any) -> dict[str, Any]:
    """The stats of an auto-mode crawl of ``site_url`` into an archive of its own."""
    workdir.mkdir()
    settings = {
        "ARCHIVE_URL": f"sqlite:///{workdir / 'archive.sqlite3'}",
        "NEWSCRAWLER_STATE_DIR": str(workdir / "state"),
        **limits,
    }
    (stats,) = crawl_stats(settings, ("auto", {"url": f"{site_url}/"}))
    return stats


def test_articles_held_when_a_crawl_stops_are_fetched_by_the_next_run(tmp_path: Path) -> None:
    """Two releases wait for a third to tell whether their title is the site's. A crawl that
    ends releases them to the archive; one stopped at its last page hands them to the next run
    instead of losing them."""
    site, releases = official_site(2)
    with site:
        urls = {canonicalize_url(site.url + release_path(r)) for r in releases}
        whole = auto_crawl(site.url, tmp_path / "whole")
        pages = whole["response_received_count"]
        stopped = auto_crawl(site.url, tmp_path / "stopped", CLOSESPIDER_PAGECOUNT=pages)

    assert whole["newscrawler/archive/new"] == 2 and not whole[UNFETCHED_STAT]
    assert stopped["finish_reason"] == "closespider_pagecount"
    assert stopped.get("newscrawler/archive/new", 0) == 0
    assert set(stopped[UNFETCHED_STAT]) == urls
