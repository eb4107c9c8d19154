"""What the archive holds of the site being crawled, loaded once when the spider opens.

The incremental spider middleware and the conditional re-fetch middleware share one index per
crawler: an extension (``EXTENSIONS``) they get with ``crawler.get_extension``. It is read off
the reactor thread from the archive the sink writes to, keyed by each article's archived
(canonical) URL and by its aliases, the other forms that reached it, and holds a few small
fields per article.

It also says how this run relates to the site's previous one (``ArchiveIndex.history.mode``):

* ``fresh``: the previous run finished (or there was none): listings may stop early;
* ``resume``: this run continues a cleanly stopped run's frontier (the CLI sets
  ``NEWSCRAWLER_RESUMING``): listings may stop early;
* ``recover``: the previous run did not finish and its frontier is gone (killed, failed): every
  listing is walked to its end, so nothing the dead run had yet to discover is missed; archived
  articles are still skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_to_future
from twisted.internet import threads

from newscrawler.stats import UNFETCHED_STAT
from storage.archive import Archive, KnownArticle

logger = logging.getLogger(__name__)

Mode = Literal["fresh", "resume", "recover"]

_Extension = TypeVar("_Extension")


@dataclass(frozen=True, slots=True)
class ArchivedArticle:
    #: The URL the article is archived under.
    url: str
    published_at: datetime | None
    #: When the article was last fetched: seen alive, or found removed, whichever is later.
    checked_at: datetime
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class RunHistory:
    """What the site's earlier runs say about this one."""

    mode: Mode
    #: When the latest finished run started: anything unchanged since then was seen by it.
    baseline_started_at: datetime | None
    #: Article URLs the latest recorded run could not fetch (:mod:`.unfetched`).
    unfetched: tuple[str, ...] = ()


def require_incremental(settings: BaseSettings) -> None:
    """Switch an incremental component off (NotConfigured) when incremental crawling is."""
    if not settings.getbool("NEWSCRAWLER_INCREMENTAL") or not settings.get("ARCHIVE_URL"):
        raise NotConfigured("NEWSCRAWLER_INCREMENTAL is off or there is no archive")


def required_extension(crawler: Crawler, cls: type[_Extension]) -> _Extension:
    """The crawler's ``cls`` extension; a component that needs it is switched off (NotConfigured)
    when it is not enabled."""
    extension = crawler.get_extension(cls)
    if extension is None:
        raise NotConfigured(f"{cls.__module__}.{cls.__qualname__} is not enabled in EXTENSIONS")
    return extension


def site_of(spider: Spider) -> str:
    """The ``articles.site`` and ``crawl_runs.site`` value of a spider's articles and runs."""
    return getattr(spider, "site_name", None) or spider.name


class ArchiveIndex:
    """The archived articles of one site, by canonical URL, and the site's run history."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._articles: dict[str, ArchivedArticle] = {}
        self._aliases: dict[str, str] = {}
        self.history = RunHistory("fresh", None)
        self._loaded = asyncio.Event()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveIndex:
        require_incremental(crawler.settings)
        return cls(crawler)

    # -- loading --------------------------------------------------------------------------

    async def spider_opened(self, spider: Spider) -> None:
        try:
            await deferred_to_future(threads.deferToThread(self.load, site_of(spider), spider.name))
        except Exception:
            # Without the index every article looks new: the crawl is complete, only slower.
            logger.exception("Could not read the archive's index; crawling as if it were empty")
        finally:
            self._loaded.set()
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("newscrawler/incremental/mode", self.history.mode)
        stats.set_value("newscrawler/incremental/archived", len(self._articles))
        logger.info(
            "Archive index: %d articles of %s, %s run",
            len(self._articles),
            site_of(spider),
            self.history.mode,
        )

    async def wait_loaded(self) -> None:
        await self._loaded.wait()

    def load(self, site: str, spider: str) -> None:
        """Read the site's articles and recent runs from the archive (blocking)."""
        settings = self.crawler.settings
        with Archive.open(settings["ARCHIVE_URL"], create=False) as archive:
            for row in archive.iter_known(site):
                self._add(row)
            runs = archive.runs(spider=spider, site=site, limit=50)
        assert self.crawler.stats is not None
        this_run = self.crawler.stats.get_value("newscrawler/run_id")
        earlier = [run for run in runs if run["id"] != this_run]
        self.history = _history(earlier, resuming=settings.getbool("NEWSCRAWLER_RESUMING"))

    def _add(self, row: KnownArticle) -> None:
        url, article_url, published_at, last_seen_at, etag, last_modified, removed_at = row
        if url != article_url:
            self._aliases[url] = article_url
            return
        checked_at = last_seen_at
        if removed_at is not None and removed_at > checked_at:
            checked_at = removed_at
        self._articles[url] = ArchivedArticle(url, published_at, checked_at, etag, last_modified)

    # -- reading --------------------------------------------------------------------------

    def get(self, url: str) -> ArchivedArticle | None:
        return self._articles.get(self._aliases.get(url, url))

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self) -> Iterator[ArchivedArticle]:
        return iter(self._articles.values())


def _history(earlier_runs: list[dict[str, Any]], *, resuming: bool) -> RunHistory:
    """``earlier_runs`` newest first."""
    finished = [run for run in earlier_runs if run["outcome"] == "finished"]
    baseline = finished[0]["started_at"] if finished else None
    # A killed run records nothing: the list of the run before it still stands.
    recorded = (run["stats"] or {} for run in earlier_runs)
    unfetched = tuple(
        next((stats[UNFETCHED_STAT] for stats in recorded if UNFETCHED_STAT in stats), ())
    )
    if resuming:
        mode: Mode = "resume"
    elif earlier_runs and earlier_runs[0]["outcome"] != "finished":
        mode = "recover"
    else:
        mode = "fresh"
    return RunHistory(mode, baseline, unfetched)
