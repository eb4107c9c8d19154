"""Crawls of local sites through the real ``newscrawler`` command, one subprocess each."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from newscrawler.samples.server import LOCAL_SITE_SETTINGS, setting_arguments
from tests.support import newscrawler_command

#: A local site needs no politeness; the tests that check politeness set their own.
LOCAL = setting_arguments(
    {
        **LOCAL_SITE_SETTINGS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "NEWSCRAWLER_RETRY_BACKOFF_BASE": 0.05,
        "RETRY_TIMES": 1,
    }
)


class Crawler:
    """Runs ``newscrawler crawl`` in a working directory of its own, into one archive."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.db = f"sqlite:///{workdir / 'archive.sqlite3'}"

    def __call__(self, site: str, *args: str) -> subprocess.CompletedProcess[str]:
        """``newscrawler crawl SITE`` with the local-site settings, then ``args``."""
        return newscrawler_command(
            "crawl", site, "--db", self.db, *LOCAL, *args, cwd=self.workdir, timeout=120
        )


@pytest.fixture
def crawl(tmp_path: Path) -> Crawler:
    return Crawler(tmp_path)
