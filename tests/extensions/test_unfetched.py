"""The list of articles a run could not fetch: what joins it, what leaves it, what is handed on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from newscrawler.exceptions import BlockedPage
from newscrawler.extensions.archiveindex import _history
from newscrawler.extensions.unfetched import UnfetchedArticles
from newscrawler.stats import UNFETCHED_STAT

URL = "https://news.example/2025/07/{}.html"


def failure(error: BaseException) -> Failure:
    try:
        raise error
    except BaseException:
        return Failure()


def answer(request: Request, status: int) -> HtmlResponse:
    return HtmlResponse(request.url, status=status, request=request)


def http_error(url: str, status: int) -> Failure:
    return failure(HttpError(answer(Request(url), status), f"status {status}"))


def listed(crawler: Crawler) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(UNFETCHED_STAT)


def crawler_with_list() -> Crawler:
    return get_crawler(settings_dict={"EXTENSIONS": {UnfetchedArticles: 0}})


def test_transient_failures_join_the_list_and_others_do_not() -> None:
    crawler = crawler_with_list()
    unfetched = crawler.get_extension(UnfetchedArticles)
    failures = {
        "timeout": failure(DownloadTimeoutError("took too long")),
        "refused": failure(ConnectionRefusedError()),
        "http-503": http_error(URL.format("http-503"), 503),
        "http-429": http_error(URL.format("http-429"), 429),
        "challenge": failure(BlockedPage("challenge page")),
        "http-404": http_error(URL.format("http-404"), 404),
        "http-403": http_error(URL.format("http-403"), 403),
        "robots": failure(IgnoreRequest("Forbidden by robots.txt")),
    }
    for name, failed in failures.items():
        unfetched.failed(Request(URL.format(name)), failed)
    transient = ["timeout", "refused", "http-503", "http-429", "challenge"]
    assert listed(crawler) == [URL.format(name) for name in transient]
    assert crawler.get_extension(UnfetchedArticles) is unfetched


def test_an_article_leaves_the_list_when_reached_or_gone() -> None:
    crawler = crawler_with_list()
    unfetched = crawler.get_extension(UnfetchedArticles)
    unfetched.handed([URL.format(n) for n in ("a", "b", "c", "d", "e")])
    unfetched.reached(answer(Request(URL.format("a")), 200))
    # Reached under the URL it was redirected to: the first URL of the chain leaves.
    moved = Request(URL.format("b-moved"), meta={"redirect_urls": [URL.format("b")]})
    unfetched.reached(answer(moved, 200))
    unfetched.failed(Request(URL.format("c")), http_error(URL.format("c"), 404))
    # An answer to retry later stays, whether it reached the errback or a callback.
    unfetched.failed(Request(URL.format("d")), http_error(URL.format("d"), 500))
    unfetched.reached(answer(Request(URL.format("d")), 500))
    unfetched.reached(answer(Request(URL.format("e")), 503))
    assert listed(crawler) == [URL.format("d"), URL.format("e")]


def test_a_run_hands_on_the_list_of_the_latest_run_that_recorded_one() -> None:
    def run(outcome: str, stats: dict[str, Any] | None) -> dict[str, Any]:
        return {"outcome": outcome, "started_at": datetime.now(UTC), "stats": stats}

    killed = run("running", None)
    failed = run("failed", {UNFETCHED_STAT: [URL.format("x")]})
    older = run("finished", {UNFETCHED_STAT: [URL.format("y")]})
    history = _history([killed, failed, older], resuming=False)
    assert history.mode == "recover"
    assert history.unfetched == (URL.format("x"),)
    assert _history([run("finished", {}), older], resuming=False).unfetched == (URL.format("y"),)
    assert _history([run("finished", {UNFETCHED_STAT: []}), older], resuming=False).unfetched == ()
