"""A full disk under the state directory: the run fails, says why, and the next run (with
space again) completes the archive to the same articles as an uninterrupted crawl."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from tests.incremental.sites import ChangingSite, Crawls, archived_state

#: Room left on the full file system: enough for the site's lock, not for its frontier.
ROOM = 8 * 1024


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs, filled up to ``ROOM`` bytes; ``filler`` in it frees the rest."""
    mount = tmp_path / "state"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        pytest.skip(f"no small file system can be mounted here: {mounted.stderr.strip()}")
    try:
        fill(mount / "filler", keep=ROOM)
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def fill(path: Path, *, keep: int) -> None:
    try:
        with path.open("wb") as file:
            while True:
                file.write(b"\0" * 1024)
                file.flush()
    except OSError:
        pass
    os.truncate(path, path.stat().st_size - keep)


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
