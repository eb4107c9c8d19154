"""``newscrawler export --after SEQ`` and ``--follow``: the change feed a reader resumes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from storage.archive import Archive
from tests.incremental.sites import ChangingSite, Crawls, start_newscrawler, wait_until
from tests.storage.test_archive import T0, record
from tests.support import LOCAL, REPO, newscrawler_command, running_runs


def changes(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    assert result.returncode == ExitCode.OK, result.stderr[-2000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return [(line["change"], line["change_seq"], line["url"]) for line in lines]


def test_export_after_a_cursor_gives_what_came_later(sqlite_url: str, tmp_path: Path) -> None:
    with Archive.open(sqlite_url) as archive:
        archive.write_batch([record("https://a.pk/1"), record("https://a.pk/2")])
        archive.record_removals(
            [{"url": "https://a.pk/1", "http_status": 410, "detected_at": T0, "run_id": None}]
        )

    everything = changes(newscrawler_command("export", "--db", sqlite_url, "--after", "0"))
    later = changes(newscrawler_command("export", "--db", sqlite_url, "--after", "2"))

    assert everything == [
        ("article", 1, "https://a.pk/1"),
        ("article", 2, "https://a.pk/2"),
        ("removal", 3, "https://a.pk/1"),
    ]
    assert later == [("removal", 3, "https://a.pk/1")]


def test_follow_prints_new_changes_as_they_commit(sqlite_url: str) -> None:
    with Archive.open(sqlite_url) as archive:
        archive.write_batch([record("https://a.pk/1")])
    follower = subprocess.Popen(
        [sys.executable, "-m", "newscrawler.cli", "export", "--db", sqlite_url, "--follow",
         "--interval", "0.1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert follower.stdout is not None
        first = json.loads(follower.stdout.readline())
        with Archive.open(sqlite_url) as archive:
            archive.write_batch([record("https://a.pk/2")])
        second = json.loads(follower.stdout.readline())
        follower.send_signal(signal.SIGINT)
        _, stderr = follower.communicate(timeout=20)
    finally:
        follower.kill()

    assert (first["change_seq"], first["url"]) == (1, "https://a.pk/1")
    assert (second["change_seq"], second["url"]) == (2, "https://a.pk/2")
    assert follower.returncode == ExitCode.OK and "Traceback" not in stderr


def test_the_feed_takes_no_filters(sqlite_url: str) -> None:
    Archive.open(sqlite_url).close()
    result = newscrawler_command("export", "--db", sqlite_url, "--after", "0", "--site", "x")
    assert result.returncode == ExitCode.CONFIG
    assert "no filters" in result.stderr


def test_a_follower_sees_each_change_of_two_concurrent_crawls_once_in_commit_order(
    archive_url: str, tmp_path: Path
) -> None:
    Archive.open(archive_url).close()
    follower = start_newscrawler(
        "export", "--db", archive_url, "--after", "0", "--follow", "--interval", "0.05"
    )
    lines: list[dict[str, object]] = []
    threading.Thread(target=read_lines, args=(follower, lines), daemon=True).start()
    # Small batches, each committed soon: the two crawls' commits interleave. Two requests at a
    # time of pages a little slow: each crawl takes seconds, and the second starts while the
    # first runs, however slowly a loaded machine starts them.
    batches = ("-s", "ARCHIVE_BATCH_SIZE=3", "-s", "ARCHIVE_BATCH_MAX_DELAY=0.1",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")  # fmt: skip
    try:
        with (
            ChangingSite(30, article_delay=0.3) as sample,
            ChangingSite(30, article_delay=0.3) as ispr,
        ):
            crawls = [Crawls(sample, archive_url, tmp_path / "sample").start(*batches)]
            wait_until(lambda: running_runs(archive_url) == 1, what="the first crawl")
            crawls.append(
                start_newscrawler(
                    "crawl", "ispr", "-a", f"base_url={ispr.url}", "--db", archive_url,
                    *LOCAL, "-s", f"NEWSCRAWLER_STATE_DIR={tmp_path / 'ispr'}", *batches,
                )
            )  # fmt: skip
            ended = [crawl.communicate(timeout=180) for crawl in crawls]
        with Archive.open(archive_url) as archive:
            last = archive.last_change()
            urls = {article["url"] for article in archive.iter_articles()}
            runs = archive.runs()
        wait_until(lambda: len(lines) >= last, what="the follower to print every change")
        follower.send_signal(signal.SIGINT)
        _, stderr = follower.communicate(timeout=20)
    finally:
        follower.kill()

    for crawl, (_, err) in zip(crawls, ended, strict=True):
        assert crawl.returncode == ExitCode.OK, err[-3000:]
    assert len(urls) == 60
    assert [line["change_seq"] for line in lines] == list(range(1, last + 1))
    assert {line["url"] for line in lines} == urls and len(lines) == len(urls)
    first, second = runs  # and they ran at the same time
    assert first["started_at"] < second["finished_at"]
    assert second["started_at"] < first["finished_at"]
    assert follower.returncode == ExitCode.OK and "Traceback" not in stderr


def read_lines(process: subprocess.Popen[str], lines: list[dict[str, object]]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(json.loads(line))
