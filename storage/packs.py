"""Pack files: the captured pages of a SQLite archive, in files beside it.

A page written into SQLite goes to the write-ahead log and again into the database file, one
4 KiB page of a B-tree at a time; appended to a file it is written once. For trafilatura's
evaluation pages (28 KiB stored a page) that took about two fifths off the CPU that keeping
the pages adds to a write, and half the bytes written, for about the same elapsed time (the
sync; SQLite's second write is its background checkpointer's), and it keeps the database file
small for its readers (docs/benchmarks.md, "Captures"). The ``captures`` row keeps everything
else, and where the bytes are: the pack's file name, offset and length.

Packs are named ``pages-000001.zst``, ... in ``<archive file>.pages/``; each is a series of
independent Zstandard frames (``zstd -d`` reads one as all its pages in a row). Only the
archive's writer appends, inside its write transaction and so under its write lock, and syncs
the file before the transaction commits: a committed row never points past what is on disk. A
transaction that fails after appending leaves bytes no row points to; so do pruned pages.
``Archive.compact_pages`` copies the live pages of packs that are mostly dead into the newest
pack and deletes the old files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: A pack takes new pages until it holds this many bytes; then a new one starts.
PACK_SIZE_LIMIT = 1 << 30
#: The thread that syncs packs while the writer goes on (one: writes are one at a time).
_SYNCER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-sync")
_NAME = re.compile(r"pages-(\d{6})\.zst")


@dataclass(frozen=True)
class PackRef:
    """Where one page's stored bytes are."""

    pack: str
    offset: int
    length: int


class PackMissingError(OSError):
    """A capture row points into a pack file that is not there (an archive copied without its
    ``.pages`` folder, say)."""


class Packs:
    """The pack folder of one SQLite archive file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def beside(cls, database: Path) -> Packs:
        return cls(database.with_name(f"{database.name}.pages"))

    def append(self, blobs: Sequence[bytes], *, sync: bool = True) -> list[PackRef]:
        """Append ``blobs`` to the newest pack (a new one when it is full), synced unless
        ``sync`` is off (then ``sync_in_background``): call under the archive's write lock,
        and have the bytes synced before the rows that point here commit."""
        name = self._open_pack()
        refs: list[PackRef] = []
        with open(self.directory / name, "ab") as pack:
            offset = pack.seek(0, os.SEEK_END)
            for blob in blobs:
                pack.write(blob)
                refs.append(PackRef(name, offset, len(blob)))
                offset += len(blob)
            pack.flush()
            if sync:
                os.fdatasync(pack.fileno())
        return refs

    def sync_in_background(self, names: Iterable[str]) -> Future[None]:
        """Sync these packs in a thread of their own: the disk's flush (milliseconds for a
        batch of pages) overlaps the rest of the writer's transaction."""
        return _SYNCER.submit(self._sync, sorted(set(names)))

    def _sync(self, names: list[str]) -> None:
        for name in names:
            fd = os.open(self.directory / name, os.O_RDONLY)
            try:
                os.fdatasync(fd)
            finally:
                os.close(fd)

    def reader(self) -> PackReader:
        return PackReader(self.directory)

    def names(self) -> list[str]:
        """The packs, oldest first."""
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.iterdir() if _NAME.fullmatch(p.name))

    def size(self, name: str) -> int:
        return (self.directory / name).stat().st_size

    def remove(self, names: Iterable[str]) -> None:
        for name in names:
            (self.directory / name).unlink(missing_ok=True)
        _sync_directory(self.directory)

    def _open_pack(self) -> str:
        """The pack to append to: the newest, unless it is full."""
        names = self.names()
        if names and self.size(names[-1]) < PACK_SIZE_LIMIT:
            return names[-1]
        number = int(_NAME.fullmatch(names[-1]).group(1)) + 1 if names else 1  # type: ignore[union-attr]
        name = f"pages-{number:06d}.zst"
        self.directory.mkdir(exist_ok=True)
        (self.directory / name).touch()
        _sync_directory(self.directory)
        return name


class PackReader:
    """Reads pages out of packs, keeping the last pack it read open."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._name: str | None = None
        self._file: BinaryIO | None = None

    def read(self, ref: PackRef) -> bytes:
        if ref.pack != self._name:
            self.close()
            path = self.directory / ref.pack
            try:
                self._file = open(path, "rb")  # noqa: SIM115
            except FileNotFoundError:
                raise PackMissingError(f"page file {path} is missing") from None
            self._name = ref.pack
        assert self._file is not None
        self._file.seek(ref.offset)
        data = self._file.read(ref.length)
        if len(data) != ref.length:
            raise PackMissingError(f"page file {self.directory / ref.pack} is cut short")
        return data

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._name = None, None

    def __enter__(self) -> PackReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _sync_directory(directory: Path) -> None:
    """Make a file's creation or removal in ``directory`` durable."""
    if not directory.is_dir():
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
