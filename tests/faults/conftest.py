"""Fixtures of the fault suite: small file systems that fill up, and crawls into either archive."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from newscrawler.samples.server import SampleSite
from tests.incremental.sites import Crawls

#: Room left on a full state directory: enough for the site's lock, not for its frontier.
ROOM = 8 * 1024


@pytest.fixture
def crawls_of(tmp_path: Path, archive_url: str) -> Callable[[SampleSite], Crawls]:
    """Crawls of a site into an SQLite or a PostgreSQL archive, with a state directory of
    their own."""

    def crawls(site: SampleSite) -> Crawls:
        return Crawls(site, archive_url, tmp_path / "state")

    return crawls


@contextmanager
def small_file_system(mount: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``mount``; the test is skipped where no mount is allowed."""
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        pytest.skip(f"no small file system can be mounted here: {mounted.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def fill(path: Path, *, keep: int) -> None:
    """Write ``path`` until its file system is full, then give back ``keep`` bytes."""
    try:
        with path.open("wb") as file:
            while True:
                file.write(b"\0" * 1024)
                file.flush()
    except OSError:
        pass
    os.truncate(path, path.stat().st_size - keep)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs, filled up to ``ROOM`` bytes; ``filler`` in it frees the rest."""
    with small_file_system(tmp_path / "state", "64k") as mount:
        fill(mount / "filler", keep=ROOM)
        yield mount
