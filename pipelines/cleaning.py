"""The text cleaning pipeline: display-form title, body, captions and authors, plus text flags.

Settings (defaults in docs/settings.md):

* ``NEWSCRAWLER_CLEANING_ENABLED``: off raises NotConfigured (the pipeline is skipped).
* ``NEWSCRAWLER_CLEAN_SPACE_AFTER_PUNCT``: R22, a space after ۔ ، ؟ ؛ before a letter.
* ``NEWSCRAWLER_CLEAN_URDU_LATIN_SPACING``: R23, split Urdu letters from glued Latin letters and
  digits.
* ``NEWSCRAWLER_CLEAN_INITIAL_HEH``: R24, word-initial ھ becomes ہ.
* ``NEWSCRAWLER_CLEAN_HEH_LEXICON``: restore ھ in common words of documents typed with Arabic
  heh (``text_flags['arabic_heh_typed']``).

The flags are computed on the raw text (cleaning removes the evidence) and stored in the item's
``text_flags``. ``language`` is set from the raw text when the spider left it empty,
cross-checked with ``extras['page_lang']`` (the page's ``lang`` attribute) when present. It is
decided first because the Urdu letter rules are for Urdu text only: an Arabic, Persian or
Indonesian page keeps its letters, and on an Urdu page so do the Arabic passages (verses) and
the passages the page marks as written in another language (the item's ``foreign_passages``).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawler.language import URDU_TEXT_LANGUAGES, detect_language
from newscrawler.text import TextFlags, clean_display, text_flags

logger = logging.getLogger(__name__)

STATS_PREFIX = "newscrawler/cleaning/"


class TextCleaningPipeline:
    """Cleans the text fields of every item with ``newscrawler.text.clean_display``."""

    def __init__(self, stats: StatsCollector, *, heh_lexicon: bool, **options: bool):
        self.stats = stats
        self.heh_lexicon = heh_lexicon
        self.options: dict[str, Any] = options

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextCleaningPipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_CLEANING_ENABLED"):
            raise NotConfigured("NEWSCRAWLER_CLEANING_ENABLED is off")
        assert crawler.stats is not None
        return cls(
            crawler.stats,
            heh_lexicon=settings.getbool("NEWSCRAWLER_CLEAN_HEH_LEXICON"),
            space_after_punct=settings.getbool("NEWSCRAWLER_CLEAN_SPACE_AFTER_PUNCT"),
            urdu_latin_spacing=settings.getbool("NEWSCRAWLER_CLEAN_URDU_LATIN_SPACING"),
            initial_heh=settings.getbool("NEWSCRAWLER_CLEAN_INITIAL_HEH"),
        )

    def _count(self, key: str) -> None:
        self.stats.inc_value(STATS_PREFIX + key)

    def _clean(
        self,
        text: Any,
        *,
        urdu: bool,
        heh_lexicon: bool,
        foreign_passages: list[str],
        single_line: bool = False,
    ) -> str | None:
        """The display form of a text field; None for a missing or blank one."""
        if not isinstance(text, str):
            return None
        cleaned = clean_display(
            text,
            urdu_letters=urdu,
            keep_arabic_passages=True,
            foreign_passages=foreign_passages,
            heh_lexicon=heh_lexicon,
            single_line=single_line,
            **self.options,
        )
        if cleaned != text:
            self._count("changed_fields")
        return cleaned or None

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        images = [dict(image) for image in adapter.get("images") or []]
        raw_parts = [adapter.get("title"), adapter.get("body")]
        raw_parts += [image.get("caption") for image in images]
        raw = "\n\n".join(part for part in raw_parts if isinstance(part, str))
        flags = text_flags(raw)
        if not adapter.get("language"):
            page_lang = (adapter.get("extras") or {}).get("page_lang")
            adapter["language"] = detect_language(raw, page_lang=page_lang)
            self._count(f"language/{adapter['language']}")
        urdu = adapter["language"] in URDU_TEXT_LANGUAGES
        # The lexicon is meant for whole documents typed with Arabic heh, so the flag is taken
        # over all the item's text, not per field (a title alone has too few letters).
        heh_lexicon = self.heh_lexicon and urdu and flags["arabic_heh_typed"]
        clean = partial(
            self._clean,
            urdu=urdu,
            heh_lexicon=heh_lexicon,
            foreign_passages=adapter.get("foreign_passages") or [],
        )

        adapter["title"] = clean(adapter.get("title"), single_line=True)
        adapter["body"] = clean(adapter.get("body"))
        for image in images:
            image["caption"] = clean(image.get("caption"), single_line=True)
        adapter["images"] = images
        authors = (clean(name, single_line=True) for name in adapter.get("authors") or [])
        adapter["authors"] = list(dict.fromkeys(name for name in authors if name))
        adapter["text_flags"] = {**(adapter.get("text_flags") or {}), **flags}
        self._record(adapter.get("url"), flags, heh_lexicon)
        return item

    def _record(self, url: str | None, flags: TextFlags, heh_lexicon: bool) -> None:
        """Count the item and what its flags say; log the ones an operator should look at."""
        self._count("items")
        if flags["mojibake_suspected"]:
            self._count("mojibake_suspected")
            logger.warning(
                "Mojibake suspected in %s (%d cp1252-decoded UTF-8 pairs): check the response "
                "encoding",
                url,
                flags["mojibake_count"],
            )
        if flags["c1_control_count"]:
            self._count("c1_controls")
            logger.info("C1 control characters in %s: probably a wrong decoding", url)
        if flags["replacement_char_count"]:
            self._count("replacement_chars")
        if flags["arabic_heh_count"]:
            self._count("arabic_heh")
        if flags["arabic_heh_typed"]:
            self._count("arabic_heh_typed")
        if heh_lexicon:
            self._count("heh_lexicon_applied")
        if flags["presentation_form_count"]:
            self._count("presentation_forms")
