"""The configuration file: found where documented, below the command line and the
environment, above the defaults; ``newscrawler config`` says where each value came from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import ispr_like_site
from storage.archive import Archive
from tests.support import LOCAL

CONFIG = """\
archive = "sqlite:///from-file.sqlite3"

[settings]
NEWSCRAWLER_RECHECK_MAX_PER_RUN = 50
NEWSCRAWLER_INCREMENTAL_STOP_AFTER = 4

[sites.local]
delay = 0.25

[sites.other]
enabled = false
"""

PROFILE = """\
extends = "ispr"
name = "{name}"
site = "{name}"
hosts = ["127.0.0.1"]
base_url = "{url}/"
"""


def newscrawler(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    for name in ("NEWSCRAWLER_DB", "NEWSCRAWLER_CONFIG"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def effective(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert result.returncode == ExitCode.OK, result.stderr
    return {
        line.split(" = ")[0]: line.split(" = ", 1)[1]
        for line in result.stdout.splitlines()
        if " = " in line and not line.startswith(("#", "["))
    }


def test_precedence_command_line_environment_file_defaults(tmp_path: Path) -> None:
    (tmp_path / "newscrawler.toml").write_text(CONFIG)
    shown = effective(
        newscrawler(
            "config", "-s", "NEWSCRAWLER_INCREMENTAL_STOP_AFTER=9", "--site", "local",
            cwd=tmp_path, NEWSCRAWLER_DB="sqlite:///env.sqlite3",
        )
    )  # fmt: skip

    assert shown["NEWSCRAWLER_INCREMENTAL_STOP_AFTER"] == '"9"  # command line'
    assert shown["ARCHIVE_URL"] == '"sqlite:///env.sqlite3"  # environment NEWSCRAWLER_DB'
    assert shown["NEWSCRAWLER_RECHECK_MAX_PER_RUN"] == "50  # file newscrawler.toml"
    assert shown["DOWNLOAD_DELAY"] == "0.25  # file newscrawler.toml"
    assert shown["NEWSCRAWLER_RECHECK_SCHEDULE"] == '"2d:1h,14d:1d,*:7d"  # default'


def test_the_file_is_named_by_option_or_environment(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.toml").write_text('archive = "sqlite:///named.sqlite3"\n')
    by_option = effective(newscrawler("config", "--config", "elsewhere.toml", cwd=tmp_path))
    by_env = effective(newscrawler("config", cwd=tmp_path, NEWSCRAWLER_CONFIG="elsewhere.toml"))
    without = effective(newscrawler("config", cwd=tmp_path))

    assert by_option["ARCHIVE_URL"] == '"sqlite:///named.sqlite3"  # file elsewhere.toml'
    assert by_env == by_option
    assert without["ARCHIVE_URL"] == '"sqlite:///archive.sqlite3"  # default'


def test_a_missing_or_wrong_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "wrong.toml").write_text("[sites.x]\nspeed = 3\n")
    missing = newscrawler("runs", "--config", "nope.toml", cwd=tmp_path)
    wrong = newscrawler("crawl", "ispr", cwd=tmp_path, NEWSCRAWLER_CONFIG="wrong.toml")

    for result, says in ((missing, "no configuration file at nope.toml"),
                         (wrong, "sites.x: unknown key 'speed'")):  # fmt: skip
        assert result.returncode == ExitCode.CONFIG, result.stderr
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert says in result.stderr


def test_crawl_all_uses_the_file_archive_and_its_enabled_sites(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    with ispr_like_site(4) as site:
        for name in ("local", "other"):
            profile = PROFILE.format(name=name, url=site.url)
            (tmp_path / "profiles" / f"{name}.toml").write_text(profile)
        (tmp_path / "newscrawler.toml").write_text(
            CONFIG.replace(
                "[sites.local]", "[sites.ispr]\nenabled = false\n\n[sites.local]"
            ).replace("[sites.other]", "[sites.poslanews]\nenabled = false\n\n[sites.other]")
        )
        result = newscrawler("crawl", "--all", *LOCAL, cwd=tmp_path)

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert result.stdout.splitlines()[-2:] == ["crawl --all:", "  local: ok (0)"]
    with Archive.open(f"sqlite:///{tmp_path / 'from-file.sqlite3'}") as archive:
        assert archive.count_articles(site="local") == 4
    assert not (tmp_path / "archive.sqlite3").exists()


def test_scrapy_settings_module_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "site_settings.py").write_text(
        "from newscrawler.settings import *  # noqa: F403\nNEWSCRAWLER_RECHECK_MAX_PER_RUN = 7\n"
    )
    shown = effective(newscrawler("config", cwd=tmp_path, SCRAPY_SETTINGS_MODULE="site_settings"))
    assert shown["NEWSCRAWLER_RECHECK_MAX_PER_RUN"] == "7  # default"
