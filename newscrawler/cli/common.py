"""What the commands share: subcommand help, settings, the ``--db`` option, ISO dates, JSON
lines."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from typing import Any

from scrapy.settings import Settings

from newscrawler.config import CONFIG_ENV, DEFAULT_FILE, apply_config, find_config

#: What the crawling commands' exit codes mean (docs/operations.md#exit-codes).
CRAWL_EXIT_CODES = """\
exit codes:
  0  finished; the site looks healthy
  1  failed: an exception, articles not archived (scrape: a page not fetched)
  2  bad arguments, an unknown site, an unusable archive or an outdated schema
  3  interrupted (SIGTERM, Ctrl-C); the next start resumes
  4  another crawl of the site holds its lock; nothing done
  5  finished, but the site looks broken (see `newscrawler runs`)"""
#: And the reading commands'.
READ_EXIT_CODES = """\
exit codes:
  0  done
  2  bad arguments, no archive at the URL, or a schema that needs `newscrawler db upgrade`"""
#: The settings module: Scrapy's variable names another one.
SETTINGS_MODULE_ENV = "SCRAPY_SETTINGS_MODULE"
PROJECT_SETTINGS = "newscrawler.settings"


class CommandLineError(ValueError):
    """An argument the command cannot take: said in one line, exit code 2."""


def add_command(
    commands: Any, name: str, summary: str, description: str, *, reading: bool = False
) -> argparse.ArgumentParser:
    """A subcommand whose help says what it does and what its exit codes mean."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=READ_EXIT_CODES if reading else CRAWL_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help=f"the configuration file (default: ${CONFIG_ENV}, else ./{DEFAULT_FILE} if any)",
    )
    return parser


def default_settings() -> Settings:
    """The project's settings with their defaults: ``$SCRAPY_SETTINGS_MODULE``, else
    ``newscrawler.settings`` (with its environment variables)."""
    settings = Settings()
    settings.setmodule(os.environ.get(SETTINGS_MODULE_ENV, PROJECT_SETTINGS), priority="project")
    return settings


def add_settings_option(
    parser: argparse.ArgumentParser,
    text: str = "override a Scrapy or newscrawler setting (repeatable)",
) -> None:
    """``-s NAME=VALUE``, as Scrapy's own commands take it."""
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE", help=text
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="archive URL (sqlite:///file or postgresql+psycopg://...); default: the "
        "ARCHIVE_URL setting, from NEWSCRAWLER_DB or ./archive.sqlite3",
    )


def archive_url(args: argparse.Namespace) -> str:
    """``--db``, else the ``ARCHIVE_URL`` of the settings and the configuration file."""
    if args.db:
        return str(args.db)
    settings = default_settings()
    apply_config(settings, find_config(getattr(args, "config", None)))
    return str(settings.get("ARCHIVE_URL"))


def iso_datetime(text: str) -> datetime:
    """An ISO date or time from the command line; one without a zone is UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {text!r}") from error
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
