"""``scrapy parse``: prints what a spider reads from one page, and leaves the archive alone.

Scrapy's own command opens the item pipelines even though it sends no item through them
without ``--pipelines``: the archive sink would record a crawl run of the page. Here the
archive is off (``ARCHIVE_URL`` empty) unless ``--pipelines`` asks for the items to be
archived; ``-s ARCHIVE_URL=...`` still names one.
"""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParse
from scrapy.settings import SETTINGS_PRIORITIES


class Command(ScrapyParse):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        given = self.settings.getpriority("ARCHIVE_URL") == SETTINGS_PRIORITIES["cmdline"]
        if not opts.pipelines and not given:
            self.settings.set("ARCHIVE_URL", "", priority="cmdline")
