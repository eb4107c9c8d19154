"""A site described by a profile (``newscrawler crawl NAME`` or ``newscrawler crawl PATH.toml``).

Spider arguments (``-a NAME=VALUE`` with ``scrapy crawl profile``):

* ``profile``: a profile name (user folder, then built-in) or a path to a TOML file;
* ``base_url``: serve the profile from another origin (a mirror, a local test site);
* ``ids``: enumerate the profile's ``id_range`` instead of discovering: ``START-STOP`` or
  ``START-`` (until ``max_misses`` ids in a row have no article); ``next`` (from the newest
  id in the archive onward) is turned into ``START-`` by ``newscrawler crawl SITE --ids next``;
* ``max_misses``: overrides the profile's ``id_range.max_misses``;
* ``site``: the name stored in ``articles.site`` instead of the profile's ``site`` (the demo's
  ``demo``, a test copy of a site kept apart from the real one).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from typing import Any

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawler.discovery.idrange import IdEnumeration, Outcome, format_ranges, parse_id_range
from newscrawler.discovery.links import select_urls
from newscrawler.exceptions import BlockedPage
from newscrawler.extract import ExtractionResult, extract_page
from newscrawler.profiles import Listing, Profile, find_profile
from spiders.base import PAGE_META, DiscoverySpider, failure_reason

logger = logging.getLogger(__name__)

#: Request meta: which of the profile's listings a listing page belongs to.
LISTING_META = "newscrawler_listing"
#: Request meta: the id of an enumerated page.
ID_META = "newscrawler_id"
IDS_PREFIX = "newscrawler/ids/"


class ProfileSpider(DiscoverySpider):
    name = "profile"

    def __init__(
        self,
        profile: str | Profile = "",
        base_url: str | None = None,
        ids: str | None = None,
        max_misses: str | int | None = None,
        site: str | None = None,
        **kwargs: Any,
    ) -> None:
        loaded = profile if isinstance(profile, Profile) else find_profile(str(profile))
        if base_url:
            loaded = loaded.rebased(base_url)
        if site:
            loaded = replace(loaded, site=site)
        if not loaded.hosts:
            raise ValueError(
                f"profile {loaded.name!r} names no hosts: it is a template for other profiles"
            )
        super().__init__(name=kwargs.pop("name", loaded.name), **kwargs)
        self.profile = loaded
        self.site_name = loaded.site
        self.follow_links = loaded.discovery.follow_links
        self.max_depth = loaded.discovery.max_depth
        self.ids = ids
        self.max_misses = int(max_misses) if max_misses else None
        self.enumeration: IdEnumeration | None = None

    # -- the profile's rules ------------------------------------------------------------------

    def hosts(self) -> Iterable[str]:
        return self.profile.hosts

    def deny_patterns(self) -> Iterable[re.Pattern[str]]:
        return self.profile.discovery.deny_urls

    def is_article_url(self, url: str) -> bool | None:
        discovery = self.profile.discovery
        if discovery.is_denied(url):
            return False
        if not discovery.article_urls:
            return None
        return discovery.is_article_url(url)

    def extract(self, response: Response) -> ExtractionResult:
        return extract_page(response, self.profile)

    # -- seeds --------------------------------------------------------------------------------

    async def seed_requests(self) -> AsyncIterator[Request]:
        if not self.ids:
            async for request in super().seed_requests():
                yield request
            return
        self.enumeration = self.id_enumeration(self.ids)
        for request in self.next_ids():
            yield request

    def seeds(self) -> Iterator[Request]:
        discovery = self.profile.discovery
        absolute = self.profile.absolute_url
        for url in discovery.sitemaps:
            yield self.request(absolute(url), "sitemap")
        for url in discovery.feeds:
            yield self.request(absolute(url), "feed")
        for index, listing in enumerate(discovery.listings):
            yield self.listing_request(absolute(listing.url), index, page=1)
        for url in discovery.start_urls:
            yield self.request(absolute(url), "page")

    # -- listings -----------------------------------------------------------------------------

    def listing_request(self, url: str, index: int, *, page: int) -> Request:
        return self.request(
            url,
            "listing",
            callback=self.parse_listing,
            meta={LISTING_META: index, PAGE_META: page},
        )

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """A page of one of the profile's listings: its article links and its next page."""
        index, page = response.meta[LISTING_META], response.meta[PAGE_META]
        listing: Listing = self.profile.discovery.listings[index]
        links = select_urls(response, listing.links) if listing.links else None
        if links is None:
            yield from self.follow(response, found_article=False)
        else:
            for url in links:
                yield from self.candidate(url, "listing", depth=1)
        if listing.next_page and page < listing.max_pages:
            for url in select_urls(response, listing.next_page)[:1]:
                canonical = self.frontier.canonical(url)
                if self.frontier.admit(canonical, "pagination", check_traps=False):
                    yield self.listing_request(canonical, index, page=page + 1)

    # -- id enumeration -----------------------------------------------------------------------

    def id_enumeration(self, ids: str) -> IdEnumeration:
        """The enumeration of an id range; ``next`` needs the archive, which the CLI reads."""
        id_range = self.profile.discovery.id_range
        if id_range is None:
            raise ValueError(f"profile {self.profile.name!r} has no id_range to enumerate")
        if ids.strip().lower() == "next":
            raise ValueError(
                "ids=next is worked out from the archive before a crawl: "
                "use `newscrawler crawl SITE --ids next`, or give a range (START-STOP or START-)"
            )
        start, stop = parse_id_range(ids)
        return IdEnumeration(start, stop, self.max_misses or id_range.max_misses)

    def next_ids(self) -> Iterator[Request]:
        """Requests for the next ids, keeping the enumeration's window of requests in flight."""
        assert self.enumeration is not None
        window = 2 * max(1, self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        id_range = self.profile.discovery.id_range
        assert id_range is not None
        while self.enumeration.in_flight < window:
            page_id = self.enumeration.take()
            if page_id is None:
                return
            url = self.profile.absolute_url(id_range.url(page_id))
            yield self.request(
                self.frontier.canonical(url),
                "article",
                callback=self.parse_id,
                errback=self.id_failed,
                meta={ID_META: page_id},
            )

    def parse_id(self, response: Response) -> Iterator[Any]:
        result = self.extract_and_count(response)
        found = result.item is not None
        self.id_answered(response.meta[ID_META], Outcome.FOUND if found else Outcome.MISSING)
        if result.item is not None:
            yield result.item
        yield from self.next_ids()

    def id_failed(self, failure: Failure) -> Iterator[Request]:
        self.fetch_failed(failure)
        reason = failure_reason(failure)
        if failure.check(BlockedPage):
            outcome = Outcome.BLOCKED
        elif reason in ("http_404", "http_410"):
            outcome = Outcome.MISSING
        else:
            outcome = Outcome.FAILED
        self.id_answered(failure.request.meta[ID_META], outcome)  # type: ignore[attr-defined]
        yield from self.next_ids()

    def id_answered(self, page_id: int, outcome: Outcome) -> None:
        assert self.enumeration is not None and self.crawler.stats is not None
        self.enumeration.record(page_id, outcome)
        self.crawler.stats.inc_value(IDS_PREFIX + outcome)

    def closed(self, reason: str) -> None:
        if self.enumeration is None:
            return
        self.report_ids(self.enumeration)

    def report_ids(self, enumeration: IdEnumeration) -> None:
        """Missing and blocked ids into the stats (``newscrawler/ids/missing_ids``...) and log."""
        assert self.crawler.stats is not None
        stats = self.crawler.stats
        stats.set_value(IDS_PREFIX + "range", enumeration.range_text())
        for outcome in (Outcome.MISSING, Outcome.BLOCKED, Outcome.FAILED):
            ids = enumeration.ids(outcome)
            if ids:
                stats.set_value(f"{IDS_PREFIX}{outcome}_ids", format_ranges(ids))
        logger.info(
            "Ids %s: %d found, missing %s, blocked %s",
            enumeration.range_text(),
            enumeration.count(Outcome.FOUND),
            format_ranges(enumeration.ids(Outcome.MISSING)) or "none",
            format_ranges(enumeration.ids(Outcome.BLOCKED)) or "none",
        )
