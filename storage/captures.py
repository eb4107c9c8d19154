"""Captures: each distinct version of an article's page, compressed, written inside
``Archive.write_batch``'s transaction (the archive's one writer), and read back whole.

Pages are compressed with Zstandard at level 3: it stores a news page in about a fifth of its
bytes, as gzip at level 6 does, in a fifth of gzip's time, and reads it back in a quarter
(docs/benchmarks.md, "Captures"). Each row names its compression, for codecs to come.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, cast

import zstandard
from sqlalchemy import Connection, Table, bindparam, delete, func, select, update

from storage.bulk import insert_rows
from storage.models import Capture
from storage.packs import PackMissingError, PackReader, PackRef, Packs
from storage.records import ArticleRecord, CaptureRecord, PageRecord

#: The ``captures`` table, for rows written through ``storage.bulk``.
_CAPTURES = cast(Table, Capture.__table__)

#: How new captures are compressed, and the Zstandard level.
COMPRESSION = "zstd"
ZSTD_LEVEL = 3

_compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)

#: A capture that holds its article's page again after other bytes: it becomes the newest.
_RETURNED = (
    update(Capture)
    .where(Capture.id == bindparam("capture_id"))
    .values(fetched_at=bindparam("returned_at"))
)


def pack(body: bytes) -> bytes:
    """``body`` compressed as new captures are (``COMPRESSION``)."""
    return _compressor.compress(body)


def unpack(compression: str, data: bytes) -> bytes:
    """The page bytes of a stored capture; ``compression`` names how they were packed."""
    if compression == "zstd":
        return zstandard.ZstdDecompressor().decompress(data)
    raise ValueError(f"unknown capture compression {compression!r}")


def digest(body: bytes) -> str:
    """The hash that tells versions apart: sha256 of the page's bytes."""
    return hashlib.sha256(body).hexdigest()


def pack_page(page: PageRecord) -> CaptureRecord:
    """A page as ``captures`` keeps it: hashed and compressed. The CPU this costs is the
    capture's: done where it runs beside the rest (a worker thread of the capture pipeline;
    Zstandard and hashlib let go of the GIL), not in the archive's one writer."""
    body = page["body"]
    return {
        "url": page["url"],
        "fetched_at": page["fetched_at"],
        "http_status": page["http_status"],
        "headers": page["headers"],
        "sha256": digest(body),
        "size": len(body),
        "compression": COMPRESSION,
        "body": pack(body),
    }


def packed(capture: CaptureRecord | PageRecord) -> CaptureRecord:
    """``capture`` packed, if it was not yet."""
    if "sha256" in capture:
        return cast(CaptureRecord, capture)
    return pack_page(capture)


def record_captures(
    conn: Connection,
    records: Sequence[ArticleRecord],
    ids: Mapping[str, int],
    *,
    keep: int,
    packs: Packs | None = None,
    new: Collection[int] = (),
    early: Mapping[str, PackRef] | None = None,
) -> int:
    """Store the captures the records carry, each once per article and hash of its bytes,
    their bytes in ``packs`` when given; with ``keep`` > 0, only each article's ``keep``
    newest. ``new``: ids of articles this transaction inserted, which have no capture yet;
    ``early``: where ``append_new_pages`` put their pages, by URL. How many rows were added."""
    carried = {
        ids[record["url"]]: (record, packed(capture))
        for record in records
        if (capture := record.get("capture")) is not None and record["url"] in ids
    }
    if not carried:
        return 0
    known = _known(conn, [article_id for article_id in carried if article_id not in new])
    added: list[dict[str, Any]] = []
    returned: list[dict[str, Any]] = []
    unpacked: list[dict[str, Any]] = []
    for article_id, (record, capture) in carried.items():
        versions = known.get(article_id, [])
        same = next((row for row in versions if row["sha256"] == capture["sha256"]), None)
        if same is None:
            row = _row(article_id, record, capture)
            if early and (ref := early.get(record["url"])) is not None:
                _point_to(row, ref)
            else:
                unpacked.append(row)
            added.append(row)
        elif same is not _newest(versions) and same["fetched_at"] < capture["fetched_at"]:
            returned.append({"capture_id": same["id"], "returned_at": capture["fetched_at"]})
    if added:
        if packs is not None and unpacked:
            refs = packs.append([row["body"] for row in unpacked])
            for row, ref in zip(unpacked, refs, strict=True):
                _point_to(row, ref)
        insert_rows(conn, _CAPTURES, added)
    if returned:
        conn.execute(_RETURNED, returned)
    if keep > 0 and added:
        _prune(conn, {row["article_id"] for row in added}, keep)
    return len(added)


def append_new_pages(records: Sequence[ArticleRecord], packs: Packs | None) -> EarlyPages:
    """Append the pages of the batch's new articles (``records``) to the packs as the writer's
    transaction starts, and sync them while it writes the articles: a new article has no
    capture, so each of its pages is a new version."""
    if packs is None:
        return EarlyPages({}, None)
    pages: list[tuple[str, bytes]] = []
    for record in records:
        if record.get("capture") is not None:
            capture = packed(cast(CaptureRecord | PageRecord, record["capture"]))
            record["capture"] = capture
            pages.append((record["url"], capture["body"]))
    if not pages:
        return EarlyPages({}, None)
    refs = packs.append([body for _, body in pages], sync=False)
    synced = packs.sync_in_background(ref.pack for ref in refs)
    return EarlyPages({url: ref for (url, _), ref in zip(pages, refs, strict=True)}, synced)


@dataclass(frozen=True)
class EarlyPages:
    """Pages appended before their rows: ``wait`` before the transaction commits."""

    refs: Mapping[str, PackRef]
    synced: Future[None] | None

    def wait(self) -> None:
        if self.synced is not None:
            self.synced.result()


def _point_to(row: dict[str, Any], ref: PackRef) -> None:
    row.update(body=b"", pack=ref.pack, pack_offset=ref.offset, pack_length=ref.length)


def stored_bytes(row: Mapping[str, Any], reader: PackReader | None) -> bytes:
    """A capture row's compressed bytes, from its pack or its ``body``."""
    if row["pack"] is None:
        return bytes(row["body"])
    if reader is None:
        raise PackMissingError(f"page {row['id']} is in a pack file, and this archive has none")
    return reader.read(PackRef(row["pack"], row["pack_offset"], row["pack_length"]))


def compact_packs(conn: Connection, packs: Packs, *, dead_share: float) -> list[str]:
    """Copy the live pages of every pack but the newest whose dead bytes (pruned pages, and
    writes whose transaction failed) are over ``dead_share`` of it into the newest pack, in
    the caller's write transaction; the packs emptied, to delete once it commits."""
    names = packs.names()
    live = _pairs_of(conn.execute(_LIVE_BYTES))
    emptied = []
    for name in names[:-1]:
        if live.get(name, 0) <= packs.size(name) * (1 - dead_share):
            _copy_live_pages(conn, packs, name)
            emptied.append(name)
    return emptied


_LIVE_BYTES = (
    select(Capture.pack, func.sum(Capture.pack_length))
    .where(Capture.pack.is_not(None))
    .group_by(Capture.pack)
)
_MOVED = (
    update(Capture)
    .where(Capture.id == bindparam("capture_id"))
    .values(pack=bindparam("to_pack"), pack_offset=bindparam("to_offset"))
)


def _pairs_of(rows: Any) -> dict[str, int]:
    return {name: int(size) for name, size in rows}


def _copy_live_pages(conn: Connection, packs: Packs, name: str, chunk: int = 500) -> None:
    pages = [
        (row["id"], PackRef(name, row["pack_offset"], row["pack_length"]))
        for row in conn.execute(
            select(Capture.id, Capture.pack_offset, Capture.pack_length)
            .where(Capture.pack == name)
            .order_by(Capture.pack_offset)
        ).mappings()
    ]
    with packs.reader() as reader:
        for start in range(0, len(pages), chunk):
            part = pages[start : start + chunk]
            refs = packs.append([reader.read(ref) for _, ref in part])
            moved = [
                {"capture_id": capture_id, "to_pack": ref.pack, "to_offset": ref.offset}
                for (capture_id, _), ref in zip(part, refs, strict=True)
            ]
            conn.execute(_MOVED, moved)


def newest_captures(conn: Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """The newest capture id of each of these articles that has one."""
    return {
        article_id: _newest(versions)["id"]
        for article_id, versions in _known(conn, article_ids).items()
    }


def _known(conn: Connection, article_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    rows = conn.execute(
        select(Capture.id, Capture.article_id, Capture.sha256, Capture.fetched_at).where(
            Capture.article_id.in_(article_ids)
        )
    ).mappings()
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        found[row["article_id"]].append(dict(row))
    return found


def _newest(versions: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    return max(versions, key=lambda row: (row["fetched_at"], row["id"]))


def _row(article_id: int, record: ArticleRecord, capture: CaptureRecord) -> dict[str, Any]:
    return {
        **capture,
        "article_id": article_id,
        "headers": [list(pair) for pair in capture["headers"]],
        "content_hash": record["content_hash"],
    }


def _prune(conn: Connection, article_ids: set[int], keep: int) -> None:
    """Delete the captures of these articles older than their ``keep`` newest."""
    stale: list[int] = []
    for versions in _known(conn, list(article_ids)).values():
        ordered = sorted(versions, key=lambda row: (row["fetched_at"], row["id"]), reverse=True)
        stale.extend(row["id"] for row in ordered[keep:])
    if stale:
        conn.execute(delete(Capture).where(Capture.id.in_(stale)))
