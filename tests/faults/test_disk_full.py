"""A full disk under the state directory or under the archive: the run fails, says why, and
the next run (with space again) completes the archive to the same articles as an uninterrupted
crawl."""

from __future__ import annotations

import re
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from tests.faults.conftest import fill, small_file_system
from tests.incremental.sites import ChangingSite, Crawls, archived_state
from tests.support import newscrawler_command

#: Room left under an SQLite archive made already: enough for a few articles, not for all.
ARCHIVE_ROOM = 64 * 1024
#: Room left under an SQLite archive made already: not enough to record a run.
NO_ROOM_FOR_A_RUN = 32 * 1024


def test_a_state_directory_that_fills_up_fails_the_run_and_the_next_one_completes(
    full_disk: Path, tmp_path: Path
) -> None:
    with ChangingSite(60) as site:
        site.publish()
        reference = Crawls(site, f"sqlite:///{tmp_path / 'whole.sqlite3'}", tmp_path / "room")
        assert reference.run().returncode == ExitCode.OK
        crawls = Crawls(site, f"sqlite:///{tmp_path / 'full.sqlite3'}", full_disk)

        failed = crawls.run()
        (full_disk / "filler").unlink()
        completed = crawls.run()

    assert failed.returncode == ExitCode.FAILED, failed.stderr[-3000:]
    assert "failed (frontier_write_failed)" in failed.stdout
    assert "Could not write the frontier" in failed.stderr
    assert "No space left on device" in failed.stderr
    assert completed.returncode == ExitCode.OK, completed.stderr[-3000:]
    assert "its frontier is discarded" in completed.stderr
    with reference.archive() as expected, crawls.archive() as archive:
        assert archived_state(archive) == archived_state(expected)


def test_an_archive_that_fills_up_fails_the_run_and_the_next_one_completes(
    tmp_path: Path,
) -> None:
    with ChangingSite(60) as site, small_file_system(tmp_path / "disk", "1m") as disk:
        reference = Crawls(site, f"sqlite:///{tmp_path / 'whole.sqlite3'}", tmp_path / "room")
        assert reference.run().returncode == ExitCode.OK
        crawls = Crawls(site, f"sqlite:///{disk / 'archive.sqlite3'}", tmp_path / "state")
        assert newscrawler_command("db", "upgrade", "--db", crawls.db).returncode == ExitCode.OK
        fill(disk / "filler", keep=ARCHIVE_ROOM)

        failed = crawls.run("-s", "ARCHIVE_WRITE_RETRIES=1")
        with crawls.archive() as archive:
            archived_before = archive.count_articles()
        (disk / "filler").unlink()
        completed = crawls.run()

        assert failed.returncode == ExitCode.FAILED, failed.stderr[-3000:]
        not_archived = re.search(r"NOT ARCHIVED \(write failures, see log\): (\d+)", failed.stdout)
        assert not_archived is not None, failed.stdout
        assert int(not_archived[1]) == 60 - archived_before > 0
        assert "database or disk is full" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert completed.returncode == ExitCode.OK, completed.stderr[-3000:]
        with reference.archive() as expected, crawls.archive() as archive:
            assert archived_state(archive) == archived_state(expected)


def test_an_archive_without_room_for_a_run_fails_the_run_and_says_why(tmp_path: Path) -> None:
    with ChangingSite(10) as site, small_file_system(tmp_path / "disk", "1m") as disk:
        crawls = Crawls(site, f"sqlite:///{disk / 'archive.sqlite3'}", tmp_path / "state")
        assert newscrawler_command("db", "upgrade", "--db", crawls.db).returncode == ExitCode.OK
        fill(disk / "filler", keep=NO_ROOM_FOR_A_RUN)

        failed = crawls.run()
        (disk / "filler").unlink()
        completed = crawls.run()

        assert failed.returncode == ExitCode.FAILED, failed.stderr[-3000:]
        assert (
            "newscrawler: the crawl failed: (sqlite3.OperationalError) database or disk is full"
            in failed.stderr.splitlines()
        )
        assert completed.returncode == ExitCode.OK, completed.stderr[-3000:]
        with crawls.archive() as archive:
            assert archive.count_articles() == 10
