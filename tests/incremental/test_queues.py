"""The frontier's disk queue writes the records Scrapy's own queue writes, and reads them back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.http.request import NO_CALLBACK
from scrapy.squeues import PickleLifoDiskQueue
from scrapy.utils.test import get_crawler

from newscrawler.incremental.queues import NamedCallbackLifoDiskQueue


class NewsSpider(Spider):
    name = "news"

    def parse_page(self, response: Any) -> None: ...

    def fetch_failed(self, failure: Any) -> None: ...


@pytest.fixture
def crawler() -> Any:
    crawler = get_crawler(NewsSpider)
    crawler.spider = NewsSpider()
    return crawler


def requests(spider: NewsSpider) -> list[Request]:
    return [
        Request(
            "https://news.example/a/",
            callback=spider.parse_page,
            errback=spider.fetch_failed,
            priority=10,
            meta={"newscrawler": {"kind": "article", "lastmod": None}, "newscrawler_depth": 1},
            headers={"If-None-Match": '"abc"'},
            cb_kwargs={"page": 2},
        ),
        Request("https://news.example/b/", callback=spider.parse_page),
        Request("https://news.example/c/"),
    ]


def test_records_are_those_of_scrapys_queue(crawler: Any, tmp_path: Path) -> None:
    ours = NamedCallbackLifoDiskQueue(crawler, str(tmp_path / "ours"))
    for request in requests(crawler.spider) * 2:  # the second time from the remembered names
        assert ours._record(request) == request.to_dict(spider=crawler.spider)


def test_requests_come_back_as_pushed_last_first(crawler: Any, tmp_path: Path) -> None:
    queue = NamedCallbackLifoDiskQueue(crawler, str(tmp_path / "q"))
    pushed = requests(crawler.spider)
    for request in pushed:
        queue.push(request)
    popped = [queue.pop() for _ in pushed]
    assert [r.to_dict(spider=crawler.spider) for r in popped if r] == [
        r.to_dict(spider=crawler.spider) for r in reversed(pushed)
    ]
    assert popped[-1].callback == crawler.spider.parse_page  # type: ignore[union-attr]


def test_a_frontier_written_by_scrapys_queue_is_read(crawler: Any, tmp_path: Path) -> None:
    """A job directory left by a crawl under Scrapy's queue resumes under this one."""
    path = str(tmp_path / "q")
    theirs = PickleLifoDiskQueue(crawler, path)
    theirs.push(requests(crawler.spider)[0])
    theirs.close()
    request = NamedCallbackLifoDiskQueue(crawler, path).pop()
    assert request is not None and request.errback == crawler.spider.fetch_failed


@pytest.mark.parametrize("callback", [NO_CALLBACK, lambda response: None])
def test_callbacks_that_are_not_spider_methods_fail_as_in_scrapy(
    crawler: Any, tmp_path: Path, callback: Any
) -> None:
    """The scheduler keeps such requests in memory when the disk queue refuses them."""
    queue = NamedCallbackLifoDiskQueue(crawler, str(tmp_path / "q"))
    with pytest.raises(ValueError, match="not an instance method"):
        queue.push(Request("https://news.example/x/", callback=callback))
