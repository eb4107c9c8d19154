"""``newscrawler reprocess``: read the archive's stored pages again after an upgrade of the
extraction or an edit of a profile, with no network (the ``reprocess`` spider)."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from scrapy.settings import Settings

from newscrawler.cli.common import add_command, iso_datetime

#: Stored pages are read (reprocess, import-warc), no site is crawled: nothing to skip,
#: re-check or resume.
STORED_PAGE_SETTINGS = {"NEWSCRAWLER_INCREMENTAL": False, "NEWSCRAWLER_RESUME": False}


def add_reprocess_parser(commands: Any) -> argparse.ArgumentParser:
    parser = add_command(
        commands,
        "reprocess",
        "read the stored pages again (no network) and update the articles that change",
        "Extraction, cleaning, validation and dedup again over each article's "
        "newest stored page. Articles are updated in place: no revision, no new changed_at; "
        "the fields that changed are counted in the run record. Articles already read by the "
        "extraction this run uses are skipped, so a stopped reprocess goes on where it stopped.",
    )
    parser.add_argument("--site", help="only this site's articles")
    parser.add_argument(
        "--since", type=iso_datetime, metavar="TIME", help="only pages fetched since (ISO)"
    )
    parser.add_argument(
        "--profile",
        help="read every page with this profile (a name or a PATH.toml); default: the profile "
        "of the article's site, else of the page's host, else auto mode",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="also the articles already read by this extraction (after a cleaning change)",
    )
    return parser


def reprocess_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The ``reprocess`` spider's arguments."""
    since: datetime | None = args.since
    return {
        "site": args.site,
        "since": since.isoformat() if since else None,
        "profile": args.profile,
        "force": args.force,
    }


def stored_page_settings(settings: Settings) -> Settings:
    """``settings`` for a run that reads stored pages."""
    settings.setdict(STORED_PAGE_SETTINGS, priority="cmdline")
    return settings
