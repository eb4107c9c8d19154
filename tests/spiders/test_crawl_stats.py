"""In-process crawls of local sites, read through their crawl stats: what each component
counted, beside the command-line crawls of tests/pipelines/test_archive.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newscrawler.samples.ispr import generate_releases, ispr_like_site
from newscrawler.samples.server import Page, SampleSite
from newscrawler.stats import BLOCKED_STAT, EXTRACTED_STAT, FETCH_FAILED_PREFIX
from tests.extract.support import PAGES
from tests.spiders.support import crawl_stats

#: A Cloudflare challenge as ispr.gov.pk serves it to scripted clients.
CHALLENGE = PAGES / "ispr" / "challenge.html"
#: The ISPR spider, and the profile spider reading the site with the built-in ``ispr`` profile.
ISPR_SPIDERS = {"ispr": {}, "profile": {"profile": "ispr"}}


def ispr_crawls(
    site: SampleSite, archive_url: str, state: Path, *, spider: str = "ispr", times: int = 1
) -> list[dict[str, Any]]:
    settings = {"ARCHIVE_URL": archive_url, "NEWSCRAWLER_STATE_DIR": str(state)}
    arguments = {**ISPR_SPIDERS[spider], "base_url": site.url}
    return crawl_stats(settings, *[(spider, arguments)] * times)


@pytest.mark.parametrize("spider", ISPR_SPIDERS)
def test_a_crawl_archives_every_release_and_the_next_skips_them(
    spider: str, ispr_site: SampleSite, sqlite_url: str, crawl_state_dir: Path
) -> None:
    first, second = ispr_crawls(ispr_site, sqlite_url, crawl_state_dir, spider=spider, times=2)

    assert first["finish_reason"] == "finished"
    assert first["item_scraped_count"] == 30
    assert first[EXTRACTED_STAT] == 30
    assert first["newscrawler/archive/new"] == 30
    assert "log_count/ERROR" not in first
    # The unchanged site: the first two listing pages hold only archived releases, which
    # are skipped, and the third page is never asked for.
    assert second["finish_reason"] == "finished"
    assert second.get("item_scraped_count", 0) == 0
    assert second.get("newscrawler/archive/new", 0) == 0
    assert second["newscrawler/incremental/skipped/archived"] == 20
    assert second["newscrawler/incremental/listing_stops"] == 1
    assert "log_count/ERROR" not in second


def test_a_challenge_page_is_counted_as_blocked_and_not_archived(
    sqlite_url: str, crawl_state_dir: Path
) -> None:
    challenged = generate_releases(30)[4]
    with ispr_like_site(30, per_page=10) as site:
        site.add(challenged.path, Page(CHALLENGE.read_bytes(), status=403))
        (stats,) = ispr_crawls(site, sqlite_url, crawl_state_dir)

    assert stats[BLOCKED_STAT] == 1
    assert stats[f"{FETCH_FAILED_PREFIX}blocked"] == 1
    assert stats["newscrawler/archive/new"] == 29
    assert "log_count/ERROR" not in stats


def test_a_missing_article_is_counted_as_a_failed_fetch(
    sqlite_url: str, crawl_state_dir: Path
) -> None:
    missing = generate_releases(30)[7]
    with ispr_like_site(30, per_page=10) as site:
        site.remove(missing.path)
        (stats,) = ispr_crawls(site, sqlite_url, crawl_state_dir)

    assert stats[f"{FETCH_FAILED_PREFIX}http_404"] == 1
    assert stats["newscrawler/archive/new"] == 29
    assert BLOCKED_STAT not in stats
    assert "log_count/ERROR" not in stats
