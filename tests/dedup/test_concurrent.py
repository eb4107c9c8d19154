"""Crawls of sites that carry the same stories, at the same time: the clusters of the crawls
run one after the other, whichever process writes first (SQLite file and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from newscrawler.samples import labelled
from storage.archive import Archive
from tests.dedup.support import Run, item_of, run, story_copies

Partition = frozenset[frozenset[str]]


def partition(archive_url: str) -> Partition:
    """The archive's stories as sets of URLs: the same whatever ids the stories got."""
    stories: dict[int, set[str]] = {}
    with Archive.open(archive_url) as archive:
        for article in archive.iter_articles():
            stories.setdefault(article["cluster_id"], set()).add(article["url"])
    return frozenset(frozenset(urls) for urls in stories.values())


def by_story(articles: list[labelled.Article]) -> Partition:
    stories: dict[str, set[str]] = {}
    for article in articles:
        stories.setdefault(article.story, set()).add(article.url)
    return frozenset(frozenset(urls) for urls in stories.values())


def test_interleaved_runs_give_the_clusters_of_runs_one_after_another(
    archive_url: str, tmp_path: Path
) -> None:
    articles = story_copies(24, seed=11, copies=1)
    originals, copies = articles[:24], articles[24:]
    sequential = f"sqlite:///{tmp_path / 'sequential.sqlite3'}"
    run(sequential, originals)
    run(sequential, copies)

    # Both runs load their index from the empty archive, then write turn by turn: each
    # decides every article of its own a new story, and meets the other's only when writing.
    with Run(archive_url, batch_size=5) as first, Run(archive_url, batch_size=5) as second:
        for start in range(0, 24, 6):
            first.process(item_of(a) for a in originals[start : start + 6])
            second.process(item_of(a) for a in reversed(copies[18 - start : 24 - start]))
        first.flush()
        second.flush()
        assert first.check is not None and second.check is not None
        joined = first.check.joined + second.check.joined

    assert partition(archive_url) == partition(sequential) == by_story(articles)
    assert joined >= 12  # the write-time check, not the index, found these copies' stories
