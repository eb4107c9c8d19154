"""One-off fetch of exactly the given pages into the archive."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawler.discovery.hosts import HostPolicy
from newscrawler.extensions.sitetitles import SiteTitles
from newscrawler.extract import extract_page
from newscrawler.items import ArticleItem
from newscrawler.profiles import Profile, find_profile, list_profiles
from newscrawler.stats import ERRORS_STAT, FETCH_FAILED_PREFIX, SCRAPE_FAILED_STAT
from spiders.base import failure_reason

logger = logging.getLogger(__name__)


class ScrapeSpider(Spider):
    """Fetches ``urls`` (a list, or one string of space-separated URLs) and nothing else.

    Each page is read with the profile whose hosts include its host, else in auto mode, and
    knowing the titles crawls learned its site puts on every page. ``profile`` (a name, a
    path, or a loaded profile) reads every page with that profile instead: pages of a site
    served from a mirror, whose host no profile names.
    """

    name = "scrape"

    def __init__(
        self,
        urls: list[str] | str = (),  # type: ignore[assignment]
        *args: Any,
        profile: Profile | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.urls = urls.split() if isinstance(urls, str) else list(urls)
        self.profiles = [profile for profile in list_profiles() if profile.hosts]
        self.profile = find_profile(profile) if isinstance(profile, str) else profile

    async def start(self) -> Any:
        for url in self.urls:
            yield Request(url, callback=self.parse_page, errback=self.page_failed, dont_filter=True)

    def parse_page(self, response: Response) -> Iterator[ArticleItem]:
        stats = self.crawler.stats
        site_titles = self.crawler.get_extension(SiteTitles)
        titles = site_titles.of(response.url) if site_titles else frozenset()
        result = extract_page(response, self.profile_for(response.url), site_titles=titles)
        if result.item is not None:
            yield result.item
            return
        if stats is not None:
            stats.inc_value(f"newscrawler/not_article/{result.reason}")
        logger.warning("No article at %s: %s (%s)", response.url, result.reason, result.detail)

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
        return HostPolicy.of([*self.urls, *self.settings.getlist("NEWSCRAWLER_HOST_ALIASES")])

    def profile_for(self, url: str) -> Profile | None:
        if self.profile is not None:
            return self.profile
        return next((p for p in self.profiles if p.is_own_host(url)), None)
