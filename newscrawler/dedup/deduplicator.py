"""The dedup's decisions for one article against the archive and the articles of this run.

``Deduplicator`` is what ``pipelines.dedup.DedupPipeline`` runs in its worker thread; it reads
the archive (never writes: the sink is the one writer) and leaves its decisions on the item:
another URL (layers 1 and 2) or the cluster facts the sink stores (layer 3).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

import numpy as np

from newscrawler import settings as project
from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.fingerprint import (
    Fingerprint,
    MinHasher,
    Sentence,
    match_sentences,
    signature_bytes,
)
from newscrawler.dedup.stories import ClusterRef, DocRef, StoryIndex, StoryMatch
from newscrawler.hashing import fill_search_forms
from newscrawler.urls import canonicalize_url
from storage.archive import Archive
from storage.records import DedupFacts, StoryRef, encode_signature
from storage.stories import Lookup, MatchedArticle

logger = logging.getLogger(__name__)

#: Signatures read from the archive and indexed together while loading.
LOAD_CHUNK = 10_000
#: Articles of this run whose cluster facts are kept for a second item of the same URL: more
#: than the sink's batches in flight hold (four batches of ``ARCHIVE_BATCH_SIZE``).
FACTS_KEPT = 2000

#: Decisions, also the crawl-stats keys ``newscrawler/dedup/<decision>``.
KNOWN_URL = "known_url"  # layer 1: the URL (or one of its aliases) is archived or seen
SAME_TEXT = "same_text"  # layer 2: the same text at another URL of the site
CLUSTERED = "clustered"  # layer 3: joins a known story
NEW_STORY = "new_story"  # layer 3: starts a story
TOO_SHORT = "too_short"  # too few words to compare: a story of its own


@dataclass(frozen=True)
class Decision:
    layer: str
    match: StoryMatch | None = None


class ArchiveTexts:
    """Match sentences of indexed articles: the recent ones from memory, others re-read from
    the archive (by id, or by URL for articles of this run)."""

    def __init__(self, archive: Archive, *, cache_size: int) -> None:
        self.archive = archive
        self.cache_size = cache_size
        #: Each text packed in one string (see ``_pack``): a tuple of word strings takes eight
        #: times its memory, 40 MB for the 5,000 articles of the default cache.
        self._cache: OrderedDict[DocRef, str] = OrderedDict()

    def remember(self, doc: DocRef, sentences: Sequence[Sentence]) -> None:
        self._cache[doc] = _pack(sentences)
        self._cache.move_to_end(doc)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def sentences(self, docs: Sequence[DocRef]) -> Mapping[DocRef, Sequence[Sentence]]:
        found = {doc: _unpack(self._cache[doc]) for doc in docs if doc in self._cache}
        missing = [doc for doc in docs if doc not in found and isinstance(doc, int | str)]
        for doc, (title, body) in self.archive.stories.texts(missing).items():
            found[doc] = match_sentences(body, title)
            self.remember(doc, found[doc])
        return found


def _pack(sentences: Sequence[Sentence]) -> str:
    """Sentences as one string: words (which hold no white space) joined by spaces, sentences
    (never empty) by line ends."""
    return "\n".join(" ".join(sentence) for sentence in sentences)


def _unpack(packed: str) -> tuple[Sentence, ...]:
    return tuple(tuple(line.split(" ")) for line in packed.split("\n")) if packed else ()


class Deduplicator:
    """Decides for each item of a run: a known URL, the same text, or a story to join."""

    def __init__(
        self,
        archive: Archive,
        config: DedupConfig,
        *,
        text_cache: int = project.NEWSCRAWLER_DEDUP_TEXT_CACHE,
    ) -> None:
        self.archive = archive
        self.config = config
        self.hasher = MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size)
        self.texts = ArchiveTexts(archive, cache_size=text_cache)
        self.index = StoryIndex(config, self.texts)
        #: URLs met in this run -> the URL of the article they belong to.
        self.run_urls: dict[str, str] = {}
        #: (site, content hash) of articles of this run -> their URL.
        self.run_texts: dict[tuple[str, str], str] = {}
        #: The cluster facts of this run's latest articles, by URL: a second item for one of
        #: them may reach the sink's batch after the first and must carry the same facts.
        self.run_facts: OrderedDict[str, DedupFacts] = OrderedDict()
        self._high_water = 0

    # -- the index ------------------------------------------------------------------------

    def load(self) -> int:
        """Index every archived signature of this scheme; returns how many."""
        other = self.archive.stories.count_other_schemes(self.config.scheme)
        if other:
            logger.warning(
                "%d archived signatures were made with another dedup scheme than %s: those "
                "articles are not matched against",
                other,
                self.config.scheme,
            )
        return self.refresh()

    def refresh(self) -> int:
        """Index the signatures archived since the last load (by this run's sink or by other
        processes); returns how many were new."""
        rows = self.archive.stories.iter_signatures(self.config.scheme, after=self._high_water)
        loaded = 0
        while chunk := list(islice(rows, LOAD_CHUNK)):
            loaded += self._load_chunk(chunk)
        return loaded

    def _load_chunk(self, rows: list[Any]) -> int:
        docs: list[int] = []
        cluster_ids: list[int] = []
        signatures: list[bytes] = []
        for article_id, url, cluster_id, signature in rows:
            if url in self.run_urls:
                # This run's own article, indexed already: its cluster now has its id.
                self.index.merge(url, cluster_id)
                continue
            docs.append(article_id)
            cluster_ids.append(cluster_id)
            signatures.append(signature)
        self._high_water = max(self._high_water, rows[-1][0])
        if docs:
            matrix = np.frombuffer(b"".join(signatures), dtype="<u4")
            self.index.load(docs, cluster_ids, matrix.reshape(len(docs), self.config.num_perm))
        return len(docs)

    # -- decisions ------------------------------------------------------------------------

    def process(self, item: MutableMapping[str, Any]) -> Decision:
        """Decide for one item (an ``ItemAdapter``), rewriting its URL or adding its facts."""
        title, body = item.get("title"), item.get("body")
        fill_search_forms(item)
        body_form = item["search_body"]
        url = item["url"]
        forms = list(dict.fromkeys([canonicalize_url(url), url, *(item.get("aliases") or ())]))
        owner = next((self.run_urls[form] for form in forms if form in self.run_urls), None)
        if owner is not None:
            self._point_at(item, owner)
            return Decision(KNOWN_URL)
        archived = self.archive.stories.lookup(forms, item["content_hash"])
        if self._known_url(item, archived.known(forms)):
            return Decision(KNOWN_URL)
        if forms[0] != url:
            self._point_at(item, forms[0])  # the canonical form is the article's URL
        if self._same_text(item, archived):
            return Decision(SAME_TEXT)
        return self._cluster(item, self.hasher.fingerprint(body, title, body_form=body_form))

    def _known_url(self, item: MutableMapping[str, Any], known: MatchedArticle | None) -> bool:
        """Layer 1: the article's URL, or one of its other forms, is archived."""
        if known is None:
            return False
        if known.content_hash != item["content_hash"]:
            # The text changed: the archive keeps the new signature for the story.
            self._sign(item, self.hasher.fingerprint(item.get("body"), item.get("title")))
        self._point_at(item, known.url)
        return True

    def _same_text(self, item: MutableMapping[str, Any], archived: Lookup) -> bool:
        """Layer 2: the same text at another URL of the same site is an alias of it."""
        key = (item["site"], item["content_hash"])
        first = self.run_texts.get(key) or archived.same_text_url(item["site"])
        if first is None or first == item["url"]:
            return False
        self._point_at(item, first)
        return True

    def _cluster(self, item: MutableMapping[str, Any], fingerprint: Fingerprint) -> Decision:
        """Layer 3: the story this article tells, among those archived or seen in this run."""
        url = item["url"]
        self.run_urls[url] = url
        self.run_texts[(item["site"], item["content_hash"])] = url
        if fingerprint.words < self.config.shingle_size:
            item["dedup"] = DedupFacts(cluster_seed=url)
            self._keep_facts(url, item["dedup"])
            return Decision(TOO_SHORT)
        match = self.index.match(fingerprint)
        cluster: ClusterRef = url if match is None else match.cluster
        # The index's clusters are those this class gives it: archived ids and seed URLs.
        facts = (
            DedupFacts(cluster_id=cluster)
            if isinstance(cluster, int)
            else DedupFacts(cluster_seed=cast(str, cluster))
        )
        if match is not None:
            facts["member"] = cast(StoryRef, match.doc)
        if match is not None and match.also:
            facts["merge"] = cast(list[StoryRef], list(match.also))
            for other in match.also:
                self.index.merge(other, cluster)
        facts["index_mark"] = self._high_water
        item["dedup"] = facts
        self._sign(item, fingerprint)
        self._keep_facts(url, item["dedup"])
        self.texts.remember(url, fingerprint.sentences)
        self.index.add(url, cluster, fingerprint.signature)
        return Decision(NEW_STORY if match is None else CLUSTERED, match)

    def _sign(self, item: MutableMapping[str, Any], fingerprint: Fingerprint) -> None:
        facts = DedupFacts(**(item.get("dedup") or {}))
        facts["signature"] = encode_signature(signature_bytes(fingerprint.signature))
        facts["scheme"] = self.config.scheme
        item["dedup"] = facts

    def _point_at(self, item: MutableMapping[str, Any], owner: str) -> None:
        """Make the item an update of the article at ``owner``, its URL kept as an alias."""
        url = item["url"]
        self.run_urls[url] = owner
        self.run_urls[owner] = owner
        if url != owner:
            item["aliases"] = [*(item.get("aliases") or ()), url]
            item["url"] = owner
        if owner in self.run_facts:
            item["dedup"] = self.run_facts[owner].copy()

    def _keep_facts(self, url: str, facts: DedupFacts) -> None:
        self.run_facts[url] = facts
        while len(self.run_facts) > FACTS_KEPT:
            self.run_facts.popitem(last=False)
