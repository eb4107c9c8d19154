"""The pipeline's wiring: settings, switching it off, and an archive written without it."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawler.dedup.config import DedupConfig
from pipelines.dedup import DedupPipeline
from storage.archive import Archive
from tests.support import project_settings_dict


def pipeline(**settings: object) -> DedupPipeline:
    overrides = {"ARCHIVE_URL": "sqlite:///unused.sqlite3", **settings}
    crawler = get_crawler(settings_dict=project_settings_dict(**overrides))
    return DedupPipeline.from_crawler(crawler)


def test_settings_reach_the_dedup() -> None:
    made = pipeline(
        NEWSCRAWLER_DEDUP_MIN_CONTAINMENT="0.85",
        NEWSCRAWLER_DEDUP_BANDS="16",
        NEWSCRAWLER_DEDUP_REFRESH_INTERVAL="0.5",
    )
    assert made.config == DedupConfig(min_containment=0.85, bands=16)
    assert made.config.rows == 8
    assert made.refresh_interval == 0.5


@pytest.mark.parametrize(
    "settings",
    [{"NEWSCRAWLER_DEDUP_ENABLED": False}, {"ARCHIVE_URL": ""}],
    ids=["switched-off", "no-archive"],
)
def test_the_pipeline_can_be_switched_off(settings: dict[str, object]) -> None:
    with pytest.raises(NotConfigured):
        pipeline(**settings)


def test_bands_must_divide_the_permutations() -> None:
    with pytest.raises(ValueError, match="multiple of bands"):
        pipeline(NEWSCRAWLER_DEDUP_BANDS="30")


def test_on_sqlite_the_decisions_run_on_the_calling_thread() -> None:
    """No hand-off to a thread and back for every item: SQLite's reads never wait."""
    made = pipeline()
    assert made._worker is None
    ran_on = asyncio.run(made._run(lambda: threading.current_thread()))
    assert ran_on is threading.current_thread()


def test_on_a_database_server_the_decisions_run_in_a_thread_of_their_own() -> None:
    made = pipeline(ARCHIVE_URL="postgresql://127.0.0.1:5432/test")
    assert made._worker is not None


def test_without_the_dedup_each_new_article_is_a_story_of_its_own(archive_url: str) -> None:
    seen = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        {"url": f"https://a.example/{n}", "site": "a", "title": "Same", "body": "Same text.",
         "content_hash": "same", "fetched_at": seen}
        for n in range(3)
    ]  # fmt: skip
    with Archive.open(archive_url) as archive:
        archive.write_batch(records)
        articles = list(archive.iter_articles())
        stories = list(archive.stories.iter_stories())
    assert [a["cluster_id"] for a in articles] == [a["id"] for a in articles]
    assert sorted(s["id"] for s in stories) == [a["id"] for a in articles]
    assert {s["member_count"] for s in stories} == {1}
