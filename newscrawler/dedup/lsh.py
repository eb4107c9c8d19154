"""Banded locality-sensitive hashing over MinHash signatures, compact enough for millions.

datasketch's ``MinHashLSH`` keeps a Python set per band bucket: about 4 KB per indexed article
with 32 bands, 400 MB at 100k articles. Here each band of each signature is one 64-bit key in a
sorted numpy array (12 bytes per band and article) searched with ``searchsorted``; articles
added since the last merge sit in a small dict until the next merge folds them in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from newscrawler.dedup.fingerprint import Signature

Slots = npt.NDArray[np.int64]

#: Recent additions kept in the dict before they are merged into the sorted arrays.
MERGE_EVERY = 4096
#: Signatures whose band keys are computed together when many are indexed at once.
KEY_CHUNK = 4096


class LSHIndex:
    """Finds the slots of signatures that agree with a query on at least one whole band."""

    def __init__(
        self, *, bands: int, rows: int, bucket_limit: int | None = None, seed: int = 2
    ) -> None:
        rng = np.random.Generator(np.random.PCG64(seed))
        self.bands = bands
        self.rows = rows
        #: A query takes at most this many slots from one bucket, the newest: buckets that
        #: boilerplate shared by a growing share of the archive fills would otherwise make the
        #: candidates, and the cost of a query, grow with the archive.
        self.bucket_limit = bucket_limit
        self._multipliers = rng.integers(1, 1 << 63, size=rows, dtype=np.uint64) | np.uint64(1)
        self._salts = rng.integers(0, 1 << 63, size=bands, dtype=np.uint64)
        self._keys = np.empty(0, dtype=np.uint64)
        self._slots = np.empty(0, dtype=np.int32)
        #: Band key -> the slot added under it, or the slots when several were: most buckets
        #: hold one, and a list each would double the dict's memory.
        self._recent: dict[int, int | list[int]] = {}
        self._recent_keys: list[npt.NDArray[np.uint64]] = []
        self._recent_slots: list[int] = []
        self.size = 0

    def band_keys(self, signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
        """One 64-bit key per band of each signature row: shape (rows, bands)."""
        values = signatures.reshape(len(signatures), self.bands, self.rows).astype(np.uint64)
        keys = (values * self._multipliers).sum(axis=2, dtype=np.uint64) + self._salts
        return keys ^ (keys >> np.uint64(29))

    def extend(self, signatures: npt.NDArray[np.uint32]) -> range:
        """Index many signatures at once (loading the archive); returns their slots."""
        first = self.size
        self.size += len(signatures)
        slots = np.repeat(np.arange(first, self.size, dtype=np.int32), self.bands)
        # Band keys a few thousand rows at a time: the 64-bit intermediates of all rows at once
        # would take four times the signatures' memory.
        keys = [
            self.band_keys(signatures[start : start + KEY_CHUNK]).ravel()
            for start in range(0, len(signatures), KEY_CHUNK)
        ]
        self._merge(np.concatenate(keys) if keys else np.empty(0, np.uint64), slots)
        return range(first, self.size)

    def add(self, signature: Signature) -> int:
        slot = self.size
        self.size += 1
        keys = self.band_keys(signature[np.newaxis, :])[0]
        recent = self._recent
        for key in keys.tolist():
            held = recent.setdefault(key, slot)
            if isinstance(held, list):
                held.append(slot)
            elif held != slot:
                recent[key] = [held, slot]
        self._recent_keys.append(keys)
        self._recent_slots.append(slot)
        if len(self._recent_slots) >= MERGE_EVERY:
            self._merge_recent()
        return slot

    def query(self, signature: Signature) -> Slots:
        """Slots sharing at least one band with ``signature``, each once; from a bucket over
        ``bucket_limit``, its newest slots only."""
        keys = self.band_keys(signature[np.newaxis, :])[0]
        starts = np.searchsorted(self._keys, keys, side="left").tolist()
        ends = np.searchsorted(self._keys, keys, side="right").tolist()
        recent: list[Sequence[int]] = (
            [_slots_of(self._recent.get(key)) for key in keys.tolist()]
            if self._recent
            else [()] * len(starts)
        )
        found: list[npt.NDArray[np.int32]] = []
        for start, end, newer in zip(starts, ends, recent, strict=True):
            if self.bucket_limit is not None:
                # Merged slots are older than recent ones and sorted oldest first (the merges
                # are stable): the newest of a bucket are its last.
                newer = newer[-self.bucket_limit :]
                start = max(start, end - (self.bucket_limit - len(newer)))
            if end > start:
                found.append(self._slots[start:end])
            if newer:
                found.append(np.asarray(newer, dtype=np.int32))
        if not found:
            return np.empty(0, dtype=np.int64)
        ordered = np.sort(np.concatenate(found)).astype(np.int64)
        first_of_each = np.empty(len(ordered), dtype=bool)
        first_of_each[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first_of_each[1:])
        return ordered[first_of_each]

    @property
    def nbytes(self) -> int:
        """Memory held by the sorted arrays (the recent dict is bounded by MERGE_EVERY)."""
        return int(self._keys.nbytes + self._slots.nbytes)

    def _merge_recent(self) -> None:
        keys = np.concatenate(self._recent_keys)
        slots = np.repeat(np.asarray(self._recent_slots, dtype=np.int32), self.bands)
        self._recent.clear()
        self._recent_keys.clear()
        self._recent_slots.clear()
        self._merge(keys, slots)

    def _merge(self, keys: npt.NDArray[np.uint64], slots: npt.NDArray[np.int32]) -> None:
        order = np.argsort(keys, kind="stable")
        keys, slots = keys[order], slots[order]
        merged_keys = np.concatenate([self._keys, keys])
        # Two sorted runs: the stable sort (timsort) merges them in linear time.
        order = np.argsort(merged_keys, kind="stable")
        self._keys = merged_keys[order]
        self._slots = np.concatenate([self._slots, slots])[order]


def _slots_of(held: int | list[int] | None) -> Sequence[int]:
    """The recent slots of one bucket, oldest first."""
    if held is None:
        return ()
    return held if isinstance(held, list) else (held,)
