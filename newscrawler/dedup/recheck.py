"""The story decisions checked again at write time, so that clusters do not depend on timing.

The dedup decides against its index: what was archived when it last loaded it, and this run's
own articles. Another process crawling a site that carries the same stories at the same time
writes copies the index has not seen; both would start the story. So the sink's writes take
``WriteTimeCheck`` into ``Archive.write_batch``: inside the transaction, under the archive's
write lock, each new article is compared with the articles other processes archived since its
index was loaded (``DedupFacts.index_mark``). A new story that one of them tells is joined
instead, and a story also told by another start of it is merged: what the index would have
decided had the crawls run one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.fingerprint import (
    Fingerprint,
    Sentence,
    match_sentences,
    signature_from_bytes,
)
from newscrawler.dedup.stories import ClusterRef, DocRef, StoryIndex, StoryMatch
from storage.clusters import SignedArticle, signed_since
from storage.records import ArticleRecord, DedupFacts, StoryRef, decode_signature


class _Texts:
    """Match sentences of the articles archived since a mark, made when first compared."""

    def __init__(self, articles: Sequence[SignedArticle]) -> None:
        self._articles = {article.id: article for article in articles}
        self._sentences: dict[DocRef, Sequence[Sentence]] = {}

    def sentences(self, docs: Sequence[DocRef]) -> Mapping[DocRef, Sequence[Sentence]]:
        for doc in docs:
            if doc not in self._sentences and doc in self._articles:
                article = self._articles[doc]
                self._sentences[doc] = match_sentences(article.body, article.title)
        return {doc: self._sentences[doc] for doc in docs if doc in self._sentences}


class WriteTimeCheck:
    """A ``storage.archive.BatchCheck``: the batch's story decisions against what other
    processes archived since they were made. One per sink, called from its writer thread."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        #: Articles this process archived: its index held them when it decided.
        self._own: set[int] = set()
        #: New stories joined to an archived one, and stories merged, at write time.
        self.joined = 0
        self.merged = 0
        self._attempt = (0, 0)

    def __call__(self, conn: Connection, records: Sequence[ArticleRecord]) -> None:
        self._attempt = (0, 0)
        decided = sorted((r for r in records if "index_mark" in _facts(r)), key=_mark)
        if not decided:
            return
        since = signed_since(conn, self.config.scheme, _mark(decided[0]), exclude=self._own)
        for mark, group in groupby(decided, key=_mark):
            others = [a for a in since if a.id > mark and a.cluster_id is not None]
            if others:
                index = StoryIndex(self.config, _Texts(others))
                index.load(
                    [a.id for a in others],
                    [a.cluster_id for a in others],
                    _signatures([a.signature for a in others], self.config.num_perm),
                )
                for record in group:
                    self._check(record, index)

    def written(self, ids: Iterable[int]) -> None:
        """The batch the last call checked was committed, with these new articles."""
        self._own.update(ids)
        self.joined += self._attempt[0]
        self.merged += self._attempt[1]
        self._attempt = (0, 0)

    def _check(self, record: ArticleRecord, index: StoryIndex) -> None:
        facts = _facts(record)
        signature = signature_from_bytes(decode_signature(facts["signature"]))
        match = index.match(Fingerprint(match_sentences(record.get("body"), record.get("title")),
                                        signature))  # fmt: skip
        if match is None:
            return
        changed = DedupFacts(**facts)
        joined = 0
        if facts.get("cluster_seed") == record["url"]:  # decided: a story of its own
            del changed["cluster_seed"]
            changed["cluster_id"] = cast(int, match.cluster)
            changed["member"] = cast(int, match.doc)
            merges = list(match.also)
            joined = 1
        else:
            merges = [*_told_as_well(match), *match.also]
        known = {changed.get("cluster_id"), *facts.get("merge", ())}
        merges = [ref for ref in dict.fromkeys(merges) if ref not in known]
        if merges:
            changed["merge"] = [*facts.get("merge", ()), *cast(list[StoryRef], merges)]
        record["dedup"] = changed
        self._attempt = (self._attempt[0] + joined, self._attempt[1] + len(merges))


def _told_as_well(match: StoryMatch) -> list[ClusterRef]:
    """The story matched, when nothing in it differs: another start of the article's own."""
    return [match.cluster] if match.comparison.identical_story else []


def _signatures(signatures: Sequence[bytes], num_perm: int) -> npt.NDArray[np.uint32]:
    return np.frombuffer(b"".join(signatures), dtype="<u4").reshape(len(signatures), num_perm)


def _mark(record: ArticleRecord) -> int:
    return _facts(record)["index_mark"]


def _facts(record: ArticleRecord) -> DedupFacts:
    return record.get("dedup") or DedupFacts()
