"""``newscrawler clusters --rebuild [--site SITE] [--since DATE]``: the stories of archived
articles decided again (``newscrawler.dedup.rebuild``), with progress on stderr."""

from __future__ import annotations

import argparse
import sys
import time
from typing import IO

from scrapy.settings import BaseSettings

from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.rebuild import Rebuild
from newscrawler.exitcodes import ExitCode
from storage.archive import Archive

#: Seconds between two progress lines at most often.
PROGRESS_EVERY = 2.0


def add_rebuild_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="decide the stories again from the archive (with --since: of the articles "
        "published since; fills in articles without signatures; resumes where a stopped "
        "rebuild stopped)",
    )
    parser.add_argument("--site", help="with --rebuild: only this site's articles")


def rebuild(
    archive_url: str, settings: BaseSettings, args: argparse.Namespace, *, err: IO[str] = sys.stderr
) -> ExitCode:
    with Archive.open(archive_url, create=False) as archive:
        run = Rebuild(
            archive,
            DedupConfig.from_settings(settings),
            site=args.site,
            since=args.since,
            text_cache=settings.getint("NEWSCRAWLER_DEDUP_TEXT_CACHE"),
        )
        resumed = archive.progress(run.progress_name)
        if resumed:
            print(f"clusters --rebuild: resuming after article {resumed}", file=err)
        done = run.run(_Progress(err))
    print(f"clusters --rebuild: {done} articles decided again", file=err)
    return ExitCode.OK


class _Progress:
    """A line on stderr as batches are written, every ``PROGRESS_EVERY`` seconds at most."""

    def __init__(self, err: IO[str]) -> None:
        self.err = err
        self.started = self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < total:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        print(
            f"clusters --rebuild: {done} of {total} articles ({100 * done / max(total, 1):.0f}%,"
            f" {rate:.0f}/s)",
            file=self.err,
            flush=True,
        )
