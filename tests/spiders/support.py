"""In-process crawls, the Scrapy way: the project's settings and spiders in an AsyncCrawlerRunner.

A Twisted reactor runs once per process, so each call runs its crawls one after another in a
fresh child process (spawned, so none of the test process's threads or state come along) and
hands back their stats.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any, cast

from scrapy.crawler import AsyncCrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.reactor import install_reactor
from twisted.internet.asyncioreactor import AsyncioSelectorReactor

from newscrawler.samples.server import LOCAL_SITE_SETTINGS

#: A local site needs no politeness, and a test reads stats rather than the log.
LOCAL_SETTINGS: dict[str, Any] = {
    **LOCAL_SITE_SETTINGS,
    "LOG_LEVEL": "WARNING",
    "NEWSCRAWLER_PROGRESS": "off",
}

#: One crawl: a spider's name and its arguments (``-a NAME=VALUE`` on the command line).
SpiderRun = tuple[str, Mapping[str, str]]


def crawl_stats(
    overrides: Mapping[str, Any], *runs: SpiderRun, timeout: float = 60
) -> list[dict[str, Any]]:
    """The stats of each of ``runs``, crawled in turn with the project's settings, then
    :data:`LOCAL_SETTINGS`, then ``overrides``."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
        settings = {**LOCAL_SETTINGS, **overrides}
        return child.submit(_crawl_in_turn, settings, runs).result(timeout=timeout)


def _crawl_in_turn(overrides: dict[str, Any], runs: tuple[SpiderRun, ...]) -> list[dict[str, Any]]:
    settings = Settings()
    settings.setmodule("newscrawler.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    install_reactor(settings["TWISTED_REACTOR"])
    from twisted.internet import reactor as installed

    # The one AsyncCrawlerRunner works with, and the project's TWISTED_REACTOR.
    reactor = cast(AsyncioSelectorReactor, installed)

    runner = AsyncCrawlerRunner(settings)
    stats: list[dict[str, Any]] = []
    errors: list[Exception] = []

    async def crawl() -> None:
        try:
            for spider, arguments in runs:
                crawler = runner.create_crawler(spider)
                await runner.crawl(crawler, **arguments)
                assert crawler.stats is not None
                stats.append(crawler.stats.get_stats())
        except Exception as error:  # raised in the test process, once the reactor stops
            errors.append(error)
        finally:
            reactor.stop()

    deferred_from_coro(crawl())
    reactor.run()
    if errors:
        raise errors[0]
    return stats
