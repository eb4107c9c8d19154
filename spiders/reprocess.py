"""``newscrawler reprocess``: the archive's stored pages read again, with no network.

Each article's newest capture goes through extraction and the item pipelines (cleaning,
validation, dedup, the sink) as if fetched now; the sink updates the article in place: no
revision, no new ``changed_at``, and the fields that changed counted in the run's stats.
Articles already read by the extraction this run would use are skipped (unless ``force``), so
a reprocess stopped half-way goes on where it stopped when started again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from scrapy import Request
from scrapy.http import Response

from newscrawler.extract import extraction_version
from newscrawler.items import ArticleItem
from newscrawler.marks import StoredPage
from newscrawler.profiles import Profile
from newscrawler.stats import REPROCESS_TOTAL_STAT
from spiders.scrape import ScrapeSpider
from storage.archive import Archive

#: Request meta: the capture a request reads again (a :class:`Reread`).
REREAD_META = "newscrawler_reread"
#: Articles skipped: their row was read by the extraction this run would use.
CURRENT_STAT = "newscrawler/reprocess/current"
#: Articles read from the archive at a time: short reads, never a long-held snapshot.
CHUNK = 100


class Reread(NamedTuple):
    capture_id: int
    article_url: str
    profile: Profile | None


class ReprocessSpider(ScrapeSpider):
    """Arguments: ``site`` (only its articles), ``since`` (ISO time: only pages fetched since),
    ``profile`` (read every page with it), ``force`` (also rows read by the same extraction)."""

    name = "reprocess"
    #: Its runs read stored pages: no verdict on a site's health.
    assess_health = False

    def __init__(
        self,
        site: str | None = None,
        since: str | datetime | None = None,
        profile: str | None = None,
        force: bool | str = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(profile=profile, **kwargs)
        self.site = site
        self.site_name = site or ""
        self.since = _utc(since) if since else None
        self.force = str(force).lower() in ("1", "true", "yes")
        self.by_site: dict[str, Profile] = {}
        for known in self.profiles:
            self.by_site.setdefault(known.site, known)

    async def start(self) -> AsyncIterator[Request]:
        stats = self.crawler.stats
        assert stats is not None
        archive = Archive.open(self.settings["ARCHIVE_URL"], create=False)
        try:
            total = archive.count_captures(site=self.site, fetched_since=self.since, latest=True)
            stats.set_value(REPROCESS_TOTAL_STAT, total)
            after = 0
            while rows := self.next_rows(archive, after):
                for row in rows:
                    after = row["article_id"]
                    request = self.reread_request(row)
                    if request is None:
                        stats.inc_value(CURRENT_STAT)
                    else:
                        yield request
        finally:
            archive.close()

    def next_rows(self, archive: Archive, after: int) -> list[dict[str, Any]]:
        """The newest pages of the next articles after the article id ``after``."""
        pages = archive.iter_captures(
            site=self.site, fetched_since=self.since, latest=True, after_article=after, limit=CHUNK
        )
        return list(pages)

    def reread_request(self, row: dict[str, Any]) -> Request | None:
        """A request answered by the capture ``row``; None when the article's row was read by
        the extraction this run would use."""
        profile = self.profile or self.by_site.get(row["site"]) or self.host_profile(row["url"])
        if not self.force and row["extracted_with"] == extraction_version(profile):
            return None
        headers = [(name, value) for name, value in row["headers"]]
        page = StoredPage(row["url"], row["http_status"], headers, row["body"], row["fetched_at"])
        reread = Reread(row["id"], row["article_url"], profile)
        return self.stored_request(page, **{REREAD_META: reread})

    def host_profile(self, url: str) -> Profile | None:
        return next((p for p in self.profiles if p.is_own_host(url)), None)

    def profile_for(self, response: Response) -> Profile | None:
        reread: Reread = response.meta[REREAD_META]
        return reread.profile

    def fetched_before(self, item: ArticleItem, page: StoredPage, response: Response) -> None:
        """The article the page belongs to, updated in place; its page is archived already."""
        reread: Reread = response.meta[REREAD_META]
        item.url = reread.article_url
        item.fetched_at = page.fetched_at
        item.capture = None
        item.reprocessed_from = reread.capture_id


def _utc(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
