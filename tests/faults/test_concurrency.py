"""Crawls of one site started together run once; readers of the archive never see a crawl's
half-written work."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import listing_path
from newscrawler.samples.server import SampleSite
from tests.incremental.sites import ChangingSite, Crawls, wait_until
from tests.support import newscrawler_command

SECOND_PAGE = listing_path(2)
#: What a reader must find, whole, for each article it sees.
WHOLE = ("url", "title", "body", "content_hash", "language")


def whole(article: dict[str, object]) -> tuple[object, ...]:
    return tuple(article[field] for field in WHOLE)


def test_overlapping_starts_of_a_site_crawl_it_once(
    crawls_of: Callable[[SampleSite], Crawls], archive_url: str, tmp_path: Path
) -> None:
    with ChangingSite(20) as site:
        release = site.hold(SECOND_PAGE)
        crawls = crawls_of(site)
        starts = [crawls.start(), crawls.start()]
        if archive_url.startswith("postgresql"):
            # On PostgreSQL the archive itself keeps crawls from other hosts out.
            starts.append(Crawls(site, archive_url, tmp_path / "other-host").start())
        wait_until(lambda: sum(start.poll() is not None for start in starts) == len(starts) - 1)
        refused = [start for start in starts if start.poll() is not None]
        (running,) = [start for start in starts if start.poll() is None]
        release.set()
        _, running_err = running.communicate(timeout=120)

    for start in refused:
        out, err = start.communicate()
        assert start.returncode == ExitCode.ALREADY_RUNNING, err[-3000:]
        (line,) = err.strip().splitlines()
        assert line.startswith("newscrawler: a crawl of sample_listing ")
        assert "is already running" in line and out == ""
    assert running.returncode == ExitCode.OK, running_err[-3000:]
    with crawls.archive() as archive:
        releases = [article["extras"]["release_id"] for article in archive.iter_articles()]
        assert [run["outcome"] for run in archive.runs()] == ["finished"]
    assert len(releases) == len(set(releases)) == 20


def test_readers_of_an_archive_being_written_see_whole_articles(
    crawls_of: Callable[[SampleSite], Crawls],
) -> None:
    seen: list[tuple[object, ...]] = []
    exported: list[subprocess.CompletedProcess[str]] = []
    counts: list[int] = []
    # A crawl of several seconds: readers come while it writes.
    with ChangingSite(60, article_delay=1.0) as site:
        crawls = crawls_of(site)
        crawl = crawls.start("-s", "ARCHIVE_BATCH_SIZE=5", "-s", "ARCHIVE_BATCH_MAX_DELAY=0.2")
        # The crawl makes the archive before it fetches anything.
        wait_until(lambda: site.count_requests() > 0, what="the crawl to be fetching")
        while crawl.poll() is None:
            with crawls.archive() as archive:
                articles = list(archive.iter_articles())
            counts.append(len(articles))
            seen.extend(whole(article) for article in articles)
            exported.append(newscrawler_command("export", "--db", crawls.db))
        _, crawl_err = crawl.communicate()

    assert crawl.returncode == ExitCode.OK, crawl_err[-3000:]
    with crawls.archive() as archive:
        final = {whole(article) for article in archive.iter_articles()}
    assert len(final) == 60
    assert counts == sorted(counts) and any(0 < count < 60 for count in counts), counts
    assert set(seen) <= final
    for export in exported:
        assert export.returncode == ExitCode.OK, export.stderr[-3000:]
        lines = [json.loads(line) for line in export.stdout.splitlines()]
        assert {whole(line) for line in lines} <= final
