"""``newscrawler reprocess``: a crawl of a local site, a profile edit, then the stored pages read
again with the site stopped; and the captures a re-crawl adds."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.profiles.loader import PROFILES_DIR_ENV
from storage.archive import Archive
from tests.incremental.sites import ChangingSite
from tests.support import LOCAL, REPO, newscrawler_command

#: Re-check every archived article on every run.
RECHECK_ALL = ("-s", "NEWSCRAWLER_RECHECK_SCHEDULE=*:0")
BUILTIN_ISPR = REPO / "newscrawler" / "profiles" / "builtin" / "ispr.toml"


@pytest.fixture
def site() -> Iterator[ChangingSite]:
    """12 releases, 6 a listing page, no validators: every re-check fetches the whole page."""
    with ChangingSite(12, per_page=6) as site:
        yield site


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's profiles folder, empty: the built-in ispr profile reads the site."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    monkeypatch.setenv(PROFILES_DIR_ENV, str(folder))
    return folder


class Commands:
    def __init__(self, workdir: Path, site: ChangingSite) -> None:
        self.workdir = workdir
        self.site = site
        self.db = f"sqlite:///{workdir / 'archive.sqlite3'}"
        self.base_url = site.url

    def crawl(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.run("crawl", "ispr", "-a", f"base_url={self.base_url}", *LOCAL, *extra)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = newscrawler_command(*args, "--db", self.db, cwd=self.workdir)
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
        return result

    def articles(self) -> dict[str, dict[str, Any]]:
        with Archive.open(self.db) as archive:
            return {article["url"]: article for article in archive.iter_articles()}

    def count(self, table: str) -> int:
        with Archive.open(self.db) as archive, archive.engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())

    def last_run(self) -> dict[str, Any]:
        with Archive.open(self.db) as archive:
            return archive.runs(limit=1)[0]


def test_reprocess_reads_the_stored_pages_again_after_a_profile_edit(
    tmp_path: Path, site: ChangingSite, profiles: Path
) -> None:
    commands = Commands(tmp_path, site)
    commands.crawl()
    before = commands.articles()
    port = int(site.url.rsplit(":", 1)[1])
    site.stop()
    edited = BUILTIN_ISPR.read_text(encoding="utf-8").replace(
        'title_from_first_paragraph = "if-upper"', 'title_from_first_paragraph = "never"'
    )
    (profiles / "ispr.toml").write_text(edited, encoding="utf-8")

    result = commands.run(
        "reprocess", "-s", "NEWSCRAWLER_PROGRESS=log", "-s", "NEWSCRAWLER_PROGRESS_INTERVAL=0.05"
    )

    after = commands.articles()
    run = commands.last_run()
    assert len(before) == 12 and after.keys() == before.keys()
    for url, article in after.items():
        old = before[url]
        assert article["title"].startswith("PR-"), article["title"]
        assert article["body"].startswith(old["title"]) or article["language"] == "ur"
        assert article["body"] != old["body"]
        assert article["extracted_with"] != old["extracted_with"]
        for unmoved in ("first_seen_at", "last_seen_at", "changed_at", "http_status"):
            assert article[unmoved] == old[unmoved], (url, unmoved)
    assert commands.count("article_revisions") == 0
    assert commands.count("captures") == 12
    assert run["spider"] == "reprocess" and run["outcome"] == "finished"
    assert run["pages_fetched"] == 12 and run["items_changed"] == 12
    assert run["stats"]["newscrawler/reprocess/changed/title"] == 12
    assert run["stats"]["newscrawler/reprocess/changed/body"] == 12
    assert not [key for key in run["stats"] if key.startswith("newscrawler/fetch_failed/")]
    assert "of 12 stored pages" in result.stderr
    assert "reprocess: finished" in result.stdout

    # Started again, it finds every article read by this extraction already: nothing to do.
    commands.run("reprocess")
    again = commands.last_run()
    assert again["stats"]["newscrawler/reprocess/current"] == 12
    assert again["pages_fetched"] == 0 and commands.articles() == after

    # The site back, one page changed: the next crawl makes a revision and keeps the new page.
    changed = site.edit(3, "A correction was issued later the same day.")
    site.start(port)
    result = commands.crawl(*RECHECK_ALL)
    assert "new 0, changed 1, unchanged 11" in result.stdout
    article = commands.articles()[f"{commands.base_url}{changed.path}"]
    with Archive.open(commands.db) as archive:
        revisions = archive.revisions(article["id"])
    assert [revision["title"] for revision in revisions] == [after[article["url"]]["title"]]
    assert article["body"].endswith("A correction was issued later the same day.")
    assert article["changed_at"] > article["first_seen_at"]
    assert commands.count("captures") == 13


def test_an_unchanged_recrawl_adds_no_capture(tmp_path: Path, site: ChangingSite) -> None:
    commands = Commands(tmp_path, site)
    commands.crawl()
    assert commands.count("captures") == 12
    pack = tmp_path / "archive.sqlite3.pages" / "pages-000001.zst"
    packed = pack.stat().st_size
    site.requests.clear()

    result = commands.crawl(*RECHECK_ALL, "-s", "NEWSCRAWLER_CAPTURE_KEEP_VERSIONS=1")

    assert "new 0, changed 0, unchanged 12" in result.stdout
    assert len([r for r in site.requests if "detail" in r.path]) == 12
    assert commands.count("captures") == 12
    assert pack.stat().st_size == packed > 0  # the pages, beside the archive, not written again
    stats = commands.last_run()["stats"]
    # The pages were packed by the capture pipeline, beside the archive's writer; with
    # versions pruned, the crawl ended by compacting its page files (one, the newest: none).
    assert stats["newscrawler/capture/cpu_seconds"] > 0
    assert stats["newscrawler/archive/page_files_compacted"] == 0


def test_captures_switched_off_keep_no_page(tmp_path: Path, site: ChangingSite) -> None:
    commands = Commands(tmp_path, site)
    commands.crawl("-s", "NEWSCRAWLER_CAPTURE_ENABLED=False")
    assert len(commands.articles()) == 12
    assert commands.count("captures") == 0


def test_reprocess_of_a_missing_archive_or_profile_is_a_usage_error(tmp_path: Path) -> None:
    result = newscrawler_command(
        "reprocess", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}", cwd=tmp_path
    )
    unknown = newscrawler_command("reprocess", "--profile", "no-such-site", cwd=tmp_path)
    assert result.returncode == ExitCode.CONFIG
    assert "no archive at" in result.stderr
    assert unknown.returncode == ExitCode.CONFIG and "no such profile" in unknown.stderr
