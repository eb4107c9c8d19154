"""One-off fetch of exactly the given pages into the archive; a saved page (``file://``) is
read from its file, under the URL it was saved from."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from scrapy import Request, Spider
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawler.discovery.hosts import HostPolicy
from newscrawler.extensions.sitetitles import SiteTitles
from newscrawler.extract import extract_page
from newscrawler.items import ArticleItem
from newscrawler.marks import STORED_PAGE_META, StoredPage
from newscrawler.profiles import Profile, find_profile, list_profiles
from newscrawler.stats import ERRORS_STAT, FETCH_FAILED_PREFIX, SCRAPE_FAILED_STAT
from spiders.base import failure_reason

logger = logging.getLogger(__name__)


class ScrapeSpider(Spider):
    """Fetches ``urls`` (a list, or one string of space-separated URLs) and nothing else.

    Each page is read with the profile whose hosts include its host, else in auto mode, and
    knowing the titles crawls learned its site puts on every page. ``profile`` (a name, a
    path, or a loaded profile) reads every page with that profile instead: pages of a site
    served from a mirror, whose host no profile names. A ``file://`` URL is a saved page: read
    from the file as the page at ``page_url``.
    """

    name = "scrape"

    def __init__(
        self,
        urls: list[str] | str = (),  # type: ignore[assignment]
        *args: Any,
        page_url: str | None = None,
        profile: Profile | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.urls = urls.split() if isinstance(urls, str) else list(urls)
        self.page_url = page_url
        self.profiles = [profile for profile in list_profiles() if profile.hosts]
        self.profile = find_profile(profile) if isinstance(profile, str) else profile

    async def start(self) -> Any:
        for url in self.urls:
            if urlsplit(url).scheme == "file":
                yield self.stored_request(self.saved_page(url))
            else:
                yield Request(
                    url, callback=self.parse_page, errback=self.page_failed, dont_filter=True
                )

    def saved_page(self, file_url: str) -> StoredPage:
        """A page saved to a file, as if fetched now from ``page_url``."""
        if not self.page_url:
            raise ValueError(f"the saved page {file_url} needs the URL it was saved from")
        path = Path(url2pathname(urlsplit(file_url).path))
        headers = [("Content-Type", "text/html")]
        return StoredPage(self.page_url, 200, headers, path.read_bytes(), datetime.now(UTC))

    def stored_request(self, page: StoredPage, **meta: Any) -> Request:
        """A request answered from ``page``, with no network."""
        return Request(
            page.url,
            callback=self.parse_page,
            errback=self.page_failed,
            dont_filter=True,
            meta={STORED_PAGE_META: page, **meta},
        )

    def parse_page(self, response: Response) -> Iterator[ArticleItem]:
        stored: StoredPage | None = response.meta.get(STORED_PAGE_META)
        site_titles = self.crawler.get_extension(SiteTitles)
        titles = site_titles.of(response.url) if site_titles else frozenset()
        profile = self.profile_for(response)
        now = stored.fetched_at if stored else None
        result = extract_page(response, profile, site_titles=titles, now=now)
        if result.item is None:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(f"newscrawler/not_article/{result.reason}")
            logger.warning("No article at %s: %s (%s)", response.url, result.reason, result.detail)
            return
        if stored is not None:
            self.fetched_before(result.item, stored, response)
        yield result.item

    def fetched_before(self, item: ArticleItem, page: StoredPage, response: Response) -> None:
        """An article read from a stored page: fetched when the page was."""
        item.fetched_at = page.fetched_at
        if item.capture is not None:
            item.capture["fetched_at"] = page.fetched_at

    #: ``scrapy parse --spider scrape URL`` reads the page as ``scrape`` does.
    parse = parse_page

    def page_failed(self, failure: Failure) -> None:
        """A page that could not be fetched: said with its URL and reason, and counted so that
        the command fails."""
        request = failure.request  # type: ignore[attr-defined]
        reason = failure_reason(failure)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(FETCH_FAILED_PREFIX + reason)
            self.crawler.stats.inc_value(SCRAPE_FAILED_STAT)
            self.crawler.stats.inc_value(ERRORS_STAT)
        logger.warning(
            "Could not fetch %s (%s): %s", request.url, reason, failure.getErrorMessage()
        )

    def host_policy(self) -> HostPolicy:
        """The hosts of the given pages: redirects elsewhere are not followed."""
        return HostPolicy.of(
            [*self.page_urls(), *self.settings.getlist("NEWSCRAWLER_HOST_ALIASES")]
        )

    def page_urls(self) -> Iterable[str]:
        for url in self.urls:
            if urlsplit(url).scheme != "file":
                yield url
            elif self.page_url:
                yield self.page_url

    def profile_for(self, response: Response) -> Profile | None:
        """The profile given, else the one of the page's host; None: auto mode."""
        if self.profile is not None:
            return self.profile
        return next((p for p in self.profiles if p.is_own_host(response.url)), None)
