"""Clustering a labelled set in memory and scoring it pairwise, as the tests and sweep do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.fingerprint import MinHasher, Sentence
from newscrawler.dedup.stories import ClusterRef, DocRef, StoryIndex
from newscrawler.samples.labelled import Article


class MemoryTexts:
    """Match sentences kept in a dict: the text source of an index that lives in memory."""

    def __init__(self) -> None:
        self.texts: dict[DocRef, Sequence[Sentence]] = {}

    def sentences(self, docs: Sequence[DocRef]) -> Mapping[DocRef, Sequence[Sentence]]:
        return {doc: self.texts[doc] for doc in docs if doc in self.texts}


def cluster_articles(articles: Sequence[Article], config: DedupConfig) -> list[ClusterRef]:
    """The cluster of each article when they arrive in this order, one by one."""
    hasher = MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size)
    source = MemoryTexts()
    index = StoryIndex(config, source)
    assigned: list[ClusterRef] = []
    for n, article in enumerate(articles):
        fingerprint = hasher.fingerprint(article.body, article.title)
        match = index.match(fingerprint)
        cluster = n if match is None else match.cluster
        for other in match.also if match else ():
            index.merge(other, cluster)
        source.texts[n] = fingerprint.sentences
        index.add(n, cluster, fingerprint.signature)
        assigned.append(cluster)
    return [index.resolve(cluster) for cluster in assigned]


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int


def pairwise_scores(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> PairScores:
    """Precision and recall over all pairs of items: is the pair put in one cluster?"""

    def pairs(counts: Counter[Hashable]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    true_pairs = pairs(Counter(truth))
    predicted_pairs = pairs(Counter(predicted))
    correct = pairs(Counter(zip(truth, predicted, strict=True)))
    return PairScores(
        precision=correct / predicted_pairs if predicted_pairs else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        true_pairs=true_pairs,
        predicted_pairs=predicted_pairs,
        correct_pairs=correct,
    )


def score(articles: Sequence[Article], config: DedupConfig) -> PairScores:
    return pairwise_scores([a.story for a in articles], cluster_articles(articles, config))
