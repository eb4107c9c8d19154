"""End to end: an ISPR-like site and a republisher carrying its releases, crawled by two
processes at the same time into one archive (SQLite file and PostgreSQL), get exactly the
stories of the same two crawls run one after the other."""

from __future__ import annotations

from pathlib import Path

from storage.archive import Archive
from tests.dedup.sites import crawl_both, stories, two_sites


def joined_at_write(db: str) -> int:
    with Archive.open(db) as archive:
        return sum(run["stats"]["newscrawler/dedup/joined_at_write"] for run in archive.runs())


def test_crawls_at_the_same_time_give_the_stories_of_crawls_one_after_another(
    archive_url: str, tmp_path: Path
) -> None:
    sequential = f"sqlite:///{tmp_path / 'sequential.sqlite3'}"
    with two_sites(tmp_path) as (ispr, _):
        crawl_both(tmp_path, sequential, ispr, together=False)
        crawl_both(tmp_path, archive_url, ispr, together=True)

    expected = stories(sequential)
    assert len(expected) == 16 and sum(map(len, expected)) == 16 + 12
    assert stories(archive_url) == expected
    # Neither crawl's index held the other's articles: the stories were joined at write time.
    assert joined_at_write(archive_url) == 12
