"""What the commands that read the archive share: the ``--db`` option, ISO dates, JSON lines."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from scrapy.settings import Settings


class CommandLineError(ValueError):
    """An argument the command cannot take: said in one line, exit code 2."""


def default_settings() -> Settings:
    """The project's settings with their defaults (``newscrawler.settings``)."""
    settings = Settings()
    settings.setmodule("newscrawler.settings", priority="project")
    return settings


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="archive URL (sqlite:///file or postgresql+psycopg://...); default: the "
        "ARCHIVE_URL setting, from NEWSCRAWLER_DB or ./archive.sqlite3",
    )


def archive_url(args: argparse.Namespace) -> str:
    return str(args.db or default_settings().get("ARCHIVE_URL"))


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
