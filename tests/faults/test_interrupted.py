"""Crawls killed at any moment, or stopped cleanly, finish the job on the next start."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.server import SampleSite
from tests.incremental.sites import ChangingSite, Crawls, archived_state, wait_until

ARTICLES = 120
LISTING_PAGES = ARTICLES // 10


@pytest.fixture(scope="module")
def slow_site() -> Iterator[ChangingSite]:
    """120 releases, each page a little slow, so that a crawl takes a few seconds."""
    with ChangingSite(ARTICLES, article_delay=0.03) as site:
        yield site


@pytest.fixture(scope="module")
def reference(
    slow_site: ChangingSite, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[object, ...]]:
    """What an uninterrupted crawl archives."""
    folder = tmp_path_factory.mktemp("reference")
    crawls = Crawls(slow_site, f"sqlite:///{folder / 'archive.sqlite3'}", folder / "state")
    result = crawls.run()
    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with crawls.archive() as archive:
        state = archived_state(archive)
    assert len(state) == ARTICLES
    return state


def kill_at(child: subprocess.Popen[str], site: ChangingSite, unit: str, value: float) -> bool:
    """SIGKILL ``child`` after ``value`` seconds or site requests; False when it ended first."""
    started = time.monotonic()

    def reached() -> bool:
        if unit == "seconds":
            return time.monotonic() - started >= value
        return site.count_requests() >= value

    wait_until(lambda: reached() or child.poll() is not None, what=f"{value} {unit}")
    if child.poll() is not None:
        return False
    child.send_signal(signal.SIGKILL)
    child.wait()
    return True


def requests_left(crawls: Crawls) -> int:
    """What a crawl restarted after a kill requests: robots.txt, every listing page (a recovery
    walks them all), and each release not yet archived."""
    with crawls.archive() as archive:
        return 1 + LISTING_PAGES + ARTICLES - archive.count_articles()


@pytest.mark.slow
def test_sigkill_at_random_points_then_a_restart_archives_everything_once(
    slow_site: ChangingSite,
    reference: list[tuple[object, ...]],
    crawls_of: Callable[[SampleSite], Crawls],
) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    crawls = crawls_of(slow_site)
    # First in the start-up (imports, archive creation) or just after it; then three times at
    # a random one of the requests the restarted crawl still has to make.
    start_up = rng.uniform(0.2, 2.0)
    killed_in_start_up = kill_at(crawls.start(), slow_site, "seconds", start_up)
    points, kills = [], []
    for _ in range(3):
        slow_site.requests.clear()
        points.append(rng.randint(1, requests_left(crawls)))
        kills.append(kill_at(crawls.start(), slow_site, "requests", points[-1]))

    final = crawls.run()

    assert killed_in_start_up and kills == [True] * 3, f"seed {seed}: {start_up}s, {points}"
    assert final.returncode == ExitCode.OK, final.stderr[-3000:]
    with crawls.archive() as archive:
        assert archived_state(archive) == reference, f"seed {seed}: {start_up}s, {points}"
        releases = [a["extras"]["release_id"] for a in archive.iter_articles()]
        runs = archive.runs()
    assert len(releases) == len(set(releases)) == ARTICLES
    assert runs[0]["outcome"] == "finished"
    assert {run["outcome"] for run in runs[1:]} <= {"killed"}


@pytest.mark.slow
def test_sigterm_stops_cleanly_and_the_next_start_resumes_the_frontier(
    slow_site: ChangingSite,
    reference: list[tuple[object, ...]],
    crawls_of: Callable[[SampleSite], Crawls],
    tmp_path: Path,
) -> None:
    crawls = crawls_of(slow_site)
    slow_site.requests.clear()
    child = crawls.start()
    wait_until(lambda: slow_site.count_requests() >= 40, what="40 requests")
    child.send_signal(signal.SIGTERM)
    stdout, _ = child.communicate(timeout=60)
    slow_site.requests.clear()

    resumed = crawls.run()

    assert child.returncode == ExitCode.INTERRUPTED, stdout
    assert "interrupted (shutdown)" in stdout
    assert resumed.returncode == ExitCode.OK, resumed.stderr[-3000:]
    assert "newscrawler: resuming the stopped crawl kept in " in resumed.stderr
    assert "/press-release-archive.php?cat=army" not in slow_site.requested_paths()
    with crawls.archive() as archive:
        assert archived_state(archive) == reference
        runs = archive.runs()
    assert [run["outcome"] for run in runs] == ["finished", "interrupted"]
    assert runs[0]["stats"]["newscrawler/incremental/mode"] == "resume"
    assert not (tmp_path / "state" / "jobs" / "sample_listing").exists()


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_second_signal_stops_at_once_and_records_the_run_interrupted(
    stop: signal.Signals, slow_site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(slow_site)
    slow_site.requests.clear()
    child = crawls.start()
    wait_until(lambda: slow_site.count_requests() >= 20, what="20 requests")
    child.send_signal(stop)
    time.sleep(0.3)
    child.send_signal(stop)
    try:
        stdout, stderr = child.communicate(timeout=20)
    finally:
        child.kill()

    assert child.returncode == ExitCode.INTERRUPTED, stdout + stderr[-3000:]
    with crawls.archive() as archive:
        assert archive.runs()[0]["outcome"] == "interrupted"
