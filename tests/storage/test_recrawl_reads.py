"""The archive's read and write methods for re-crawls, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.archive import Archive
from tests.support import REPO

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
URL = "https://news.example/story"


def record(url: str = URL, **changes: Any) -> dict[str, Any]:
    return {
        "url": url,
        "site": "news",
        "title": "A story",
        "body": "Its text.",
        "content_hash": "h1",
        "fetched_at": T0,
        "published_at": T0 - timedelta(days=1),
        "etag": '"v1"',
        "last_modified": "Sun, 01 Mar 2026 11:00:00 GMT",
        "aliases": [f"{url}?utm_source=x"],
        **changes,
    }


@pytest.fixture
def archive(archive_url: str) -> Iterator[Archive]:
    with Archive.open(archive_url) as archive:
        archive.write_batch([record(), record("https://other.example/x", site="other")])
        yield archive


def known(archive: Archive) -> dict[str, dict[str, Any]]:
    return {row.url: row._asdict() for row in archive.iter_known("news")}


def test_known_articles_of_a_site_under_their_urls_and_aliases(archive: Archive) -> None:
    rows = known(archive)

    assert rows.keys() == {URL, f"{URL}?utm_source=x"}
    assert rows[URL] == {
        "url": URL,
        "article_url": URL,
        "published_at": T0 - timedelta(days=1),
        "last_seen_at": T0,
        "etag": '"v1"',
        "last_modified": "Sun, 01 Mar 2026 11:00:00 GMT",
        "removed_at": None,
    }
    assert rows[f"{URL}?utm_source=x"]["article_url"] == URL


def test_mark_seen_moves_last_seen_at_forward_only(archive: Archive) -> None:
    before = archive.get_article(URL)

    archive.mark_seen([(f"{URL}?utm_source=x", T0 + timedelta(hours=5))])
    archive.mark_seen([(URL, T0 + timedelta(hours=1))])

    after = archive.get_article(URL)
    assert before is not None and after is not None
    assert after["last_seen_at"] == T0 + timedelta(hours=5)
    assert {k for k in after if after[k] != before[k]} == {"last_seen_at"}


def test_a_removal_is_recorded_once_until_the_article_is_seen_again(archive: Archive) -> None:
    def removal(hours: int, status: int = 404) -> dict[str, Any]:
        return {"url": URL, "http_status": status, "detected_at": T0 + timedelta(hours=hours)}

    recorded = [
        archive.record_removals([{**removal(1), "run_id": None}]),
        archive.record_removals([{**removal(2, 410), "run_id": None}]),
    ]
    archive.mark_seen([(URL, T0 + timedelta(hours=3))])
    recorded.append(archive.record_removals([{**removal(4, 410), "run_id": None}]))
    recorded.append(archive.record_removals([{**removal(5), "url": "https://nowhere.example/"}]))

    article = archive.get_article(URL)
    assert article is not None
    assert recorded == [1, 0, 1, 0]
    assert [(r["http_status"], r["detected_at"]) for r in archive.removals(article["id"])] == [
        (404, T0 + timedelta(hours=1)),
        (410, T0 + timedelta(hours=4)),
    ]
    assert known(archive)[URL]["removed_at"] == T0 + timedelta(hours=4)
    assert article["body"] == "Its text."


def start_run_in_a_process_that_exits(archive: Archive, spider: str) -> int:
    script = (
        "import sys; from datetime import datetime, UTC; from storage.archive import Archive;"
        f"print(Archive.open({archive.url!r}).start_run({spider!r}, {spider!r}, "
        "started_at=datetime.now(UTC)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_runs_of_dead_processes_are_marked_killed(archive: Archive) -> None:
    killed = start_run_in_a_process_that_exits(archive, "news")
    other_spider = start_run_in_a_process_that_exits(archive, "other")
    live = archive.start_run("news", "news", started_at=T0)

    assert archive.mark_killed_runs("news") == [killed]
    outcomes = {run["id"]: run["outcome"] for run in archive.runs()}
    assert outcomes == {killed: "killed", other_spider: "running", live: "running"}


def test_processes_opening_a_new_archive_at_once_all_find_it_current(archive_url: str) -> None:
    """``crawl --all --jobs N`` on a fresh archive: N crawls create its schema together."""
    script = f"from storage.archive import Archive; Archive.open({archive_url!r}).close()"
    opening = [
        subprocess.Popen(
            [sys.executable, "-c", script], cwd=REPO, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    errors = [process.communicate(timeout=120)[1] for process in opening]

    assert [process.returncode for process in opening] == [0] * 6, errors
    with Archive.open(archive_url) as archive:
        assert archive.count_articles() == 0
