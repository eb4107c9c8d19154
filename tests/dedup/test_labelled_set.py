"""Pairwise precision and recall of story clustering on the labelled set of synthetic releases.

The set (``newscrawler.samples.labelled``): English and Urdu releases of eleven kinds, each with its
original and two to five republications carrying realistic edits, and hard negatives: twins
(the same kind and sentences, other names, places, numbers or dates), formulaic pairs (short
releases of one day that differ in one country or place) and unrelated releases sharing the
formulaic closing sentences.
"""

from __future__ import annotations

from collections import Counter

import pytest

from newscrawler.dedup.config import DedupConfig
from newscrawler.samples.labelled import FORMULAIC, labelled_set, releases
from newscrawler.samples.scoring import pairwise_scores, score

MIN_PRECISION = 0.99
MIN_RECALL = 0.97


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pairwise_precision_and_recall(seed: int) -> None:
    articles = labelled_set(240, seed=seed)
    scores = score(articles, DedupConfig())
    print(
        f"labelled set seed {seed}: {len(articles)} articles, {scores.true_pairs} true pairs, "
        f"precision {scores.precision:.4f}, recall {scores.recall:.4f}"
    )
    assert scores.precision >= MIN_PRECISION
    assert scores.recall >= MIN_RECALL


def test_the_labelled_set_is_hard() -> None:
    """It holds what the clustering must get right: twins, both languages, every edit."""
    made = releases(240, seed=1)
    twins = Counter((r.kind.name, r.language, r.details, r.closings) for r in made).most_common()
    assert sum(count for _, count in twins if count > 1) >= 60
    # Formulaic releases of one day that differ in one name, in both languages.
    formulaic = Counter(
        (seed, r.kind.name, r.language, r.details, r.closings, r.released)
        for seed in (1, 2, 3)
        for r in (made if seed == 1 else releases(240, seed=seed))
        if r.kind.name in FORMULAIC
    )
    groups = Counter(key[2] for key, count in formulaic.items() if count > 1)
    assert groups["en"] >= 10 and groups["ur"] >= 5
    articles = labelled_set(240, seed=1)
    assert Counter(a.language for a in articles).keys() == {"en", "ur"}
    edits = Counter(edit for a in articles for edit in a.edits)
    assert set(edits) == {
        "dateline",
        "headline",
        "drop_sentence",
        "extra_paragraph",
        "attribution",
        "synonym",
        "regroup",
        "typography",
    }
    assert min(edits.values()) >= 100


def test_without_the_sentence_comparison_twins_would_merge() -> None:
    """The comparison earns its place: trusting MinHash, with only numbers, dates and names
    told apart, costs precision."""
    articles = labelled_set(120, seed=3)
    lenient = DedupConfig(max_word_substitutions=10**6, min_containment=0.0)
    assert score(articles, lenient).precision < 0.95 < score(articles, DedupConfig()).precision


def test_pairwise_scores() -> None:
    truth = ["a", "a", "a", "b", "b", "c"]
    predicted = [1, 1, 2, 2, 2, 3]
    scores = pairwise_scores(truth, predicted)
    # true pairs: aa x3 + bb = 4; predicted pairs: 11 + 22 x3 = 4; correct: a1a1 + b2b2 = 2.
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (4, 4, 2)
    assert scores.precision == scores.recall == 0.5
