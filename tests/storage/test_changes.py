"""The change cursor: every insert, content change and removal in the order of commits, so that
a reader resuming from the last cursor it saw never skips a row."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

from alembic import command

from storage.archive import Archive, upgrade
from storage.migrations.config import alembic_config
from tests.storage.test_archive import T0, record

WRITERS = 2
BATCHES = 15
PER_BATCH = 4


def test_inserts_and_content_changes_take_the_next_cursor(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([record("https://a.pk/1"), record("https://a.pk/2")])
        first = archive.changes()
        archive.write_batch([record("https://a.pk/1", fetched_at=T0 + timedelta(hours=1))])
        after_unchanged = archive.changes(after=first[-1]["change_seq"])
        archive.write_batch([record("https://a.pk/2", content_hash="hash-2", body="new body")])
        after_change = archive.changes(after=first[-1]["change_seq"])
        last = archive.last_change()

    assert [(row["url"], row["change_seq"], row["change"]) for row in first] == [
        ("https://a.pk/1", 1, "article"),
        ("https://a.pk/2", 2, "article"),
    ]
    assert after_unchanged == []
    assert [(row["url"], row["change_seq"], row["body"]) for row in after_change] == [
        ("https://a.pk/2", 3, "new body")
    ]
    assert last == 3


def test_removals_share_the_sequence_and_pages_of_changes_resume(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([record(f"https://a.pk/{n}") for n in range(5)])
        removal = {"url": "https://a.pk/3", "http_status": 404, "detected_at": T0, "run_id": None}
        archive.record_removals([removal])
        pages, after = [], 0
        while page := archive.changes(after=after, limit=2):
            pages.append([(row["change"], row["url"]) for row in page])
            after = page[-1]["change_seq"]

    assert pages == [
        [("article", "https://a.pk/0"), ("article", "https://a.pk/1")],
        [("article", "https://a.pk/2"), ("article", "https://a.pk/3")],
        [("article", "https://a.pk/4"), ("removal", "https://a.pk/3")],
    ]


def write_batches(archive_url: str, writer: int) -> None:
    """New articles, and with each batch a new version of one article of the batch before."""
    with Archive.open(archive_url) as archive:
        for batch in range(BATCHES):
            urls = [f"https://w{writer}.pk/{batch}/{n}" for n in range(PER_BATCH)]
            changed = [f"https://w{writer}.pk/{batch - 1}/0"] if batch else []
            archive.write_batch(
                [record(url) for url in urls]
                + [record(url, content_hash=f"v{batch}", body=f"v{batch}") for url in changed]
            )
            time.sleep(0.005)


def test_a_reader_following_concurrent_writers_sees_every_change_once_in_order(
    archive_url: str,
) -> None:
    Archive.open(archive_url).close()
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=write_batches, args=(archive_url, n)) for n in range(WRITERS)]
    seen: list[tuple[int, str, str]] = []
    with Archive.open(archive_url) as reader:
        for writer in writers:
            writer.start()
        after = 0
        while any(writer.is_alive() for writer in writers) or reader.changes(after=after):
            for row in reader.changes(after=after, limit=7):
                seen.append((row["change_seq"], row["url"], row["content_hash"]))
                after = row["change_seq"]
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0

    with Archive.open(archive_url) as archive:
        final = {(a["url"], a["content_hash"]) for a in archive.iter_articles()}
    versions = [(url, version) for _, url, version in seen]
    seqs = [seq for seq, _, _ in seen]
    assert len(final) == WRITERS * BATCHES * PER_BATCH
    # Each version once, in commit order; every article's last version among them. (A version
    # changed again before the reader came gives its number up: the reader sees the later one.)
    assert len(versions) == len(set(versions)) and final <= set(versions)
    assert seqs == sorted(set(seqs))


def test_an_older_archive_gets_cursors_in_the_order_its_rows_changed(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([record("https://a.pk/late", fetched_at=T0 + timedelta(hours=2))])
        archive.write_batch([record("https://a.pk/early")])
    config = alembic_config(archive_url)
    command.downgrade(config, "0005")
    upgrade(archive_url)

    with Archive.open(archive_url) as archive:
        rows = [(row["url"], row["change_seq"]) for row in archive.changes()]
        assert archive.last_change() == 2
    assert rows == [("https://a.pk/early", 1), ("https://a.pk/late", 2)]
