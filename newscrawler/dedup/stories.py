"""The story index: which known story (cluster) a new article belongs to, if any.

Candidates come from the LSH index, are ranked by their MinHash estimate, and the best few are
compared word by word (``compare``) with the new article. The article joins the cluster of the
candidate that reads most like it; clusters that also matched are reported so that a caller can
merge them (two processes may each have started a cluster for the same story).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from newscrawler.dedup.compare import Comparison, compare
from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.fingerprint import Fingerprint, Sentence, Signature, estimate_similarity
from newscrawler.dedup.lsh import LSHIndex

#: A cluster: an archived cluster id, or a key for a cluster not archived yet.
ClusterRef = Hashable
#: An indexed article: an archived article id, or the URL of one not archived yet.
DocRef = Hashable

#: Compared candidates of one cluster at most: its closest members are tried first.
PER_CLUSTER = 2
#: Candidates looked at per one compared, best estimates first (the rest are weaker).
LOOKED_AT = 8
#: Signature values of the first, rough estimate of many candidates.
ROUGH = 32


class TextSource(Protocol):
    """Gives the match sentences of indexed articles (from memory, or from the archive)."""

    def sentences(self, docs: Sequence[DocRef]) -> Mapping[DocRef, Sequence[Sentence]]: ...


@dataclass(frozen=True)
class StoryMatch:
    cluster: ClusterRef
    doc: DocRef
    comparison: Comparison
    estimate: float
    #: Other clusters the article matched as well.
    also: tuple[ClusterRef, ...] = ()


@dataclass
class MatchCounts:
    """What matching has cost so far: LSH candidates, candidates compared sentence by sentence,
    and compared candidates that were not the same story."""

    candidates: int = 0
    compared: int = 0
    rejected: int = 0


class StoryIndex:
    def __init__(self, config: DedupConfig, source: TextSource) -> None:
        self.config = config
        self.source = source
        self.lsh = LSHIndex(bands=config.bands, rows=config.rows, bucket_limit=config.bucket_limit)
        self.counts = MatchCounts()
        self._signatures = np.empty((1024, config.num_perm), dtype=np.uint32)
        self._docs: list[DocRef] = []
        self._clusters: list[ClusterRef] = []
        self._merged: dict[ClusterRef, ClusterRef] = {}

    def __len__(self) -> int:
        return len(self._docs)

    # -- filling --------------------------------------------------------------------------

    def load(
        self,
        docs: Sequence[DocRef],
        clusters: Sequence[ClusterRef],
        signatures: npt.NDArray[np.uint32],
    ) -> None:
        """Index many archived articles at once."""
        first = len(self._docs)
        self._reserve(first + len(docs))
        self._signatures[first : first + len(docs)] = signatures
        self._docs.extend(docs)
        self._clusters.extend(clusters)
        self.lsh.extend(signatures)

    def add(self, doc: DocRef, cluster: ClusterRef, signature: Signature) -> None:
        slot = len(self._docs)
        self._reserve(slot + 1)
        self._signatures[slot] = signature
        self._docs.append(doc)
        self._clusters.append(cluster)
        self.lsh.add(signature)

    def merge(self, old: ClusterRef, new: ClusterRef) -> None:
        """From now on, members of ``old`` belong to ``new``."""
        old, new = self.resolve(old), self.resolve(new)
        if old != new:
            self._merged[old] = new

    def resolve(self, cluster: ClusterRef) -> ClusterRef:
        path = []
        while cluster in self._merged:
            path.append(cluster)
            cluster = self._merged[cluster]
        for step in path[:-1]:
            self._merged[step] = cluster
        return cluster

    # -- matching -------------------------------------------------------------------------

    def match(self, fingerprint: Fingerprint) -> StoryMatch | None:
        """The cluster ``fingerprint`` belongs to, or None for a story of its own.

        A cluster is joined when a compared member reads as the same story and no compared
        member contradicts it (another number, date or name): one copy that dropped the
        sentence where two releases differ must not pull the other release in.
        """
        ranked = self._ranked_candidates(fingerprint.signature)
        if not ranked:
            return None
        texts = self.source.sentences([self._docs[slot] for slot, _ in ranked])
        found: dict[ClusterRef, StoryMatch] = {}
        contradicted: set[ClusterRef] = set()
        for slot, estimate in ranked:
            cluster = self.resolve(self._clusters[slot])
            sentences = texts.get(self._docs[slot])
            if cluster in contradicted or sentences is None:
                continue
            self.counts.compared += 1
            comparison = compare(fingerprint.sentences, sentences)
            if comparison.contradicts(self.config):
                contradicted.add(cluster)
                found.pop(cluster, None)
            if not comparison.same_story(self.config):
                self.counts.rejected += 1
                continue
            match = StoryMatch(cluster, self._docs[slot], comparison, estimate)
            if cluster not in found or _better(match, found[cluster]):
                found[cluster] = match
        if not found:
            return None
        ranking = sorted(found.values(), key=_closeness)
        best = ranking[0]
        also = tuple(m.cluster for m in ranking[1:] if m.comparison.identical_story)
        return StoryMatch(best.cluster, best.doc, best.comparison, best.estimate, also)

    def _ranked_candidates(self, signature: Signature) -> list[tuple[int, float]]:
        """Up to ``max_compared`` candidates, best estimate first, a few per cluster."""
        slots = self.lsh.query(signature)
        self.counts.candidates += len(slots)
        if not len(slots):
            return []
        looked_at = LOOKED_AT * self.config.max_compared
        if len(slots) > looked_at:
            # Formulaic releases make hundreds of weak candidates: a first estimate on a
            # quarter of the signature keeps the best few for the full one.
            rough = estimate_similarity(signature[:ROUGH], self._signatures[slots, :ROUGH])
            slots = slots[np.argsort(-rough, kind="stable")[:looked_at]]
        estimates = estimate_similarity(signature, self._signatures[slots])
        close = estimates >= self.config.min_estimate
        slots, estimates = slots[close], estimates[close]
        best = np.argsort(-estimates, kind="stable")
        ranked: list[tuple[int, float]] = []
        per_cluster: dict[ClusterRef, int] = {}
        for slot, estimate in zip(slots[best].tolist(), estimates[best].tolist(), strict=True):
            if len(ranked) >= self.config.max_compared:
                break
            cluster = self.resolve(self._clusters[slot])
            if per_cluster.get(cluster, 0) < PER_CLUSTER:
                per_cluster[cluster] = per_cluster.get(cluster, 0) + 1
                ranked.append((slot, estimate))
        return ranked

    # -- memory ---------------------------------------------------------------------------

    @property
    def nbytes(self) -> int:
        """Bytes held by the signature and band arrays (Python lists of refs not counted)."""
        return int(self._signatures[: len(self._docs)].nbytes) + self.lsh.nbytes

    def _reserve(self, size: int) -> None:
        if size <= len(self._signatures):
            return
        grown = np.empty((max(size, 2 * len(self._signatures)), self.config.num_perm), np.uint32)
        grown[: len(self._docs)] = self._signatures[: len(self._docs)]
        self._signatures = grown


def _closeness(match: StoryMatch) -> tuple[int, float, float]:
    """Sort key: fewest substitutions, then most contained, then best estimate."""
    return (match.comparison.word_substitutions, -match.comparison.containment, -match.estimate)


def _better(match: StoryMatch, other: StoryMatch) -> bool:
    return _closeness(match) < _closeness(other)
