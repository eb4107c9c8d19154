"""Helpers for tests that drive the ``newscrawler`` command like an operator or cron, and for
tests that build its components from the project's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from newscrawler import settings as project
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, setting_arguments

REPO = Path(__file__).resolve().parents[1]


def project_settings_dict(**overrides: Any) -> dict[str, Any]:
    """The settings of newscrawler/settings.py with ``overrides``, as ``get_crawler`` takes them:
    components read their settings without defaults of their own. ``TWISTED_REACTOR`` is left
    to ``get_crawler``, which keeps the reactor the test process already runs."""
    values = {
        name: getattr(project, name)
        for name in dir(project)
        if name.isupper() and name != "TWISTED_REACTOR"
    }
    return {**values, **overrides}


def project_settings(**overrides: Any) -> Settings:
    """The Scrapy settings of newscrawler/settings.py with ``overrides``."""
    return Settings(project_settings_dict(**overrides))


def newscrawler_command(
    *args: str, cwd: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run the ``newscrawler`` command in a child process, as an operator or cron would."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSCRAWLER_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


#: A local site needs no politeness; the tests that check politeness set their own.
#: A profile of the ISPR shape for a site served on 127.0.0.1 (format with its ``url``).
LOCAL_PROFILE = """\
extends = "ispr"
name = "local"
site = "local"
hosts = ["127.0.0.1"]
base_url = "{url}/"
"""

LOCAL = setting_arguments(
    {
        **LOCAL_SITE_SETTINGS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "NEWSCRAWLER_RETRY_BACKOFF_BASE": 0.05,
        "RETRY_TIMES": 1,
    }
)


class CommandCrawler:
    """Runs ``newscrawler crawl`` in a working directory of its own, into one archive."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.db = f"sqlite:///{workdir / 'archive.sqlite3'}"

    def __call__(self, site: str, *args: str) -> subprocess.CompletedProcess[str]:
        """``newscrawler crawl SITE`` with the local-site settings, then ``args``."""
        return newscrawler_command(
            "crawl", site, "--db", self.db, *LOCAL, *args, cwd=self.workdir, timeout=120
        )


#: The Redis server of the tests that need one.
REDIS_URL = os.environ.get("NEWSCRAWLER_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_client() -> Any:
    """A client of the tests' Redis server; the test is skipped, saying why, without one."""
    import pytest

    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return client


def running_runs(db: str) -> int:
    """Crawls of the archive at ``db`` that have recorded their start and not their end."""
    from storage.archive import Archive

    with Archive.open(db) as archive:
        return sum(run["outcome"] == "running" for run in archive.runs())
