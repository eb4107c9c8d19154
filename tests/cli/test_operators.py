"""What an operator meets running the crawler unattended: exit codes a monitor can trust,
error counts that do not depend on the log level, and cron runs that stay quiet."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import ispr_like_site
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, setting_arguments
from tests.support import LOCAL, LOCAL_PROFILE, REPO, newscrawler_command


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def summary_errors(stdout: str) -> int:
    found = re.search(r"errors (\d+)", stdout)
    assert found, stdout
    return int(found.group(1))


@pytest.mark.parametrize("level", ["INFO", "CRITICAL"])
def test_an_unreachable_site_is_unhealthy_on_its_first_run(level: str, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    result = newscrawler_command(
        "crawl", url, "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", *LOCAL,
        "-s", "RETRY_TIMES=0", "--log-level", level, cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == ExitCode.UNHEALTHY, result.stderr[-3000:]
    assert "UNHEALTHY: fetched no page from the site" in result.stdout
    # robots.txt (fetched once, to obey it), the home page, the usual sitemap and feed paths
    assert summary_errors(result.stdout) == 9


def with_local_profile(workdir: Path, url: str) -> None:
    (workdir / "profiles").mkdir()
    (workdir / "profiles" / "local.toml").write_text(LOCAL_PROFILE.format(url=url))


def test_a_cron_run_at_warning_prints_only_its_summary(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ispr_like_site(12, per_page=5) as site:
        with_local_profile(tmp_path, site.url)
        cron = ("crawl", "local", "--db", db, *LOCAL, "--log-level", "WARNING")
        runs = [newscrawler_command(*cron, cwd=tmp_path) for _ in range(2)]

    for result in runs:
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
        assert result.stderr == ""
    assert "new 12" in runs[0].stdout and "new 0" in runs[1].stdout
    assert runs[1].stdout.startswith("local: finished (finished)")


def test_crawl_all_keeps_child_logs_on_stderr(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ispr_like_site(5) as site:
        with_local_profile(tmp_path, site.url)
        result = newscrawler_command(
            "crawl", "--all", "--db", db, "-s", "NEWSCRAWLER_ALL_SITES=local",
            *setting_arguments(LOCAL_SITE_SETTINGS), cwd=tmp_path,
        )  # fmt: skip

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "[local] " in result.stderr and "[scrapy.core.engine] INFO" in result.stderr
    assert "[scrapy" not in result.stdout
    assert result.stdout.splitlines()[0].startswith("[local] local: finished (finished)")
    assert result.stdout.splitlines()[-2:] == ["crawl --all:", "  local: ok (0)"]


def test_scrapy_crawl_exits_with_the_run_outcome(tmp_path: Path) -> None:
    """How scrapyd runs a job: its process exits non-zero for a run that was not healthy."""
    env = {**os.environ, "NEWSCRAWLER_DB": f"sqlite:///{tmp_path / 'a.sqlite3'}"}
    url = f"http://127.0.0.1:{closed_port()}/"
    result = subprocess.run(
        ["scrapy", "crawl", "auto", "-a", f"url={url}", *LOCAL, "-s", "RETRY_TIMES=0"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == ExitCode.UNHEALTHY, result.stderr[-3000:]
