"""The dedup's parameters: how articles are fingerprinted and when two tell the same story.

Defaults were measured on the labelled set of ``newscrawler.samples.labelled`` (``python -m
benchmarks.dedup --sweep``; figures in docs/benchmarks.md). Each one is a Scrapy setting
``NEWSCRAWLER_DEDUP_<NAME>``, and its default is that setting's in newscrawler/settings.py.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from scrapy.settings import BaseSettings

from newscrawler import settings as project

SETTING_PREFIX = "NEWSCRAWLER_DEDUP_"


@dataclass(frozen=True)
class DedupConfig:
    #: Words per shingle.
    shingle_size: int = project.NEWSCRAWLER_DEDUP_SHINGLE_SIZE
    #: MinHash permutations: the signature is this many 32-bit values.
    num_perm: int = project.NEWSCRAWLER_DEDUP_NUM_PERM
    #: LSH bands; ``num_perm / bands`` signature values make one band.
    bands: int = project.NEWSCRAWLER_DEDUP_BANDS
    #: Slots a query takes from one LSH bucket at most, the newest: boilerplate that a growing
    #: share of the archive shares would otherwise make every query's candidates grow with it.
    bucket_limit: int = project.NEWSCRAWLER_DEDUP_BUCKET_LIMIT
    #: LSH candidates whose signatures agree on less than this share are not compared.
    min_estimate: float = project.NEWSCRAWLER_DEDUP_MIN_ESTIMATE
    #: Candidates compared word by word per article at most (best estimates first).
    max_compared: int = project.NEWSCRAWLER_DEDUP_MAX_COMPARED
    #: Share of the shorter body that must reappear, in order, in the longer one.
    min_containment: float = project.NEWSCRAWLER_DEDUP_MIN_CONTAINMENT
    #: Shorter body length over longer body length, at least.
    min_length_ratio: float = project.NEWSCRAWLER_DEDUP_MIN_LENGTH_RATIO
    #: Different word substitutions tolerated between two copies (a site's house style).
    max_word_substitutions: int = project.NEWSCRAWLER_DEDUP_MAX_WORD_SUBSTITUTIONS

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    @property
    def scheme(self) -> str:
        """Names how signatures were made: signatures of another scheme are not comparable."""
        return f"minhash-w{self.shingle_size}-p{self.num_perm}-v1"

    def __post_init__(self) -> None:
        if self.shingle_size < 1:
            raise ValueError("shingle_size must be at least 1")
        if self.bucket_limit < 1:
            raise ValueError("bucket_limit must be at least 1")
        if self.bands < 1 or self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands")

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DedupConfig:
        """Read ``NEWSCRAWLER_DEDUP_*`` from Scrapy settings."""
        values: dict[str, Any] = {}
        for spec in fields(cls):
            name = SETTING_PREFIX + spec.name.upper()
            getter = settings.getfloat if spec.type == "float" else settings.getint
            values[spec.name] = getter(name)
        return cls(**values)
