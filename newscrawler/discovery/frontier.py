"""The frontier's gate: every discovered URL is made canonical and checked once before a
request is made for it, so one article is requested once and traps never are."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

from scrapy.statscollectors import StatsCollector

from newscrawler.discovery.hosts import HostPolicy
from newscrawler.discovery.traps import TrapFilter, strip_session_ids
from newscrawler.urls import CACHED_URLS, canonicalize_url

logger = logging.getLogger(__name__)

#: Crawl-stats prefixes: URLs refused by reason, URLs admitted by how they were found.
REJECTED_PREFIX = "newscrawler/rejected/"
DISCOVERED_PREFIX = "newscrawler/discovered/"


class Frontier:
    """Admits each new URL once, in canonical form, when host policy, the deny rules and the
    trap filter allow it; counts each refused URL once under its reason."""

    def __init__(
        self,
        hosts: HostPolicy,
        traps: TrapFilter,
        stats: StatsCollector,
        *,
        deny: Iterable[re.Pattern[str]] = (),
    ) -> None:
        self.hosts = hosts
        self.traps = traps
        self.stats = stats
        self.deny = tuple(deny)
        self._seen: set[str] = set()
        self._rejected: set[str] = set()

    @staticmethod
    def canonical(url: str) -> str:
        """The form in which ``url`` is requested: canonical, without session ids."""
        return _canonical(url)

    def has_admitted(self, canonical: str) -> bool:
        """Whether ``canonical`` was admitted already (its request is made)."""
        return canonical in self._seen

    def has_decided(self, canonical: str) -> bool:
        """Whether ``canonical`` was admitted or refused already: its verdict stands, as no
        rule looks at how a URL was found."""
        return canonical in self._seen or canonical in self._rejected

    def admit(self, canonical: str, source: str, *, check_traps: bool = True) -> bool:
        """Whether to request ``canonical`` (a :meth:`canonical` URL): it is new and allowed.
        ``source`` (sitemap, feed, links...) names the count it adds to."""
        if self.has_admitted(canonical):
            return False
        reason = self.reason(canonical, check_traps=check_traps)
        if reason is not None:
            self.reject(canonical, reason)
            return False
        self._seen.add(canonical)
        self.stats.inc_value(DISCOVERED_PREFIX + source)
        return True

    def reason(self, url: str, *, check_traps: bool = True) -> str | None:
        """Why ``url`` may not be fetched, or None."""
        reason = self.hosts.reason(url)
        if reason is None and any(pattern.search(url) for pattern in self.deny):
            reason = "denied"
        if reason is None and check_traps:
            reason = self.traps.reason(url)
        return reason

    def reject(self, url: str, reason: str) -> None:
        if url in self._rejected:
            return
        self._rejected.add(url)
        self.stats.inc_value(REJECTED_PREFIX + reason)
        logger.debug("Not following %s (%s)", url, reason)


@functools.lru_cache(maxsize=CACHED_URLS)
def _canonical(url: str) -> str:
    return canonicalize_url(strip_session_ids(url))
