"""``clusters --rebuild``: stories decided again from the archive equal those of crawling with
the dedup on, fill in articles without signatures, and resume where a stopped rebuild stopped
(SQLite file and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.rebuild import Rebuild
from newscrawler.exitcodes import ExitCode
from newscrawler.samples import labelled
from storage.archive import Archive
from storage.models import ArchiveSequence, ArticleSignature, Cluster
from tests.dedup.sites import crawl_both, stories, two_sites
from tests.dedup.support import item_of, record_of, run, story_copies
from tests.support import newscrawler_command


def archive_without_dedup(url: str, articles: Sequence[labelled.Article]) -> None:
    """Articles archived as a crawl with the dedup off archives them: no story, no signature."""
    with Archive.open(url) as archive:
        archive.write_batch([record_of(item_of(article)) for article in articles])


def story_rows(url: str) -> list[tuple[int, list[str]]]:
    """(members, sites) of every ``clusters`` row, sorted: the stories whatever their ids."""
    with Archive.open(url) as archive, archive.engine.connect() as conn:
        rows = conn.execute(select(Cluster.member_count, Cluster.sites)).all()
    return sorted((row.member_count, row.sites) for row in rows)


def signatures(url: str) -> int:
    with Archive.open(url) as archive, archive.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ArticleSignature)).scalar_one())


def mixed(seed: int) -> list[labelled.Article]:
    """Releases and copies on three sites, copies before and after their originals, and an
    article too short to compare."""
    articles = story_copies(12, seed=seed, copies=2)
    short = replace(articles[0], url="https://ispr.example/short", body="Too short.", title="x")
    return articles[20:] + articles[:20] + [short]


def test_a_rebuild_gives_the_stories_of_crawling_with_the_dedup(
    archive_url: str, tmp_path: Path
) -> None:
    articles = mixed(seed=3)
    crawled = f"sqlite:///{tmp_path / 'crawled.sqlite3'}"
    run(crawled, articles)
    archive_without_dedup(archive_url, articles)
    assert signatures(archive_url) == 0

    with Archive.open(archive_url) as archive:
        done = Rebuild(archive, DedupConfig(), batch_size=7).run()

    assert done == len(articles)
    assert stories(archive_url) == stories(crawled)
    assert story_rows(archive_url) == story_rows(crawled)
    assert signatures(archive_url) == signatures(crawled) == len(articles) - 1


def test_a_stopped_rebuild_resumes_where_it_stopped(archive_url: str, tmp_path: Path) -> None:
    articles = mixed(seed=5)
    crawled = f"sqlite:///{tmp_path / 'crawled.sqlite3'}"
    run(crawled, articles)
    archive_without_dedup(archive_url, articles)
    reports: list[tuple[int, int]] = []

    def stop_after_two_batches(done: int, total: int) -> None:
        reports.append((done, total))
        if len(reports) == 2:
            raise KeyboardInterrupt

    with Archive.open(archive_url) as archive, pytest.raises(KeyboardInterrupt):
        Rebuild(archive, DedupConfig(), batch_size=8).run(stop_after_two_batches)
    with Archive.open(archive_url) as archive:
        resumed = Rebuild(archive, DedupConfig(), batch_size=8)
        assert archive.progress(resumed.progress_name) > 0
        done = resumed.run()
        with archive.engine.connect() as conn:
            left = conn.execute(select(func.count()).select_from(ArchiveSequence)).scalar_one()

    assert reports == [(8, len(articles)), (16, len(articles))]
    assert done == len(articles) - 16
    assert left == 1  # the change cursor; the rebuild's progress is gone once it is done
    assert stories(archive_url) == stories(crawled)
    assert story_rows(archive_url) == story_rows(crawled)


def test_a_rebuild_of_one_site_keeps_the_stories_of_the_others(archive_url: str) -> None:
    articles = mixed(seed=8)
    run(archive_url, articles)
    before = stories(archive_url)
    with Archive.open(archive_url) as archive:
        ids = {a["url"]: a["cluster_id"] for a in archive.iter_articles()}
        site = next(a.site for a in articles if a.site != "ispr")
        done = Rebuild(archive, DedupConfig(), site=site).run()
        after = {a["url"]: a["cluster_id"] for a in archive.iter_articles()}

    assert done == sum(a.site == site for a in articles)
    assert stories(archive_url) == before
    assert after == ids  # decided the same, every story kept its id


def test_the_rebuild_command_gives_the_stories_of_crawls_with_the_dedup(tmp_path: Path) -> None:
    with_dedup = f"sqlite:///{tmp_path / 'with.sqlite3'}"
    without = f"sqlite:///{tmp_path / 'without.sqlite3'}"
    with two_sites(tmp_path) as (ispr, _):
        crawl_both(tmp_path, with_dedup, ispr, together=False)
        off = ("-s", "NEWSCRAWLER_DEDUP_ENABLED=False")
        crawl_both(tmp_path, without, ispr, together=False, extra=off)
    assert signatures(without) == 0

    result = newscrawler_command("clusters", "--rebuild", "--db", without, cwd=tmp_path)

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "clusters --rebuild: 28 of 28 articles (100%" in result.stderr
    assert stories(without) == stories(with_dedup)
    assert story_rows(without) == story_rows(with_dedup)
    assert signatures(without) == signatures(with_dedup) == 28


def test_a_rebuild_since_a_date_decides_the_articles_published_since(archive_url: str) -> None:
    articles = mixed(seed=9)
    run(archive_url, articles)
    before = stories(archive_url)
    since = sorted(a.published_at for a in articles)[len(articles) // 2]
    with Archive.open(archive_url) as archive:
        done = Rebuild(archive, DedupConfig(), since=since).run()
    assert done == sum(a.published_at >= since for a in articles) > 0
    assert stories(archive_url) == before


def test_site_without_rebuild_is_refused(tmp_path: Path) -> None:
    result = newscrawler_command("clusters", "--site", "ispr", "--db", f"sqlite:///{tmp_path}/a")
    assert result.returncode == ExitCode.CONFIG
    assert "--site goes with --rebuild" in result.stderr
