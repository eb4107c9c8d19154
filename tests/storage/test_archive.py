"""The Archive API on real SQLite files and on the PostgreSQL server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from storage.archive import Archive, SchemaOutdatedError, upgrade
from storage.migrations import HEAD_REVISION

T0 = datetime(2025, 7, 27, 4, 15, tzinfo=UTC)


def record(url: str = "https://poslanews.com/a/", **fields: Any) -> dict[str, Any]:
    return {
        "url": url,
        "site": "poslanews",
        "language": "ur",
        "title": "پاکستان کی میزبانی میں ریجنل چیفس آف ڈیفنس کانفرنس",
        "body": "راولپنڈی: پاکستان نے آج اسلام آباد میں کانفرنس کی میزبانی کی۔\n\nدوسرا پیراگراف۔",
        "content_hash": "hash-1",
        "fetched_at": T0,
        "published_at": datetime(2025, 7, 27, 9, 15, tzinfo=timezone(timedelta(hours=5))),
        "extras": {"release_date": "2025-07-26"},
        **fields,
    }


def test_new_article_is_one_row_with_utc_timestamps(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        result = archive.write_batch([record()])
        article = archive.get_article("https://poslanews.com/a/")

    assert result.new == ["https://poslanews.com/a/"]
    assert article is not None
    assert article["first_seen_at"] == article["last_seen_at"] == article["changed_at"] == T0
    assert article["published_at"] == datetime(2025, 7, 27, 4, 15, tzinfo=UTC)
    assert article["published_at"].utcoffset() == timedelta(0)
    assert article["extras"] == {"release_date": "2025-07-26"}
    assert article["authors"] == [] and article["images"] == []


def test_unchanged_recrawl_only_moves_last_seen(archive_url: str) -> None:
    later = T0 + timedelta(hours=3)
    with Archive.open(archive_url) as archive:
        archive.write_batch([record()])
        result = archive.write_batch([record(fetched_at=later, extras={"other": 1})])
        article = archive.get_article("https://poslanews.com/a/")
        assert article is not None
        revisions = archive.revisions(article["id"])

    assert result.unchanged == ["https://poslanews.com/a/"]
    assert article["first_seen_at"] == T0
    assert article["changed_at"] == T0
    assert article["last_seen_at"] == later
    assert article["extras"] == {"release_date": "2025-07-26"}
    assert revisions == []


def test_changed_body_keeps_a_revision_and_sets_changed_at(archive_url: str) -> None:
    later = T0 + timedelta(days=1)
    with Archive.open(archive_url) as archive:
        archive.write_batch([record()])
        result = archive.write_batch(
            [record(body="ترمیم شدہ متن۔", content_hash="hash-2", fetched_at=later)]
        )
        article = archive.get_article("https://poslanews.com/a/")
        assert article is not None
        revisions = archive.revisions(article["id"])
        count = archive.count_articles()

    assert result.changed == ["https://poslanews.com/a/"]
    assert count == 1
    assert article["body"] == "ترمیم شدہ متن۔"
    assert article["first_seen_at"] == T0
    assert article["changed_at"] == later
    assert [(r["content_hash"], r["valid_from"], r["valid_to"]) for r in revisions] == [
        ("hash-1", T0, later)
    ]
    assert revisions[0]["body"].startswith("راولپنڈی:")


def test_an_older_fetch_never_moves_last_seen_back(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([record(fetched_at=T0 + timedelta(hours=1))])
        archive.write_batch([record(fetched_at=T0)])
        article = archive.get_article("https://poslanews.com/a/")
    assert article is not None
    assert article["last_seen_at"] == T0 + timedelta(hours=1)


def test_aliases_lead_to_the_same_row(archive_url: str) -> None:
    alias = "https://poslanews.com/?p=83562"
    with Archive.open(archive_url) as archive:
        archive.write_batch([record(aliases=[alias])])
        result = archive.write_batch([record(url=alias, fetched_at=T0 + timedelta(hours=1))])
        article = archive.get_article(alias)
        assert article is not None
        aliases = archive.aliases(article["id"])
        count = archive.count_articles()

    assert result.unchanged == ["https://poslanews.com/a/"]
    assert count == 1
    assert article["url"] == "https://poslanews.com/a/"
    assert aliases == [alias]


def test_one_url_twice_in_a_batch_is_one_row(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        result = archive.write_batch(
            [record(), record(body="second", content_hash="hash-2", fetched_at=T0)]
        )
        article = archive.get_article("https://poslanews.com/a/")
    assert result.new == ["https://poslanews.com/a/"]
    assert article is not None and article["body"] == "second"


def test_iter_articles_filters(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch(
            [
                record(url="https://a.example/1", site="a", language="en"),
                record(url="https://a.example/2", site="a", language="ur"),
                record(url="https://b.example/1", site="b", fetched_at=T0 + timedelta(days=2)),
            ]
        )
        by_site = [a["url"] for a in archive.iter_articles(site="a")]
        by_language = [a["url"] for a in archive.iter_articles(language="en")]
        since = [a["url"] for a in archive.iter_articles(since=T0 + timedelta(days=1))]

    assert by_site == ["https://a.example/1", "https://a.example/2"]
    assert by_language == ["https://a.example/1"]
    assert since == ["https://b.example/1"]


def test_runs_are_recorded_newest_first(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        first = archive.start_run("ispr", "ispr", started_at=T0)
        archive.finish_run(
            first,
            outcome="finished",
            finished_at=T0 + timedelta(minutes=1),
            items_new=3,
            dropped_by_reason={"no_title": 2},
            stats={"finish_reason": "finished"},
        )
        second = archive.start_run("ispr", "ispr", started_at=T0 + timedelta(hours=1))
        runs = archive.runs()

    assert [run["id"] for run in runs] == [second, first]
    assert runs[0]["outcome"] == "running"
    assert runs[1]["items_new"] == 3
    assert runs[1]["dropped_by_reason"] == {"no_title": 2}
    assert runs[1]["finished_at"] == T0 + timedelta(minutes=1)


def test_naive_timestamps_are_refused(sqlite_url: str) -> None:
    with Archive.open(sqlite_url) as archive, pytest.raises(Exception, match="naive datetime"):
        archive.write_batch([record(fetched_at=datetime(2025, 7, 27))])


def test_sqlite_archive_is_ready_for_readers_beside_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    with Archive.open(f"sqlite:///{path}") as archive:
        archive.write_batch([record()])
        with archive.engine.connect() as conn:
            journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        # A plain sqlite3 reader sees committed rows while the archive holds its write lock.
        with archive.engine.connect().execution_options(newscrawler_write_lock=True) as writer:
            writer.begin()
            writer.exec_driver_sql("UPDATE articles SET title = 'uncommitted'")
            reader = sqlite3.connect(path, timeout=1)
            seen = reader.execute("SELECT title FROM articles").fetchone()[0]
            reader.close()
            writer.rollback()

    assert journal == "wal"
    assert foreign_keys == 1
    assert busy == 30_000
    assert seen.startswith("پاکستان")


def test_sqlite_writes_are_checkpointed_beside_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    before = _checkpointers()
    with Archive.open(f"sqlite:///{path}") as archive:
        archive.write_batch([record()])
        # The database file alone (the WAL ignored) holds the article once it was checkpointed:
        # the writer itself would not checkpoint one small batch.
        deadline = time.monotonic() + 10
        while not _articles_in_file(path) and time.monotonic() < deadline:
            time.sleep(0.02)
        in_file = _articles_in_file(path)
        running = _checkpointers() - before

    assert in_file == 1
    assert len(running) == 1
    assert not running & _checkpointers()  # closing the archive stopped it


def _articles_in_file(path: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.DatabaseError:  # not there yet, or caught mid-checkpoint
        return 0


def _checkpointers() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "sqlite-checkpointer"}


def test_a_foreign_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER)")
    connection.close()

    with pytest.raises(SchemaOutdatedError, match="newscrawler db upgrade"):
        Archive.open(f"sqlite:///{path}")


def test_an_outdated_schema_says_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from-an-older-release'"))
    engine.dispose()

    with pytest.raises(SchemaOutdatedError, match=r"run `newscrawler db upgrade --db sqlite"):
        Archive.open(url)


def test_the_head_revision_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from storage.migrations.config import alembic_config

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head == HEAD_REVISION


def test_opening_a_current_archive_leaves_alembic_unloaded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    upgrade(url)
    opened = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from storage.archive import Archive; "
            f"Archive.open({url!r}).close(); print('alembic' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert opened.stdout.strip() == "False"


def test_upgrade_to_0004_changes_only_indexes(archive_url: str) -> None:
    upgrade(archive_url, "0003")
    upgrade(archive_url)
    engine = create_engine(archive_url)
    with engine.connect() as conn:
        article_indexes = {index["name"] for index in inspect(conn).get_indexes("articles")}
        release_key = next(
            index
            for index in inspect(conn).get_indexes("clusters")
            if index["name"] == "ix_clusters_release_key"
        )
    engine.dispose()
    with Archive.open(archive_url) as archive:
        archive.write_batch([record(extras={"pr_number": "PR-12/2025-ISPR"})])
        article = archive.get_article("https://poslanews.com/a/")

    assert "ix_articles_language" not in article_indexes
    assert "ix_articles_content_hash" in article_indexes
    assert release_key["column_names"] == ["release_key"]
    assert article is not None
    assert article["cluster_id"] is not None


def test_a_release_key_is_found_through_its_partial_index(sqlite_url: str) -> None:
    with Archive.open(sqlite_url) as archive:
        archive.write_batch([record(extras={"pr_number": "PR-12/2025-ISPR"})])
        with archive.engine.connect() as conn:
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM clusters WHERE release_key = ?",
                ("PR-12/2025@2025-07-26",),
            ).all()
            index = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_clusters_release_key'"
            ).scalar_one()

    assert "INDEX ix_clusters_release_key (release_key=?)" in plan[0][-1]
    assert index.endswith("WHERE release_key IS NOT NULL")


def test_opening_without_create_refuses_an_empty_database(sqlite_url: str) -> None:
    sqlite3.connect(make_url(sqlite_url).database).close()
    with pytest.raises(SchemaOutdatedError, match="has schema none"):
        Archive.open(sqlite_url, create=False)


def test_upgrade_to_0005_keeps_learned_site_titles(archive_url: str) -> None:
    upgrade(archive_url, "0004")
    upgrade(archive_url)
    learned_at = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    with Archive.open(archive_url) as archive:
        archive.add_site_titles("ispr.example", {"Press Release | ISPR": 3}, learned_at=learned_at)
        archive.add_site_titles(
            "ispr.example", {"Press Release | ISPR": 9, "ISPR": 4}, learned_at=learned_at
        )
        archive.add_site_titles("other.example", {"Other": 3}, learned_at=learned_at)
        titles = archive.site_titles()
        with archive.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT title, pages, learned_at FROM site_titles WHERE site = 'ispr.example'")
            ).all()

    assert titles == {
        "ispr.example": {"Press Release | ISPR", "ISPR"},
        "other.example": {"Other"},
    }
    assert sorted((title, pages) for title, pages, _ in rows) == [
        ("ISPR", 4),
        ("Press Release | ISPR", 3),
    ]


def test_upgrade_to_0009_keeps_what_discovery_found_per_site(archive_url: str) -> None:
    upgrade(archive_url, "0008")
    upgrade(archive_url)
    page: dict[str, Any] = {
        "url": "https://news.example/about/",
        "kind": "page",
        "role": "navigation",
        "http_status": 200,
        "via": "https://news.example/",
        "depth": 1,
        "page_number": 1,
        "etag": '"abc"',
        "last_modified": None,
        "content_hash": "0" * 40,
        "article_links": 0,
        "checked_at": T0,
    }
    missing = {**page, "url": "https://news.example/rss.xml", "role": "missing", "via": None}
    with Archive.open(archive_url) as archive:
        archive.remember_pages("news.example", [page, missing])  # type: ignore[list-item]
        archive.remember_pages("other.example", [page])  # type: ignore[list-item]
        later = T0 + timedelta(days=1)
        archive.remember_pages(
            "news.example",
            [{**page, "role": "listing", "article_links": 5, "checked_at": later}],  # type: ignore[list-item]
        )
        found = {row["url"]: row for row in archive.discovered_pages("news.example")}

    assert set(found) == {"https://news.example/about/", "https://news.example/rss.xml"}
    about = found["https://news.example/about/"]
    assert (about["role"], about["article_links"], about["checked_at"]) == ("listing", 5, later)
    assert about["etag"] == '"abc"' and about["via"] == "https://news.example/"
    assert found["https://news.example/rss.xml"]["role"] == "missing"
