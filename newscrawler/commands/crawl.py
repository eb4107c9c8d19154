"""``scrapy crawl`` (how scrapyd runs every job) exiting as ``newscrawler crawl`` does: 1 for
a failed run, 5 for an unhealthy one (docs/operations.md#exit-codes). Scrapy's own command
exits 0 whatever the run's outcome; scrapyd logs a job whose process exits otherwise as
``Process died: exitstatus=N``. A crawl without the archive sink (``ARCHIVE_URL`` empty)
has no outcome: it exits 0 when it finished.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl

from newscrawler.health import outcome_exit_code


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage errors
            return
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif "newscrawler/outcome" in stats:
            self.exitcode = int(outcome_exit_code(stats))
        else:
            self.exitcode = 0 if stats.get("finish_reason") == "finished" else 1
