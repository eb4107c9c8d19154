"""``storage.bulk.insert_rows`` stores rows exactly as SQLAlchemy's own INSERT does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, text
from sqlalchemy.exc import IntegrityError

from storage.archive import Archive
from storage.bulk import insert_rows
from storage.models import Capture
from tests.storage.test_archive import record

CAPTURES = cast(Table, Capture.__table__)
KARACHI = timezone(timedelta(hours=5))


def capture(sha256: str, **values: Any) -> dict[str, Any]:
    return {
        "article_id": 1,
        "url": "https://a.pk/1",
        "fetched_at": datetime(2026, 1, 2, 8, 4, 5, 60, tzinfo=KARACHI),
        "http_status": 200,
        "headers": [["Content-Type", "text/html; charset=utf-8"], ["X-Urdu", "خبر"]],
        "sha256": sha256,
        "size": 3,
        "compression": "zstd",
        "body": b"\x00zstd",
        "content_hash": "c" * 64,
        **values,
    }


def stored(archive: Archive) -> list[dict[str, Any]]:
    """The rows as the database holds them, read without SQLAlchemy's types; their ids and
    hashes (which must differ) left out."""
    with archive.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM captures ORDER BY id")).mappings().all()
    return [{k: v for k, v in row.items() if k not in ("id", "sha256")} for row in rows]


def test_rows_are_stored_as_by_sqlalchemy_on_either_backend(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([record("https://a.pk/1")])
        with archive.engine.begin() as conn:
            conn.execute(insert(Capture), [capture("a" * 64)])
            insert_rows(conn, CAPTURES, [capture("b" * 64)])
        by_sqlalchemy, by_us = stored(archive)
        # The unique index (article, hash) holds for rows written either way.
        with archive.engine.connect() as conn, pytest.raises(IntegrityError):
            insert_rows(conn, CAPTURES, [capture("a" * 64)])

    assert by_us == by_sqlalchemy
    assert by_us["headers"] is not None and by_us["fetched_at"] is not None


def test_a_value_missing_from_a_row_is_null_there(sqlite_url: str) -> None:
    with Archive.open(sqlite_url) as archive:
        archive.write_batch([record("https://a.pk/1")])
        with archive.engine.begin() as conn:
            insert_rows(
                conn,
                CAPTURES,
                [
                    capture("a" * 64, pack="pages-000001.zst", pack_offset=0, pack_length=5),
                    capture("b" * 64),
                ],
            )
        with archive.engine.connect() as conn:
            packs = conn.execute(text("SELECT pack, pack_offset FROM captures ORDER BY id")).all()
            fetched = conn.execute(text("SELECT fetched_at FROM captures")).scalars().all()

    assert [tuple(row) for row in packs] == [("pages-000001.zst", 0), (None, None)]
    assert fetched == ["2026-01-02 03:04:05.000060"] * 2  # UTC, as UTCDateTime stores it


def test_no_rows_no_statement(sqlite_url: str) -> None:
    with Archive.open(sqlite_url) as archive, archive.engine.begin() as conn:
        insert_rows(conn, CAPTURES, [])
        assert conn.execute(text("SELECT count(*) FROM captures")).scalar_one() == 0
