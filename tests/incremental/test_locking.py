"""One crawl of a site at a time; a dead crawl holds nothing; one-off scrapes run beside."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.locking import AlreadyRunning, SiteLock, scope_name
from newscrawler.samples.ispr import listing_path
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, SampleSite, setting_arguments
from tests.incremental.sites import ChangingSite, Crawls, wait_until
from tests.support import REPO, newscrawler_command

SECOND_PAGE = listing_path(2)


@pytest.fixture
def slow_site() -> Iterator[ChangingSite]:
    """A site whose second listing page is held: a crawl of it stays open until the test lets
    that page go (``site.held[SECOND_PAGE].set()``)."""
    with ChangingSite(20) as site:
        site.hold(SECOND_PAGE)
        yield site
        site.held[SECOND_PAGE].set()


def fetching_second_page(site: ChangingSite) -> Callable[[], bool]:
    return lambda: SECOND_PAGE in site.requested_paths()


def test_a_second_lock_of_the_same_site_is_refused_with_its_holder(tmp_path: Path) -> None:
    with SiteLock(tmp_path, "ispr"):
        with pytest.raises(AlreadyRunning, match=r"ispr is already running \(pid \d+ on "):
            SiteLock(tmp_path, "ispr").acquire()
        SiteLock(tmp_path, "other").acquire().release()
    SiteLock(tmp_path, "ispr").acquire().release()


def test_a_killed_holder_leaves_the_lock_free(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from newscrawler.locking import SiteLock;"
            f"lock = SiteLock(Path({str(tmp_path)!r}), 'ispr').acquire();"
            "print('locked', flush=True); time.sleep(60)",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    with pytest.raises(AlreadyRunning):
        SiteLock(tmp_path, "ispr").acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()

    SiteLock(tmp_path, "ispr").acquire().release()


@pytest.mark.postgres
def test_a_postgresql_archive_excludes_crawls_from_other_state_dirs(
    tmp_path: Path, postgres_database: str
) -> None:
    with SiteLock(tmp_path / "host-a", "ispr", archive_url=postgres_database):
        other_host = SiteLock(tmp_path / "host-b", "ispr", archive_url=postgres_database)
        with pytest.raises(AlreadyRunning, match="another host"):
            other_host.acquire()
        assert other_host.path.exists()
    SiteLock(tmp_path / "host-b", "ispr", archive_url=postgres_database).acquire().release()


def test_scope_names_are_file_names_and_keep_sites_apart() -> None:
    assert scope_name("ispr") == "ispr"
    urls = [scope_name("https://example.com/news"), scope_name("https://example.com/news/")]
    assert all("/" not in name and ":" not in name for name in urls)
    assert urls[0] != urls[1]


@pytest.mark.slow
def test_a_second_start_of_a_running_crawl_exits_at_once_with_its_code(
    slow_site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(slow_site)
    first = crawls.start()
    wait_until(fetching_second_page(slow_site), what="the first crawl to be fetching")
    started = time.monotonic()

    second = crawls.run()

    elapsed = time.monotonic() - started
    still_running = first.poll() is None
    first.send_signal(signal.SIGKILL)
    first.wait()
    slow_site.held[SECOND_PAGE].set()
    assert second.returncode == ExitCode.ALREADY_RUNNING == 4
    assert still_running and elapsed < 15
    assert "a crawl of sample_listing is already running (pid" in second.stderr
    assert second.stdout == ""
    with crawls.archive() as archive:
        assert [run["outcome"] for run in archive.runs()] == ["running"]
    # The killed crawl holds nothing: the next start runs, and records the dead run as killed.
    third = crawls.run()
    assert third.returncode == ExitCode.OK, third.stderr[-3000:]
    assert "did not stop cleanly: its frontier is discarded" in third.stderr
    with crawls.archive() as archive:
        assert [run["outcome"] for run in archive.runs()] == ["finished", "killed"]
        assert archive.count_articles() == 20


@pytest.mark.slow
def test_a_scrape_runs_beside_a_scheduled_crawl_of_the_same_site(
    slow_site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(slow_site)
    release = slow_site.releases[3]
    crawl = crawls.start()
    wait_until(fetching_second_page(slow_site), what="the crawl to be fetching")

    scrape = newscrawler_command(
        "scrape",
        f"{slow_site.url}{release.path}",
        "--db",
        crawls.db,
        *setting_arguments(LOCAL_SITE_SETTINGS),
    )

    crawl_was_running = crawl.poll() is None
    slow_site.held[SECOND_PAGE].set()
    _, crawl_err = crawl.communicate(timeout=120)
    assert crawl_was_running
    assert scrape.returncode == ExitCode.OK, scrape.stderr[-3000:]
    assert crawl.returncode == ExitCode.OK, crawl_err[-3000:]
    with crawls.archive() as archive:
        runs = archive.runs()
        assert archive.count_articles() == 20
        assert archive.get_article(f"{slow_site.url}{release.path}") is not None
    assert sorted((run["spider"], run["outcome"]) for run in runs) == [
        ("sample_listing", "finished"),
        ("scrape", "finished"),
    ]
    scrape_run = next(run for run in runs if run["spider"] == "scrape")
    crawl_run = next(run for run in runs if run["spider"] == "sample_listing")
    assert crawl_run["started_at"] < scrape_run["finished_at"] < crawl_run["finished_at"]


def test_an_unreachable_postgresql_archive_fails_before_crawling(
    slow_site: ChangingSite, crawls_of: Callable[..., Crawls]
) -> None:
    crawls = crawls_of(slow_site, "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")

    result = crawls.run()

    assert result.returncode == ExitCode.FAILED
    assert "newscrawler: cannot take the lock of sample_listing: " in result.stderr
    assert slow_site.count_requests() == 0
