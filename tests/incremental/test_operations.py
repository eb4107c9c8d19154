"""Operators' commands: every site at once, progress while a crawl runs."""

from __future__ import annotations

import io
import signal
from collections.abc import Callable
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from newscrawler.exitcodes import ExitCode
from newscrawler.extensions.progress import CrawlProgress
from newscrawler.samples.ispr import listing_path
from newscrawler.samples.server import SampleSite
from storage.archive import Archive
from tests.incremental.sites import LOCAL, ChangingSite, Crawls, start_newscrawler, wait_until
from tests.support import newscrawler_command


def crawl_all_arguments(
    a: SampleSite, b: SampleSite, db: str, state: Path, *, jobs: int = 2
) -> list[str]:
    return [
        "crawl",
        "--all",
        "--jobs",
        str(jobs),
        "--db",
        db,
        *LOCAL,
        "-s",
        "NEWSCRAWLER_ALL_SITES=sample_listing,sample_listing_b",
        "-s",
        f"TEST_SITE_URL={a.url}",
        "-s",
        f"TEST_SITE_B_URL={b.url}",
        "-s",
        f"NEWSCRAWLER_STATE_DIR={state}",
    ]


def crawl_all(a: SampleSite, b: SampleSite, db: str, state: Path) -> tuple[int, str]:
    result = newscrawler_command(*crawl_all_arguments(a, b, db, state))
    return result.returncode, result.stdout


def test_crawl_all_runs_every_site_as_its_own_run(
    site: ChangingSite, sqlite_url: str, tmp_path: Path
) -> None:
    with ChangingSite(12) as other:
        first_code, first = crawl_all(site, other, sqlite_url, tmp_path / "state")
        other.answer_everything_with(403)
        second_code, second = crawl_all(site, other, sqlite_url, tmp_path / "state")

    assert first_code == ExitCode.OK, first
    assert "[sample_listing] sample_listing: finished (finished)" in first
    assert "[sample_listing_b] sample_listing_b: finished (finished)" in first
    assert second_code == ExitCode.UNHEALTHY, second
    assert "  sample_listing: ok (0)" in second
    assert "  sample_listing_b: unhealthy (5)" in second
    with Archive.open(sqlite_url) as archive:
        runs = archive.runs()
        assert archive.count_articles(site="sample") == 30
        assert archive.count_articles(site="sample-b") == 12
    assert sorted((run["site"], run["health"]) for run in runs) == [
        ("sample", "ok"),
        ("sample", "ok"),
        ("sample-b", "ok"),
        ("sample-b", "unhealthy"),
    ]


def test_sigterm_stops_crawl_all_and_its_running_crawls_cleanly(
    site: ChangingSite, sqlite_url: str, tmp_path: Path
) -> None:
    gate = site.hold(listing_path(2))
    with ChangingSite(12) as other:
        parent = start_newscrawler(
            *crawl_all_arguments(site, other, sqlite_url, tmp_path / "state", jobs=1)
        )
        wait_until(lambda: listing_path(2) in site.requested_paths(), what="the first site")
        parent.send_signal(signal.SIGTERM)
        gate.set()
        stdout, _ = parent.communicate(timeout=120)
        other_requests = other.count_requests()

    assert parent.returncode == ExitCode.INTERRUPTED, stdout
    assert "[sample_listing] sample_listing: interrupted (shutdown)" in stdout
    assert "  sample_listing: interrupted (3)" in stdout
    assert "  sample_listing_b: interrupted (3)" in stdout
    assert other_requests == 0
    with Archive.open(sqlite_url) as archive:
        assert [(run["site"], run["outcome"]) for run in archive.runs()] == [
            ("sample", "interrupted")
        ]


def test_progress_is_logged_as_plain_lines_when_not_on_a_terminal(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    site.pages[listing_path(2)].delay = 2.0

    result = crawls_of(site).run("-s", "NEWSCRAWLER_PROGRESS_INTERVAL=0.5")

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if "Progress: " in line]
    assert len(lines) >= 2
    assert "\r" not in result.stderr
    assert lines[-1].split("Progress: ")[1].startswith(tuple(f"{n} pages (" for n in range(1, 40)))


def test_progress_on_a_terminal_redraws_one_line() -> None:
    crawler = get_crawler(Spider)
    assert crawler.stats is not None
    stream = io.StringIO()
    progress = CrawlProgress(crawler.stats, live=True, interval=60, stream=stream)
    crawler.stats.set_value("response_received_count", 12)
    crawler.stats.set_value("newscrawler/archive/new", 5)

    progress.report()
    progress.report()

    assert stream.getvalue().count("\r\x1b[K12 pages (") == 2
    assert "articles: 5 new, 0 changed, 0 unchanged, 0 dropped" in stream.getvalue()
    assert "\n" not in stream.getvalue()
