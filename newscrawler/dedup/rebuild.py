"""Story clusters rebuilt from the archive: ``newscrawler clusters --rebuild``.

The articles selected (a site, those published since a date, or all) are decided again in the
order they were archived, each against the articles before it and every article not selected,
as the dedup decides them during a crawl: so the stories are those crawling with the dedup on
would have made. Articles archived before the dedup existed, or with it switched off, get
their signatures and stories here. Each batch is one write transaction that also stores how
far the rebuild got, so a rebuild stopped at any moment goes on where it stopped.

A story decided again keeps its id when its first article was already its first; others get
new ids, and a story left with no member goes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import datetime
from itertools import islice
from typing import Any

import numpy as np

from newscrawler import settings as project
from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.deduplicator import LOAD_CHUNK, ArchiveTexts
from newscrawler.dedup.fingerprint import MinHasher, signature_bytes
from newscrawler.dedup.releases import release_key
from newscrawler.dedup.stories import ClusterRef, StoryIndex
from storage.archive import Archive
from storage.clusters import Reclustered
from storage.records import StoryRef

#: Articles decided and written per transaction.
BATCH_SIZE = 500

#: Called after each batch with the articles done and the articles to do, in this rebuild.
Progress = Callable[[int, int], None]


class Rebuild:
    """One rebuild of the stories of a selection of the archive's articles."""

    def __init__(
        self,
        archive: Archive,
        config: DedupConfig,
        *,
        site: str | None = None,
        since: datetime | None = None,
        batch_size: int = BATCH_SIZE,
        text_cache: int = project.NEWSCRAWLER_DEDUP_TEXT_CACHE,
    ) -> None:
        self.archive = archive
        self.config = config
        self.site = site
        self.since = since
        self.batch_size = batch_size
        self.hasher = MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size)
        self.texts = ArchiveTexts(archive, cache_size=text_cache)
        self.index = StoryIndex(config, self.texts)
        #: Stories an indexed article is in: a story decided again keeps no id of these.
        self._claimed: set[ClusterRef] = set()

    @property
    def progress_name(self) -> str:
        """The ``archive_sequences`` row of this selection's progress."""
        selection = f"{self.site or ''}|{self.since.isoformat() if self.since else ''}"
        return f"clusters-rebuild-{zlib.crc32(selection.encode()):08x}"

    def run(self, progress: Progress | None = None) -> int:
        """Decide and write the selected articles not done yet; returns how many."""
        after = self.archive.progress(self.progress_name)
        todo = self.archive.stories.selected_ids(site=self.site, since=self.since, after=after)
        self._load(skip=todo)
        done = 0
        while batch := self._next_batch(after):
            decided = [self._decide(row) for row in batch]
            given = self.archive.reassign_clusters(
                decided, scheme=self.config.scheme, progress=self.progress_name
            )
            for article in decided:
                if article.story == article.url and article.keep is None:
                    # A story started in the batch: its id is known now.
                    self.index.merge(article.url, given[article.url])
            self._claimed.update(given.values())
            after = batch[-1].id
            done += len(batch)
            if progress is not None:
                progress(done, len(todo))
        self.archive.end_progress(self.progress_name)
        return done

    def _load(self, *, skip: set[int]) -> None:
        """Index the signatures of every article but those still to decide."""
        rows = self.archive.stories.iter_signatures(self.config.scheme)
        while chunk := [row for row in islice(rows, LOAD_CHUNK)]:
            kept = [row for row in chunk if row.article_id not in skip]
            if not kept:
                continue
            signatures = np.frombuffer(b"".join(row.signature for row in kept), dtype="<u4")
            self.index.load(
                [row.article_id for row in kept],
                [row.cluster_id for row in kept],
                signatures.reshape(len(kept), self.config.num_perm),
            )
            self._claimed.update(row.cluster_id for row in kept)

    def _next_batch(self, after: int) -> list[Any]:
        rows = self.archive.stories.iter_selected(
            site=self.site, since=self.since, after=after, chunk=self.batch_size
        )
        try:
            return list(islice(rows, self.batch_size))
        finally:
            rows.close()

    def _decide(self, row: Any) -> Reclustered:
        """The story of one article, as the dedup would decide it; it joins the index."""
        key = release_key(row.extras, row.published_at)
        fingerprint = self.hasher.fingerprint(row.body, row.title)
        if fingerprint.words < self.config.shingle_size:
            return Reclustered(row.id, row.url, row.url, self._keep(row), release_key=key)
        match = self.index.match(fingerprint)
        if match is None:
            keep = self._keep(row)
            story: ClusterRef = row.url if keep is None else keep
            decided = Reclustered(row.id, row.url, row.url, keep)
        else:
            story = match.cluster
            for other in match.also:
                self.index.merge(other, story)
            decided = Reclustered(
                row.id, row.url, _ref(story), merge=[_ref(other) for other in match.also]
            )
        decided.signature = signature_bytes(fingerprint.signature)
        decided.release_key = key
        self.texts.remember(row.id, fingerprint.sentences)
        self.index.add(row.id, story, fingerprint.signature)
        self._claimed.add(story)
        return decided

    def _keep(self, row: Any) -> int | None:
        """The article's story id, when no article decided or indexed before is in it."""
        story = row.cluster_id
        if story is None or story in self._claimed:
            return None
        self._claimed.add(story)
        return int(story)


def _ref(story: ClusterRef) -> StoryRef:
    """The index's stories are archived ids and the URLs of articles of the current batch."""
    assert isinstance(story, int | str)
    return story
