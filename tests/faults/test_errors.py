"""Bad arguments and archives that cannot be used: one line that says why, the documented exit
code, never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import generate_releases, ispr_like_site
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, Page, SampleSite, setting_arguments
from storage.archive import Archive
from tests.support import LOCAL_PROFILE, newscrawler_command

PAGE = "http://127.0.0.1:9/news/1"


def one_line_error(result: subprocess.CompletedProcess[str], says: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == ExitCode.CONFIG, result.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("newscrawler: "), result.stderr[-2000:]
    assert says in lines[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("scrape", "not-a-url"), "is not the URL of a web page"),
        (("scrape", PAGE, "--db", "notadialect://somewhere"), "unknown kind of database"),
        (("scrape", PAGE, "--db", "sqlite:////no/such/folder/a.sqlite3"), "no folder /no/such"),
        (("crawl", "ispr", "--db", "notadialect://"), "unknown kind of database"),
        (("crawl", "ispr", "-s", "NOEQUALS"), "-s expects NAME=VALUE"),
        (("export", "--db", "postgresql+psycopg://"), "names no database"),
        (("db", "upgrade", "--db", "notadialect://"), "unknown kind of database"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    args: tuple[str, ...], says: str, tmp_path: Path
) -> None:
    one_line_error(newscrawler_command(*args, cwd=tmp_path), says)


@pytest.mark.parametrize("command", [("export",), ("runs",), ("clusters",)])
def test_reading_a_missing_archive_makes_none(command: tuple[str, ...], tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    one_line_error(
        newscrawler_command(*command, "--db", f"sqlite:///{missing}", cwd=tmp_path), "no archive at"
    )
    assert not missing.exists()


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:9/test"
    for args in (("export", "--db", url), ("scrape", PAGE, "--db", url)):
        one_line_error(newscrawler_command(*args, cwd=tmp_path), "cannot open the archive at")


@pytest.mark.parametrize("command", ["scrape", "crawl"])
def test_an_outdated_archive_says_upgrade_before_crawling(command: str, tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    Archive.open(f"sqlite:///{database}").close()
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    target = PAGE if command == "scrape" else "ispr"
    result = newscrawler_command(command, target, "--db", f"sqlite:///{database}", cwd=tmp_path)
    one_line_error(result, "newscrawler db upgrade")


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (Page(b"<h1>Not found</h1>", status=404), "http_404"),
        (Page(b"", status=302, headers={"Location": "/news/1"}), "redirect_loop"),
    ],
)
def test_a_scrape_whose_page_failed_fails(page: Page, reason: str, tmp_path: Path) -> None:
    with SampleSite() as site:
        site.add("/news/1", page)
        url = f"{site.url}/news/1"
        result = newscrawler_command(
            "scrape",
            url,
            "--db",
            f"sqlite:///{tmp_path / 'archive.sqlite3'}",
            *setting_arguments(LOCAL_SITE_SETTINGS),
            cwd=tmp_path,
        )
    assert result.returncode == ExitCode.FAILED, result.stderr[-2000:]
    assert f"Could not fetch {url} ({reason})" in result.stderr
    assert f"not fetched: {reason} 1" in result.stdout
    assert "Traceback" not in result.stderr


BROKEN = "name = 'broken'\nhosts = [unclosed\n"


def with_profiles(workdir: Path, **profiles: str) -> None:
    folder = workdir / "profiles"
    folder.mkdir()
    for name, text in profiles.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")


def skipped_broken_profile(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == ExitCode.CONFIG, result.stderr[-2000:]
    assert "newscrawler: skipped a profile: profiles/broken.toml: (top level): not valid TOML" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_sites_lists_the_other_profiles_and_names_the_broken_one(tmp_path: Path) -> None:
    with_profiles(tmp_path, broken=BROKEN)
    result = newscrawler_command("sites", cwd=tmp_path)
    skipped_broken_profile(result)
    assert "ispr" in result.stdout and "poslanews" in result.stdout


def test_a_scrape_beside_a_broken_profile_archives_its_page(tmp_path: Path) -> None:
    with_profiles(tmp_path, broken=BROKEN)
    database = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ispr_like_site(1) as site:
        release = f"{site.url}{generate_releases(1)[0].path}"
        result = newscrawler_command("scrape", release, "--db", database, cwd=tmp_path)
    skipped_broken_profile(result)
    with Archive.open(database) as archive:
        assert [row["url"] for row in archive.iter_articles()] == [release]


def test_crawl_all_crawls_the_other_sites_and_names_the_broken_profile(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ispr_like_site(5) as site:
        with_profiles(tmp_path, broken=BROKEN, local=LOCAL_PROFILE.format(url=site.url))
        result = newscrawler_command(
            "crawl", "--all", "--db", database, "-s", "NEWSCRAWLER_ALL_SITES=local",
            *setting_arguments(LOCAL_SITE_SETTINGS), cwd=tmp_path,
        )  # fmt: skip
    skipped_broken_profile(result)
    with Archive.open(database) as archive:
        assert archive.count_articles(site="local") == 5
