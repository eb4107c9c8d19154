"""The capture pipeline: pages packed for the archive, or taken off items with nowhere to go."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler

from newscrawler.items import ArticleItem
from pipelines.capture import CapturePipeline
from tests.support import project_settings_dict

FETCHED = datetime(2025, 7, 27, 4, 15, tzinfo=UTC)


def article() -> ArticleItem:
    page = {
        "url": "https://poslanews.com/a/",
        "fetched_at": FETCHED,
        "http_status": 200,
        "headers": [("Content-Type", "text/html")],
        "body": b"<html><body><p>text</p></body></html>",
    }
    return ArticleItem(
        url="https://poslanews.com/a/", site="poslanews", fetched_at=FETCHED, capture=page
    )


@pytest.mark.parametrize("settings", [{"NEWSCRAWLER_CAPTURE_ENABLED": False}, {"ARCHIVE_URL": ""}])
def test_pages_with_nowhere_to_go_are_taken_off_the_items(settings: dict[str, object]) -> None:
    """A feed export of the items, or the sink with captures off, never gets page bytes."""
    crawler = get_crawler(settings_dict=project_settings_dict(**settings))
    pipeline = CapturePipeline.from_crawler(crawler)
    item = article()

    asyncio.run(pipeline.process_item(item))

    assert item.capture is None


def test_pages_are_kept_by_default() -> None:
    crawler = get_crawler(settings_dict=project_settings_dict(ARCHIVE_URL="sqlite:///a.sqlite3"))
    assert CapturePipeline.from_crawler(crawler).keep
