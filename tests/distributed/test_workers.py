"""``crawl SITE --redis URL --workers N``: workers sharing a scrapy-redis frontier on the real
Redis at 127.0.0.1:6379 archive every article of a local site once, a killed worker's share
included after the next run (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from newscrawler.cli.distributed import keys
from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import listing_path
from storage.archive import Archive
from tests.incremental.sites import LOCAL, SPIDER, ChangingSite, wait_until
from tests.support import REDIS_URL, REPO, redis_client, running_runs

#: Two requests at a time a worker, each page a little slow: work is left for the other.
SLOW = ("-s", "CONCURRENT_REQUESTS=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The Redis server; the site's keys are removed after the test."""
    client = redis_client()
    yield REDIS_URL
    for key in client.scan_iter(match=f"{keys(SPIDER)['base']}:*"):
        client.delete(key)


def start(site: ChangingSite, db: str, state: Path, *args: str) -> subprocess.Popen[str]:
    """``newscrawler crawl`` of the site, in the background, in a state directory of its own."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NEWSCRAWLER_STATE_DIR": str(state)}
    env.pop("NEWSCRAWLER_DB", None)
    command = [sys.executable, "-m", "newscrawler.cli", "crawl", SPIDER]
    return subprocess.Popen(
        [*command, "-a", f"base_url={site.url}", "--db", db, *LOCAL, *SLOW, *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def release_ids(db: str) -> list[int]:
    with Archive.open(db) as archive:
        return [article["extras"]["release_id"] for article in archive.iter_articles()]


def workers_of(lead: subprocess.Popen[str]) -> list[int]:
    """The lead's running workers: a worker that has ended (a zombie until the lead waits for
    it) is not one a signal can stop."""
    children = Path(f"/proc/{lead.pid}/task/{lead.pid}/children").read_text().split()
    return [int(pid) for pid in children if not _ended(int(pid))]


def _ended(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


@contextmanager
def told_on_timeout(lead: subprocess.Popen[str], db: str) -> Iterator[None]:
    """A wait that times out stops the lead and its workers and says what they printed and
    which runs the archive holds: a failure on a loaded machine explains itself."""
    try:
        yield
    except AssertionError as timeout:
        for pid in workers_of(lead):
            os.kill(pid, signal.SIGKILL)
        lead.kill()
        _, err = lead.communicate(timeout=60)
        with Archive.open(db) as archive:
            runs = [(run["outcome"], run["stats"].get("pid")) for run in archive.runs()]
        raise AssertionError(f"{timeout}; runs {runs}; the crawl printed:\n{err[-6000:]}") from None


def test_workers_archive_every_article_once_a_killed_one_included(
    archive_url: str, redis_url: str, tmp_path: Path
) -> None:
    # Ten seconds of work for two workers: the kill comes mid-crawl.
    with ChangingSite(40, article_delay=1.0) as site:
        lead = start(site, archive_url, tmp_path, "--redis", redis_url, "--workers", "2")
        with told_on_timeout(lead, archive_url):
            wait_until(lambda: len(workers_of(lead)) == 2, what="two workers")
            wait_until(lambda: running_runs(archive_url) == 2, what="both workers' runs recorded")
            wait_until(lambda: len(release_ids(archive_url)) >= 5, what="a few articles")
            victim = workers_of(lead)[0]
        os.kill(victim, signal.SIGKILL)
        _, first_err = lead.communicate(timeout=180)
        after_kill = release_ids(archive_url)

        again = start(site, archive_url, tmp_path, "--redis", redis_url, "--workers", "2")
        _, again_err = again.communicate(timeout=180)

    assert lead.returncode == ExitCode.FAILED, first_err[-3000:]  # one worker was killed
    assert again.returncode == ExitCode.OK, again_err[-3000:]
    assert 5 <= len(after_kill) == len(set(after_kill))
    ids = release_ids(archive_url)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 40
    with Archive.open(archive_url) as archive:
        runs = archive.runs()
    # Two workers a run, each recorded as a run of its own; the killed one as killed, unless it
    # had recorded its end just before the signal came (a worker left with nothing to fetch).
    outcomes = [run["outcome"] for run in runs]
    assert len(outcomes) == 4 and outcomes.count("finished") >= 3, outcomes


def test_an_idle_worker_waits_for_one_whose_page_takes_longer_than_its_busy_mark(
    archive_url: str, redis_url: str, tmp_path: Path
) -> None:
    with ChangingSite(20, article_delay=1.0) as site:
        first_listing = site.pages[listing_path(1)]
        site.pages[listing_path(1)] = replace(first_listing, delay=12.0)  # the start: slow
        lead = start(
            site, archive_url, tmp_path, "--redis", redis_url, "--workers", "2",
            "-s", "NEWSCRAWLER_WORKERS_BUSY_SECONDS=1",
        )  # fmt: skip
        _, err = lead.communicate(timeout=180)

    assert lead.returncode == ExitCode.OK, err[-3000:]
    assert sorted(release_ids(archive_url)) == sorted(r.id for r in site.releases)
    with Archive.open(archive_url) as archive:
        runs = archive.runs()
    # The worker that did not fetch the slow start page waited for its links: both archived.
    assert len(runs) == 2
    assert all(run["stats"].get("item_scraped_count", 0) > 0 for run in runs), [
        run["stats"].get("item_scraped_count") for run in runs
    ]
