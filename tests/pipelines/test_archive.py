"""A page goes in at one end, an archived row comes out at the other: real crawls and databases."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import generate_releases, ispr_like_site, release_page
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, SampleSite, setting_arguments
from storage.archive import Archive
from tests.support import REPO, newscrawler_command

LOCAL = setting_arguments(LOCAL_SITE_SETTINGS)
#: A full re-crawl: every release fetched again, whatever the archive holds.
FULL = ("-s", "NEWSCRAWLER_INCREMENTAL=False")


def crawl_ispr(site: SampleSite, db: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return newscrawler_command(
        "crawl", "ispr", "-a", f"base_url={site.url}", "--db", db, *LOCAL, *extra
    )


def test_crawl_archives_every_release_once(archive_url: str, ispr_site: SampleSite) -> None:
    first = crawl_ispr(ispr_site, archive_url)
    incremental = crawl_ispr(ispr_site, archive_url)
    second = crawl_ispr(ispr_site, archive_url, *FULL)

    assert first.returncode == ExitCode.OK, first.stderr[-2000:]
    assert incremental.returncode == ExitCode.OK, incremental.stderr[-2000:]
    assert second.returncode == ExitCode.OK, second.stderr[-2000:]
    assert "new 30, changed 0" in first.stdout
    assert "new 0, changed 0, unchanged 0" in incremental.stdout
    assert "new 0, changed 0, unchanged 30" in second.stdout
    releases = generate_releases(30)
    with Archive.open(archive_url) as archive:
        articles = list(archive.iter_articles())
        runs = archive.runs()
    assert sorted(a["title"] for a in articles) == sorted(r.title for r in releases)
    assert len({a["url"] for a in articles}) == 30
    assert {a["site"] for a in articles} == {"ispr"}
    assert [(r["outcome"], r["items_new"], r["items_archived"]) for r in runs] == [
        ("finished", 0, 30),
        ("finished", 0, 0),
        ("finished", 30, 30),
    ]
    assert runs[2]["pages_fetched"] >= 33  # 3 listing pages and 30 releases
    assert runs[1]["pages_fetched"] < 10  # the unchanged listing is not walked again
    assert runs[2]["stats"]["finish_reason"] == "finished"


def test_a_changed_release_gets_a_revision(archive_url: str, ispr_site: SampleSite) -> None:
    release = generate_releases(30)[5]
    assert crawl_ispr(ispr_site, archive_url).returncode == ExitCode.OK
    edited = release.__class__(
        release.id,
        release.language,
        release.title,
        (*release.paragraphs, "A correction was issued later the same day."),
        release.released,
    )
    ispr_site.add(release.path, release_page(edited))

    result = crawl_ispr(ispr_site, archive_url, *FULL)

    assert result.returncode == ExitCode.OK, result.stderr[-2000:]
    assert "new 0, changed 1, unchanged 29" in result.stdout
    with Archive.open(archive_url) as archive:
        article = archive.get_article(f"{ispr_site.url}{release.path}")
        assert article is not None
        revisions = archive.revisions(article["id"])
        assert archive.count_articles() == 30
    assert article["body"].endswith("A correction was issued later the same day.")
    assert article["changed_at"] > article["first_seen_at"]
    assert len(revisions) == 1
    assert revisions[0]["body"] == release.body
    assert revisions[0]["valid_to"] == article["changed_at"]


def test_sigterm_keeps_what_reached_the_sink_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with ispr_like_site(60, per_page=20) as site:
        for path, page in site.pages.items():
            if "detail" in path:
                page.delay = 0.15
        crawl = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newscrawler.cli",
                "crawl",
                "ispr",
                "-a",
                f"base_url={site.url}",
                "--db",
                db,
                *LOCAL,
                "-s",
                "CONCURRENT_REQUESTS=2",
                "-s",
                "ARCHIVE_BATCH_SIZE=4",
                "-s",
                "ARCHIVE_BATCH_MAX_DELAY=0.3",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait_for_rows(tmp_path / "archive.sqlite3", at_least=6, process=crawl)
        crawl.send_signal(signal.SIGTERM)
        _, err = crawl.communicate(timeout=60)

        assert crawl.returncode == ExitCode.INTERRUPTED, err[-2000:]
        with Archive.open(db) as archive:
            interrupted = archive.runs()[0]
            kept = archive.count_articles()
        assert interrupted["outcome"] == "interrupted"
        assert interrupted["stats"]["finish_reason"] == "shutdown"
        assert 6 <= kept < 60
        # Every item that passed the sink is in the archive.
        assert kept == interrupted["stats"]["item_scraped_count"] == interrupted["items_new"]

        again = crawl_ispr(site, db)

    assert again.returncode == ExitCode.OK, again.stderr[-2000:]
    with Archive.open(db) as archive:
        urls = [a["url"] for a in archive.iter_articles()]
    assert len(urls) == len(set(urls)) == 60


def test_a_batch_that_cannot_be_written_is_reported_with_its_urls(
    tmp_path: Path, ispr_site: SampleSite
) -> None:
    path = tmp_path / "archive.sqlite3"
    db = f"sqlite:///{path}"
    Archive.open(db).close()
    rejected = f"{ispr_site.url}/press-release-detail.php?id=7005"
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TRIGGER reject_one BEFORE INSERT ON articles "
        f"WHEN NEW.url = '{rejected}' BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    )
    connection.commit()
    connection.close()

    result = crawl_ispr(
        ispr_site, db, "-s", "ARCHIVE_BATCH_SIZE=1", "-s", "ARCHIVE_WRITE_RETRIES=1"
    )

    assert result.returncode == ExitCode.FAILED
    assert "NOT ARCHIVED (write failures, see log): 1" in result.stdout
    assert "disk says no" in result.stderr and rejected in result.stderr
    with Archive.open(db) as archive:
        run = archive.runs()[0]
        assert archive.count_articles() == 29
        assert archive.get_article(rejected) is None
    assert run["outcome"] == "failed"
    assert run["stats"]["lost_urls"] == [rejected]


def _wait_for_rows(path: Path, *, at_least: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the crawl ended early: {process.stderr.read() if process.stderr else ''}")
        if path.exists():
            try:
                with sqlite3.connect(path, timeout=1) as connection:
                    if (
                        connection.execute("SELECT count(*) FROM articles").fetchone()[0]
                        >= at_least
                    ):
                        return
            except sqlite3.OperationalError:
                pass  # the schema is still being created
        time.sleep(0.1)
    pytest.fail("no articles were archived within 60 s")
