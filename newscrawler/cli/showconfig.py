"""``newscrawler config``: every effective setting, and where it came from.

One line a setting, ``NAME = value  # source``, the source being ``command line``,
``environment VAR``, ``file PATH`` or ``default``; then the configuration file's per-site
settings. The values are what a crawl started with the same options would use.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from scrapy.settings import Settings

from newscrawler.cli.common import add_settings_option
from newscrawler.config import Config, apply_config, find_config, source_of
from newscrawler.exitcodes import ExitCode


def add_config_command(
    parser: argparse.ArgumentParser, settings_for: Callable[[argparse.Namespace], Settings]
) -> None:
    """The options of ``config``; ``settings_for`` reads the settings as the crawl does."""
    parser.add_argument("--db", metavar="URL", help="as for crawl: the archive URL")
    add_settings_option(parser, "as for crawl: a setting given on the command line")
    parser.add_argument("--site", help="with this site's settings from the file (its delay)")
    parser.set_defaults(handler=lambda args: cmd_config(args, settings_for(args)))


def cmd_config(args: argparse.Namespace, settings: Settings) -> ExitCode:
    config = find_config(args.config)
    if args.site:
        apply_config(settings, config, site=args.site)
    print(f"# configuration file: {config.path or 'none'}")
    for line in setting_lines(settings, config):
        print(line)
    for line in site_lines(config):
        print(line)
    return ExitCode.OK


def setting_lines(settings: Settings, config: Config) -> list[str]:
    names = sorted(
        name
        for name in settings.attributes
        if name.isupper() and (source_of(name, settings, config) != "default" or _own(name))
    )
    return [
        f"{name} = {_value(settings[name])}  # {source_of(name, settings, config)}"
        for name in names
    ]


def site_lines(config: Config) -> list[str]:
    lines = []
    for name, site in sorted(config.sites.items()):
        lines.append(f"[sites.{name}]  # file {config.path}")
        if site.delay is not None:
            lines.append(f"delay = {site.delay}")
        if site.enabled is not None:
            lines.append(f"enabled = {str(site.enabled).lower()}")
    return lines


def _own(name: str) -> bool:
    """The project's own settings and the archive's: Scrapy's other defaults are left out."""
    return name.startswith("NEWSCRAWLER_") or name.startswith("ARCHIVE_") or name in _SCRAPY_SHOWN


#: Scrapy settings the project sets and an operator asks about.
_SCRAPY_SHOWN = frozenset(
    {"LOG_LEVEL", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "USER_AGENT", "JOBDIR"}
)


def _value(value: Any) -> str:
    if isinstance(value, str | int | float | bool | type(None)):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "copy_to_dict"):
        value = value.copy_to_dict()
    return json.dumps(value, ensure_ascii=False, default=str)
