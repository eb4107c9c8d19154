"""The validation pipeline: drops what is not an archivable article, always with a reason.

Reasons, checked in this order, each counted as ``newscrawler/dropped/<reason>`` and logged
with the URL:

* ``blocked``: a Cloudflare challenge, block or captcha page (see ``newscrawler.blocks``), or a
  spider that set ``extras['blocked']``;
* ``not_article``: the spider said so (``extras['is_article'] is False`` or an
  ``extras['page_type']`` other than "article");
* ``undecodable``: mojibake suspected (R30) or more U+FFFD than allowed;
* ``no_title``: an empty title;
* ``body_too_short``: fewer body characters than ``NEWSCRAWLER_MIN_BODY_CHARS``.

Settings (defaults in docs/settings.md):

* ``NEWSCRAWLER_VALIDATION_ENABLED``: off raises NotConfigured (the pipeline is skipped).
* ``NEWSCRAWLER_MIN_BODY_CHARS``: shortest body kept, in characters of the cleaned text.
* ``NEWSCRAWLER_MAX_REPLACEMENT_CHARS``: most U+FFFD allowed in title + body.
* ``NEWSCRAWLER_DROP_MOJIBAKE``: drop items whose text flags say mojibake.

Run it after the cleaning pipeline (it reads the cleaned body and the stored ``text_flags``;
without them it computes the flags itself).
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawler.blocks import text_block_marker
from newscrawler.stats import DROPPED_PREFIX
from newscrawler.text import text_flags

logger = logging.getLogger(__name__)

BLOCKED = "blocked"
NOT_ARTICLE = "not_article"
UNDECODABLE = "undecodable"
NO_TITLE = "no_title"
BODY_TOO_SHORT = "body_too_short"


class ValidationPipeline:
    """Raises DropItem with a stated reason for items that must not reach the archive."""

    def __init__(
        self,
        stats: StatsCollector,
        *,
        min_body_chars: int,
        max_replacement_chars: int,
        drop_mojibake: bool,
    ) -> None:
        self.stats = stats
        self.min_body_chars = min_body_chars
        self.max_replacement_chars = max_replacement_chars
        self.drop_mojibake = drop_mojibake

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_VALIDATION_ENABLED"):
            raise NotConfigured("NEWSCRAWLER_VALIDATION_ENABLED is off")
        assert crawler.stats is not None
        return cls(
            crawler.stats,
            min_body_chars=settings.getint("NEWSCRAWLER_MIN_BODY_CHARS"),
            max_replacement_chars=settings.getint("NEWSCRAWLER_MAX_REPLACEMENT_CHARS"),
            drop_mojibake=settings.getbool("NEWSCRAWLER_DROP_MOJIBAKE"),
        )

    def problem(self, item: Any) -> tuple[str, str] | None:
        """(reason, detail) of the first check the item fails, or None when it is fine."""
        adapter = ItemAdapter(item)
        title = (adapter.get("title") or "").strip()
        body = (adapter.get("body") or "").strip()
        extras = adapter.get("extras") or {}
        marker = text_block_marker(title, body, adapter.get("url") or "")
        if marker or extras.get("blocked"):
            return BLOCKED, f"block page marker {marker!r}" if marker else "marked by the spider"
        if extras.get("is_article") is False or extras.get("page_type") not in (None, "article"):
            return NOT_ARTICLE, f"page type {extras.get('page_type') or 'not an article'}"
        flags = adapter.get("text_flags") or text_flags(f"{title}\n\n{body}")
        if self.drop_mojibake and flags.get("mojibake_suspected"):
            return UNDECODABLE, f"mojibake suspected ({flags.get('mojibake_count')} pairs)"
        replacements = int(flags.get("replacement_char_count") or 0)
        if replacements > self.max_replacement_chars:
            return UNDECODABLE, f"{replacements} U+FFFD replacement characters"
        if not title:
            return NO_TITLE, "empty title"
        if len(body) < self.min_body_chars:
            return (
                BODY_TOO_SHORT,
                f"body has {len(body)} characters, fewer than {self.min_body_chars}",
            )
        return None

    def process_item(self, item: Any) -> Any:
        found = self.problem(item)
        if found is None:
            self.stats.inc_value("newscrawler/validation/passed")
            return item
        reason, detail = found
        url = ItemAdapter(item).get("url")
        self.stats.inc_value(DROPPED_PREFIX + reason)
        logger.warning("Dropped %s: %s (%s)", url, reason, detail)
        raise DropItem(f"{reason}: {detail} ({url})")
