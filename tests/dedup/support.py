"""Runs of the dedup and the archive writer without a crawl: what the two pipelines do."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

from itemadapter import ItemAdapter

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.deduplicator import Decision, Deduplicator
from newscrawler.dedup.recheck import WriteTimeCheck
from newscrawler.hashing import fill_search_forms
from newscrawler.items import ArticleItem
from newscrawler.samples import labelled
from pipelines.archive import _record
from storage.archive import Archive
from storage.records import ArticleRecord


def item_of(article: labelled.Article, **changes: Any) -> ArticleItem:
    return ArticleItem(
        url=changes.get("url", article.url),
        site=article.site,
        fetched_at=changes.get("fetched_at", datetime.now(UTC)),
        language=article.language,
        title=article.title,
        body=article.body,
        published_at=article.published_at,
        extras=changes.get("extras", {}),
    )


class Run:
    """One crawl run's dedup over an archive: a ``Deduplicator`` of its own (loaded from the
    archive as the pipeline loads it) and the sink's batched writes, checked at write time."""

    def __init__(self, archive_url: str, *, batch_size: int = 25, checked: bool = True) -> None:
        self.sink = Archive.open(archive_url)
        self.dedup = Deduplicator(Archive.open(archive_url), DedupConfig())
        self.check = WriteTimeCheck(DedupConfig()) if checked else None
        self.loaded = self.dedup.load()
        self.batch_size = batch_size
        self.pending: list[ArticleRecord] = []

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.flush()
        self.dedup.archive.close()
        self.sink.close()

    def process(self, items: Iterable[ArticleItem]) -> list[Decision]:
        decisions = []
        for item in items:
            adapter = ItemAdapter(item)
            decisions.append(self.dedup.process(adapter))
            self.pending.append(record_of(item))
            if len(self.pending) >= self.batch_size:
                self.flush()
        return decisions

    def flush(self) -> None:
        if self.pending:
            result = self.sink.write_batch(self.pending, check=self.check)
            if self.check is not None:
                self.check.written(result.ids[url] for url in result.new)
            self.pending = []


def record_of(item: ArticleItem) -> ArticleRecord:
    """The record the archive sink writes for ``item``: its fields, with the search forms and
    content hash its writer thread adds."""
    record = _record(item)
    fill_search_forms(cast(dict[str, Any], record))
    return record


def run(archive_url: str, articles: Sequence[labelled.Article], **options: Any) -> list[Decision]:
    with Run(archive_url, **options) as one_run:
        return one_run.process(item_of(article) for article in articles)


def story_copies(stories: int, *, seed: int, copies: int = 3) -> list[labelled.Article]:
    """Originals (site ``ispr``) and ``copies`` republications of each of ``stories`` releases,
    twins among them, originals first."""
    rng = random.Random(seed)
    made = [labelled.copies(rng, r, copies) for r in labelled.releases(stories, seed=seed)]
    return [group[0] for group in made] + [copy for group in made for copy in group[1:]]


def moved(article: labelled.Article, url: str) -> labelled.Article:
    return replace(article, url=url)
