"""The ``newscrawler`` command as a newcomer, an operator and a downstream reader use it."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newscrawler.cli import project_settings
from newscrawler.exitcodes import ExitCode
from storage import packs
from storage.archive import Archive
from tests.storage.test_archive import T0
from tests.storage.test_captures import fetched
from tests.support import REPO, newscrawler_command

#: The demo's own archive, in the working directory it ran in.
DEMO_DB = ("--db", "sqlite:///demo.sqlite3")


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The working directory of a newcomer who ran ``newscrawler demo`` once."""
    workdir = tmp_path_factory.mktemp("newcomer")
    result = newscrawler_command("demo", cwd=workdir)
    assert result.returncode == ExitCode.OK, result.stderr[-2000:]
    return workdir, result.stdout


def test_demo_archives_the_sample_site_into_its_own_archive(
    demo_archive: tuple[Path, str],
) -> None:
    workdir, output = demo_archive
    assert (workdir / "demo.sqlite3").exists()
    assert not (workdir / "archive.sqlite3").exists()
    assert "new 24, changed 0" in output
    assert "24 articles in sqlite:///demo.sqlite3" in output
    assert "newscrawler export --format jsonl --db sqlite:///demo.sqlite3" in output
    with Archive.open(f"sqlite:///{workdir / 'demo.sqlite3'}") as archive:
        assert archive.count_articles() == 24
        assert archive.count_articles(site="demo") == 24
        assert {a["language"] for a in archive.iter_articles()} == {"en", "ur"}


def test_demo_archives_where_and_as_told(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    result = newscrawler_command(
        "demo", "--articles", "3", "--db", db, "--site", "sample", cwd=tmp_path
    )

    assert result.returncode == ExitCode.OK, result.stderr[-2000:]
    assert not (tmp_path / "demo.sqlite3").exists()
    with Archive.open(db) as archive:
        assert archive.count_articles(site="sample") == 3


def test_export_jsonl_prints_every_article(demo_archive: tuple[Path, str]) -> None:
    workdir, _ = demo_archive
    result = newscrawler_command("export", "--format", "jsonl", *DEMO_DB, cwd=workdir)

    assert result.returncode == ExitCode.OK, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 24
    first = rows[0]
    assert set(first) >= {"url", "title", "body", "published_at", "first_seen_at", "extras"}
    assert datetime.fromisoformat(first["first_seen_at"]).utcoffset().total_seconds() == 0
    assert "\n\n" in first["body"]


def test_export_filters_and_csv(demo_archive: tuple[Path, str]) -> None:
    workdir, _ = demo_archive
    urdu = newscrawler_command(
        "export", "--format", "csv", "--language", "ur", *DEMO_DB, cwd=workdir
    )
    future = newscrawler_command("export", "--since", "2999-01-01", *DEMO_DB, cwd=workdir)
    to_file = newscrawler_command(
        "export", "--site", "demo", "-o", "out.jsonl", *DEMO_DB, cwd=workdir
    )

    rows = list(csv.DictReader(io.StringIO(urdu.stdout)))
    assert len(rows) == 6
    assert all(row["language"] == "ur" for row in rows)
    assert json.loads(rows[0]["extras"])["pr_number"].startswith("PR-")
    assert future.stdout == ""
    assert "24 articles written to out.jsonl" in to_file.stderr
    assert len((workdir / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 24


def test_runs_lists_the_demo_run(demo_archive: tuple[Path, str]) -> None:
    workdir, _ = demo_archive
    table = newscrawler_command("runs", *DEMO_DB, cwd=workdir)
    as_json = newscrawler_command("runs", "--json", *DEMO_DB, cwd=workdir)

    assert table.returncode == ExitCode.OK
    assert "ispr" in table.stdout and "finished" in table.stdout
    run = json.loads(as_json.stdout.splitlines()[0])
    assert run["outcome"] == "finished"
    assert run["items_new"] == 24


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    result = newscrawler_command("db", "upgrade", "--db", db)

    assert result.returncode == ExitCode.OK, result.stderr
    assert "schema is current" in result.stdout
    with Archive.open(db, create=False) as archive:
        assert archive.count_articles() == 0


def test_db_compact_pages_gives_back_the_disk_of_pruned_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 'paged.sqlite3'}"
    monkeypatch.setattr(packs, "PACK_SIZE_LIMIT", 1)  # a pack for every write
    with Archive.open(db) as archive:
        for day in range(4):
            page = f"<p>version {day}</p>".encode() * 100
            at = T0 + timedelta(days=day)
            batch = [fetched(page, at, content_hash=f"h{day}")]
            archive.write_batch(batch, keep_captures=1)
        assert archive.packs is not None
        folder = archive.packs.directory
    assert len(list(folder.iterdir())) == 4

    result = newscrawler_command("db", "compact-pages", "--db", db)

    assert result.returncode == ExitCode.OK, result.stderr
    assert "3 page files compacted" in result.stdout
    assert [path.name for path in folder.iterdir()] == ["pages-000004.zst"]
    with Archive.open(db, create=False) as archive:
        [newest] = archive.iter_captures()
    assert newest["body"] == b"<p>version 3</p>" * 100


def test_reading_commands_do_not_create_an_archive(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    result = newscrawler_command("export", "--db", f"sqlite:///{missing}")
    assert result.returncode == ExitCode.CONFIG
    assert f"no archive at {missing}" in result.stderr
    assert not missing.exists()


def test_an_unknown_site_is_a_usage_error(tmp_path: Path) -> None:
    result = newscrawler_command("crawl", "no-such-site", "--db", f"sqlite:///{tmp_path}/a.db")
    assert result.returncode == ExitCode.CONFIG
    assert "no-such-site" in result.stderr


def test_scheduled_runs_open_no_listening_socket() -> None:
    settings = project_settings()
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    extensions = settings.getwithbase("EXTENSIONS")
    assert extensions["scrapy.extensions.telnet.TelnetConsole"] is None
    # Not even listed: Scrapy would import its module, and aiohttp's web server with it.
    assert not any(path.endswith(".RemoteControl") for path in extensions)


def test_a_crawl_listens_on_no_port(tmp_path: Path) -> None:
    """The telnet console would take 6023 and remote control its own port: neither may open."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 6023))  # fails here if something already listens
    probe.close()
    result = newscrawler_command("demo", "--articles", "3", cwd=tmp_path)
    assert result.returncode == ExitCode.OK
    assert "Telnet console listening" not in result.stderr
    assert "remote control" not in result.stderr.lower()


def test_scrapy_commands_work_from_the_repository_root() -> None:
    listed = subprocess.run(["scrapy", "list"], cwd=REPO, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "ispr" in listed.stdout.split()
