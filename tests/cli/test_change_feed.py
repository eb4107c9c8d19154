"""``newscrawler export --after SEQ`` and ``--follow``: the change feed a reader resumes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from storage.archive import Archive
from tests.storage.test_archive import T0, record
from tests.support import REPO, newscrawler_command


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
