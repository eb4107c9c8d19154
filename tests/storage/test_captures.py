"""Captures (the pages as fetched) and reprocessed records, through ``Archive.write_batch``, on
real SQLite files and on the PostgreSQL server."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zstandard
from sqlalchemy import create_engine, inspect, text

from storage import packs as packs_module
from storage.archive import Archive, upgrade
from storage.captures import pack, unpack
from storage.packs import PackMissingError
from tests.storage.test_archive import T0, record

URL = "https://poslanews.com/a/"
PAGE_V1 = "<html><body><h1>پہلا</h1><p>متن</p></body></html>".encode()
PAGE_V2 = "<html><body><h1>دوسرا</h1><p>نیا متن</p></body></html>".encode()


def fetched(page: bytes, at: datetime = T0, **fields: Any) -> dict[str, Any]:
    """An article record with the page it was read from."""
    capture = {
        "url": URL,
        "fetched_at": at,
        "http_status": 200,
        "headers": [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"v1"')],
        "body": page,
    }
    return record(fetched_at=at, capture=capture, extracted_with="x1/poslanews@aaaa", **fields)


def captures(archive: Archive) -> list[dict[str, Any]]:
    return list(archive.iter_captures())


def test_a_page_is_kept_compressed_with_its_headers(archive_url: str) -> None:
    body = PAGE_V1 * 50
    with Archive.open(archive_url) as archive:
        result = archive.write_batch([fetched(body)])
        [page] = captures(archive)
        count, size, stored = archive.capture_sizes()
        article = archive.get_article(URL)

    assert result.captures == 1
    assert article is not None and article["extracted_with"] == "x1/poslanews@aaaa"
    assert page["body"] == body and page["size"] == len(body)
    assert page["headers"] == [["Content-Type", "text/html; charset=utf-8"], ["ETag", '"v1"']]
    assert page["fetched_at"] == T0 and page["http_status"] == 200
    assert page["article_url"] == URL and page["site"] == "poslanews"
    assert page["content_hash"] == "hash-1"
    assert (count, size) == (1, len(body)) and stored < len(body) / 5


def test_an_unchanged_refetch_stores_nothing_new(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        again = archive.write_batch([fetched(PAGE_V1, T0 + timedelta(days=1))])
        pages = captures(archive)

    assert again.captures == 0 and again.unchanged == [URL]
    assert [page["fetched_at"] for page in pages] == [T0]


def test_a_changed_page_is_kept_beside_the_revision_it_made(archive_url: str) -> None:
    later = T0 + timedelta(days=1)
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        archive.write_batch([fetched(PAGE_V2, later, body="نیا متن", content_hash="hash-2")])
        pages = captures(archive)
        article = archive.get_article(URL)
        assert article is not None
        revisions = archive.revisions(article["id"])

    assert [page["body"] for page in pages] == [PAGE_V1, PAGE_V2]
    assert [revision["content_hash"] for revision in revisions] == [pages[0]["content_hash"]]
    assert pages[1]["content_hash"] == article["content_hash"] == "hash-2"


def test_a_page_back_to_an_earlier_version_makes_that_one_newest(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        archive.write_batch([fetched(PAGE_V2, T0 + timedelta(days=1), content_hash="hash-2")])
        archive.write_batch([fetched(PAGE_V1, T0 + timedelta(days=2))])
        pages = captures(archive)
        [newest] = archive.iter_captures(latest=True)

    assert len(pages) == 2
    assert newest["body"] == PAGE_V1 and newest["fetched_at"] == T0 + timedelta(days=2)


def test_only_the_newest_versions_are_kept_when_limited(archive_url: str) -> None:
    versions = [f"<p>version {n}</p>".encode() for n in range(4)]
    with Archive.open(archive_url) as archive:
        for n, body in enumerate(versions):
            batch = [fetched(body, T0 + timedelta(hours=n), content_hash=f"hash-{n}")]
            archive.write_batch(batch, keep_captures=2)
        pages = captures(archive)

    assert [page["body"] for page in pages] == versions[2:]


def test_capture_filters_select_articles_and_fetch_times(archive_url: str) -> None:
    other = "https://other.example/b/"
    later = T0 + timedelta(days=3)
    second = fetched(PAGE_V2, later, url=other, site="other", content_hash="hash-b")
    second["capture"]["url"] = other
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1), second])
        by_site = [page["article_url"] for page in archive.iter_captures(site="other")]
        by_time = [page["article_url"] for page in archive.iter_captures(fetched_since=later)]
        after = [page["article_url"] for page in archive.iter_captures(after_article=1, limit=5)]
        counted = archive.count_captures(site="poslanews")

    assert by_site == by_time == after == [other]
    assert counted == 1


def test_a_record_without_a_capture_is_archived_without_one(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        result = archive.write_batch([record()])
        assert captures(archive) == []
    assert result.new == [URL] and result.captures == 0


def reread(capture_id: int, **fields: Any) -> dict[str, Any]:
    """A record read again from the stored capture ``capture_id`` (``newscrawler reprocess``)."""
    return record(
        fetched_at=T0,
        reprocessed_from=capture_id,
        extracted_with="x1/poslanews@bbbb",
        **fields,
    )


def test_a_reprocess_updates_fields_in_place(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        before = archive.get_article(URL)
        [page] = captures(archive)
        result = archive.write_batch(
            [reread(page["id"], title="نیا عنوان", authors=["ISPR"], content_hash="hash-9")]
        )
        after = archive.get_article(URL)
        assert before is not None and after is not None
        revisions = archive.revisions(after["id"])
        pages = captures(archive)

    assert result.changed == [URL] and result.new == []
    assert dict(result.fields) == {"title": 1, "authors": 1}
    assert after["title"] == "نیا عنوان" and after["authors"] == ["ISPR"]
    assert after["content_hash"] == "hash-9" and after["extracted_with"] == "x1/poslanews@bbbb"
    assert revisions == [] and len(pages) == 1
    assert after["changed_at"] == before["changed_at"]
    assert after["last_seen_at"] == before["last_seen_at"]
    assert after["change_seq"] > before["change_seq"]


def test_a_reprocess_that_changes_nothing_only_records_the_extraction(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        before = archive.get_article(URL)
        [page] = captures(archive)
        result = archive.write_batch([reread(page["id"])])
        after = archive.get_article(URL)

    assert before is not None and after is not None
    assert result.unchanged == [URL] and not result.fields
    assert after["extracted_with"] == "x1/poslanews@bbbb"
    assert after["change_seq"] == before["change_seq"]


def test_a_reprocess_of_a_superseded_page_is_left_alone(archive_url: str) -> None:
    """A crawl stored a newer version while the old one was being read again: the crawl's
    fields stay."""
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        [old] = captures(archive)
        archive.write_batch(
            [fetched(PAGE_V2, T0 + timedelta(days=1), title="تازہ", content_hash="hash-2")]
        )
        result = archive.write_batch([reread(old["id"], title="پرانا", content_hash="hash-7")])
        article = archive.get_article(URL)

    assert result.superseded == [URL] and result.changed == []
    assert article is not None and article["title"] == "تازہ"


def test_pages_round_trip_and_an_unknown_compression_is_refused() -> None:
    body = PAGE_V1 * 10
    assert unpack("zstd", pack(body)) == body
    with pytest.raises(ValueError, match="unknown capture compression"):
        unpack("brotli", b"")


def test_upgrade_to_0008_adds_captures_to_an_archive(archive_url: str) -> None:
    """An article archived before has no extraction version; its next fetch, unchanged, keeps
    its page, so that a reprocess can read it."""
    upgrade(archive_url, "0006")
    engine = create_engine(archive_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (url, site, authors, images, first_seen_at, last_seen_at,"
                " changed_at, content_hash, extras, text_flags, change_seq) VALUES (:url, 's',"
                " '[]', '[]', :t, :t, :t, 'hash-1', '{}', '{}', 1)"
            ),
            {"url": URL, "t": T0.replace(tzinfo=None) if "sqlite" in archive_url else T0},
        )
    upgrade(archive_url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        columns = {column["name"] for column in inspect(conn).get_columns("articles")}
    engine.dispose()
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        article = archive.get_article(URL)
        pages = captures(archive)

    assert "captures" in tables and "extracted_with" in columns
    assert article is not None and article["extracted_with"] is None
    assert len(pages) == 1 and pages[0]["fetched_at"] == T0


def test_pages_of_a_sqlite_file_go_to_packs_beside_it(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        archive.write_batch([fetched(PAGE_V2, T0 + timedelta(days=1), content_hash="hash-2")])
        with archive.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT body, pack, pack_offset, pack_length FROM captures ORDER BY id")
            ).all()
        packs = archive.packs
        pages = [page["body"] for page in captures(archive)]

    assert pages == [PAGE_V1, PAGE_V2]
    if archive_url.startswith("postgresql"):
        assert packs is None and all(row.pack is None and row.body for row in rows)
        return
    assert packs is not None and packs.names() == ["pages-000001.zst"]
    assert [(bytes(row.body), row.pack) for row in rows] == [(b"", "pages-000001.zst")] * 2
    pack_file = packs.directory / "pages-000001.zst"
    assert rows[1].pack_offset == rows[0].pack_length
    assert pack_file.stat().st_size == rows[0].pack_length + rows[1].pack_length
    # A pack is a series of Zstandard frames: read whole, it gives every page in a row.
    whole = zstandard.ZstdDecompressor().stream_reader(
        pack_file.read_bytes(), read_across_frames=True
    )
    assert whole.read() == PAGE_V1 + PAGE_V2


def sqlite_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite3'}"


def test_bytes_no_row_points_to_are_skipped_and_given_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs_module, "PACK_SIZE_LIMIT", 1)  # a new pack for every write
    with Archive.open(sqlite_file(tmp_path)) as archive:
        assert archive.packs is not None
        archive.packs.append([b"left by a write whose transaction failed"])
        archive.write_batch([fetched(PAGE_V1)])
        assert archive.packs.names() == ["pages-000001.zst", "pages-000002.zst"]
        assert [page["body"] for page in captures(archive)] == [PAGE_V1]

        assert archive.compact_pages() == ["pages-000001.zst"]
        assert archive.packs.names() == ["pages-000002.zst"]
        assert [page["body"] for page in captures(archive)] == [PAGE_V1]


def test_pruned_pages_give_their_disk_back_and_the_rest_stay_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs_module, "PACK_SIZE_LIMIT", 1)
    versions = [PAGE_V1, PAGE_V2, PAGE_V1 + b"3", PAGE_V2 + b"4"]
    with Archive.open(sqlite_file(tmp_path)) as archive:
        assert archive.packs is not None
        for day, page in enumerate(versions):
            at = T0 + timedelta(days=day)
            archive.write_batch([fetched(page, at, content_hash=f"h{day}")], keep_captures=2)
        before = archive.packs.names()
        emptied = archive.compact_pages()
        after = archive.packs.names()
        pages = [page["body"] for page in captures(archive)]

    assert len(before) == 4 and emptied == before[:2]  # versions 1 and 2 were pruned
    assert pages == versions[2:]
    assert after == before[2:]


def test_a_missing_pack_is_named_in_a_clear_error(tmp_path: Path) -> None:
    with Archive.open(sqlite_file(tmp_path)) as archive:
        archive.write_batch([fetched(PAGE_V1)])
        assert archive.packs is not None
        shutil.rmtree(archive.packs.directory)
        with pytest.raises(PackMissingError, match=r"archive\.sqlite3\.pages/pages-000001\.zst"):
            captures(archive)
