"""The command's options as the help states them: each with a test that can fail."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import generate_releases, ispr_like_site
from newscrawler.samples.server import SampleSite
from storage.archive import Archive
from storage.models import ArticleRevision
from tests.support import LOCAL, LOCAL_PROFILE, REPO, newscrawler_command

COMMANDS = (
    "crawl",
    "scrape",
    "export",
    "search",
    "clusters",
    "runs",
    "demo",
    "sites",
    "config",
    "reprocess",
    "import-warc",
    "db upgrade",
)


def one_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == ExitCode.CONFIG, result.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("newscrawler: "), result.stderr
    assert says in lines[0]


def test_version() -> None:
    result = newscrawler_command("--version")
    assert result.returncode == ExitCode.OK
    assert result.stdout.startswith("newscrawler ") and result.stdout.split()[1][0].isdigit()


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_says_what_it_does_and_its_exit_codes(command: str) -> None:
    result = newscrawler_command(*command.split(), "--help")
    description = result.stdout.split("\n\n")[1]
    assert result.returncode == ExitCode.OK
    assert not description.lstrip().startswith(("positional", "options")), result.stdout
    assert "exit codes:" in result.stdout and "  2  bad arguments" in result.stdout


@pytest.mark.parametrize(
    ("command", "meaning"),
    [
        ("crawl", "publication date"),
        ("export", "changed_at; not the publication date"),
        ("clusters", "latest copy, not its first publication"),
    ],
)
def test_since_says_which_date_it_means(command: str, meaning: str) -> None:
    help_text = " ".join(newscrawler_command(command, "--help").stdout.split())
    assert meaning in help_text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("crawl", "ispr", "--log-level", "foo"), "not a log level: 'foo'"),
        (("crawl", "ispr", "--jobs", "2"), "--jobs goes with --all"),
        (("crawl", "--all", "--dry-run"), "--dry-run lists one site's pages"),
        (("export", "--fields", "url,nope"), "no such column: nope"),
        (("export", "--after", "0", "--limit", "3"), "no filters"),
        (("scrape", "http://127.0.0.1:9/a", "--profile", "no-such"), "no such profile"),
    ],
)
def test_misplaced_options_are_one_line_and_exit_2(
    args: tuple[str, ...], says: str, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    Archive.open(db).close()
    one_line(newscrawler_command(*args, "--db", db, cwd=tmp_path), says)


# -- reading the archive ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An archive of two sites' runs: the demo's eight articles, then three of another."""
    workdir = tmp_path_factory.mktemp("archive")
    db = f"sqlite:///{workdir / 'archive.sqlite3'}"
    for site, articles in (("demo", "8"), ("other", "3")):
        result = newscrawler_command(
            "demo", "--articles", articles, "--site", site, "--db", db, cwd=workdir
        )
        assert result.returncode == ExitCode.OK, result.stderr[-2000:]
    return workdir, db


def test_export_limit_and_fields(archive: tuple[Path, str]) -> None:
    workdir, db = archive
    result = newscrawler_command(
        "export", "--db", db, "--limit", "3", "--fields", "title,url", cwd=workdir
    )
    as_csv = newscrawler_command(
        "export", "--db", db, "--format", "csv", "--fields", "url,site", cwd=workdir
    )

    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3 and all(list(row) == ["title", "url"] for row in rows)
    assert as_csv.stdout.splitlines()[0] == "url,site" and len(as_csv.stdout.splitlines()) == 12


def test_export_until_is_before_the_change_time(archive: tuple[Path, str]) -> None:
    workdir, db = archive
    with Archive.open(db) as opened:
        changed = sorted(a["changed_at"] for a in opened.iter_articles())
    cut = changed[8].isoformat()  # the first article of the second run
    before = newscrawler_command("export", "--db", db, "--until", cut, cwd=workdir)
    after = newscrawler_command("export", "--db", db, "--since", cut, cwd=workdir)
    assert len(before.stdout.splitlines()) == 8
    assert len(after.stdout.splitlines()) == 3


def test_runs_of_one_site(archive: tuple[Path, str]) -> None:
    workdir, db = archive
    result = newscrawler_command("runs", "--db", db, "--site", "other", "--json", cwd=workdir)
    runs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(run["site"], run["items_new"]) for run in runs] == [("other", 3)]


# -- crawling -----------------------------------------------------------------------------------


@pytest.fixture
def local_site(tmp_path: Path) -> Iterator[SampleSite]:
    """A 12-release ISPR-like site, with a profile ``local`` for it in the working directory."""
    with ispr_like_site(12, per_page=5) as site:
        (tmp_path / "profiles").mkdir()
        (tmp_path / "profiles" / "local.toml").write_text(LOCAL_PROFILE.format(url=site.url))
        yield site


def test_a_dry_run_lists_what_a_crawl_would_fetch(local_site: SampleSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    def crawl(*extra: str) -> subprocess.CompletedProcess[str]:
        return newscrawler_command("crawl", "local", "--db", db, *LOCAL, *extra, cwd=tmp_path)

    first = crawl("--dry-run")
    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    assert not (tmp_path / "archive.sqlite3").exists()
    listed = first.stdout.splitlines()
    assert sorted(listed) == sorted(f"{local_site.url}{r.path}" for r in generate_releases(12))
    assert "a crawl would fetch 12 article pages" in first.stderr
    assert not any("detail" in path for path in local_site.requested_paths())

    assert crawl().returncode == ExitCode.OK
    with Archive.open(db) as opened:
        runs_before = len(opened.runs())
    again = crawl("--dry-run")  # of an unchanged, archived site: nothing to fetch
    assert again.returncode == ExitCode.OK, again.stderr[-3000:]
    assert again.stdout == "" and "a crawl would fetch 0 article pages" in again.stderr
    with Archive.open(db) as opened:
        assert len(opened.runs()) == runs_before


def test_ids_of_a_profile_given_by_path(local_site: SampleSite, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    result = newscrawler_command(
        "crawl", "./profiles/local.toml", "--ids", "7000-7004", "--db", db, *LOCAL, cwd=tmp_path
    )
    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    with Archive.open(db) as opened:
        assert opened.count_articles(site="local") == 5


def test_scrape_of_a_mirror_reads_the_page_with_the_site_profile(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    release = generate_releases(3)[2]
    with ispr_like_site(3) as mirror:
        url = f"{mirror.url}{release.path}"
        scrapes = [
            newscrawler_command("scrape", url, "--profile", "ispr", "--db", db, cwd=tmp_path)
            for _ in range(2)
        ]

    assert all(result.returncode == ExitCode.OK for result in scrapes), scrapes[0].stderr
    assert "new 1" in scrapes[0].stdout and "unchanged 1" in scrapes[1].stdout
    with Archive.open(db) as opened:
        (article,) = opened.iter_articles()
        with opened.engine.connect() as conn:
            revisions = conn.execute(select(func.count()).select_from(ArticleRevision)).scalar()
    assert article["site"] == "ispr" and article["extras"]["pr_number"] == release.pr_number
    assert revisions == 0


def test_scrapy_parse_prints_the_article_and_archives_nothing(tmp_path: Path) -> None:
    release = generate_releases(2)[1]
    archive_file = tmp_path / "archive.sqlite3"
    env = {**os.environ, "NEWSCRAWLER_DB": f"sqlite:///{archive_file}"}
    with ispr_like_site(2) as site:
        result = subprocess.run(
            ["scrapy", "parse", "--spider", "ispr", f"{site.url}{release.path}"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    assert f"'pr_number': '{release.pr_number}'" in result.stdout
    assert not archive_file.exists()
