"""Titles a site puts on every page (``<title>Press Release | ISPR</title>``, a "Press Release"
banner): its name, not a headline.

A crawl learns them: a title extraction took on ``NEWSCRAWLER_SITE_TITLE_PAGES`` article pages
of a site whose texts differ, while a heading opening each page's text said otherwise, belongs
to the site. The archive keeps them (``site_titles``), so every
later crawl or one-off scrape of the site knows them from its start, and extraction takes the
headline from the page's heading instead (``extract_page(..., site_titles=...)``).

An extension (``EXTENSIONS``): the spiders get it with ``crawler.get_extension``. Sites are keyed
by host without ``www.``, the ``articles.site`` of pages read without a profile.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_to_future
from twisted.internet import threads

from storage.archive import Archive, now_utc

logger = logging.getLogger(__name__)


def site_key(url: str) -> str:
    """The site a page belongs to, as its learned titles are kept."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


class SiteTitles:
    """The archived titles of every site, and those this crawl learns."""

    def __init__(self, archive_url: str | None, *, pages: int, keep: bool = True) -> None:
        self.archive_url = archive_url
        self.pages = pages
        #: Whether what this crawl learns is kept in the archive (not in a dry run).
        self.keep = keep
        self._titles: dict[str, frozenset[str]] = {}
        #: (site, title) -> hashes of the texts of the article pages that carried the title.
        self._texts: dict[tuple[str, str], set[int]] = {}
        #: site -> {title: pages}: what this crawl learned, kept in the archive at its end.
        self._learned: dict[str, dict[str, int]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteTitles:
        pages = crawler.settings.getint("NEWSCRAWLER_SITE_TITLE_PAGES")
        if pages < 2:
            raise NotConfigured("NEWSCRAWLER_SITE_TITLE_PAGES is below 2")
        extension = cls(
            crawler.settings.get("ARCHIVE_URL") or None,
            pages=pages,
            keep=not crawler.settings.getbool("NEWSCRAWLER_DRY_RUN"),
        )
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    async def spider_opened(self, spider: Spider) -> None:
        if self.archive_url is None:
            return
        try:
            self._titles = await deferred_to_future(threads.deferToThread(self._read))
        except Exception:
            # Without them a crawl learns each site's titles again; a scrape reads its pages
            # as if the site had none.
            logger.exception("Could not read the learned site titles from the archive")

    async def spider_closed(self, spider: Spider) -> None:
        if self.archive_url is None or not self.keep or not self._learned:
            return
        try:
            await deferred_to_future(threads.deferToThread(self._keep))
        except Exception:
            logger.exception("Could not keep the learned site titles in the archive")

    def _read(self) -> dict[str, frozenset[str]]:
        assert self.archive_url is not None
        with Archive.open(self.archive_url) as archive:
            return archive.site_titles()

    def _keep(self) -> None:
        assert self.archive_url is not None
        with Archive.open(self.archive_url) as archive:
            for site, pages_by_title in self._learned.items():
                archive.add_site_titles(site, pages_by_title, learned_at=now_utc())

    # -- reading and learning ---------------------------------------------------------------

    def of(self, url: str) -> frozenset[str]:
        """The titles the site of ``url`` puts on every page."""
        return self._titles.get(site_key(url), frozenset())

    def learn(self, url: str, title: str, text: str) -> bool:
        """Count an article page at ``url`` given ``title`` in doubt; True when this page makes
        ``title`` one its site puts on every page."""
        site = site_key(url)
        if title in self._titles.get(site, ()):
            return False
        texts = self._texts.setdefault((site, title), set())
        texts.add(hash(text))
        if len(texts) < self.pages:
            return False
        del self._texts[(site, title)]
        self._titles[site] = self._titles.get(site, frozenset()) | {title}
        self._learned.setdefault(site, {})[title] = len(texts)
        logger.info("Learned that %s puts the title %r on every page", site, title)
        return True
