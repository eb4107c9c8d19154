"""The configuration file, ``newscrawler.toml``: an operator's settings without editing code.

It is found, in order, at ``--config PATH``, at ``$NEWSCRAWLER_CONFIG``, and as
``newscrawler.toml`` in the working directory (none is needed)::

    archive = "postgresql+psycopg://newscrawler@db/news"   # ARCHIVE_URL

    [settings]                  # any Scrapy or newscrawler setting
    LOG_LEVEL = "WARNING"
    NEWSCRAWLER_STATE_DIR = "/var/lib/newscrawler"

    [sites.poslanews]           # per site (a profile or spider name)
    delay = 5                   # DOWNLOAD_DELAY for this site's crawls
    enabled = false             # left out of `crawl --all`

A value is taken from, in order: the command line (``-s``, ``--db``, ``--log-level``), the
environment (``NEWSCRAWLER_DB`` and the other variables of :data:`ENVIRONMENT`), this file,
and the defaults of ``newscrawler/settings.py``. ``newscrawler config`` prints each effective
setting with where it came from.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: Where the file is named, and its name in the working directory.
CONFIG_ENV = "NEWSCRAWLER_CONFIG"
DEFAULT_FILE = "newscrawler.toml"
#: Settings that an environment variable sets (read in newscrawler/settings.py).
ENVIRONMENT = {
    "ARCHIVE_URL": "NEWSCRAWLER_DB",
    "NEWSCRAWLER_STATE_DIR": "NEWSCRAWLER_STATE_DIR",
    "NEWSCRAWLER_CONTACT_URL": "NEWSCRAWLER_CONTACT_URL",
}
#: Above the project's defaults, below the command line (and a spider's own settings).
FILE_PRIORITY = (SETTINGS_PRIORITIES["project"] + SETTINGS_PRIORITIES["spider"]) // 2
_SITE_KEYS: dict[str, tuple[type, ...]] = {"delay": (int, float), "enabled": (bool,)}


class ConfigError(ValueError):
    """The file cannot be read or holds a key that does not fit: said in one line, exit 2."""


@dataclass(frozen=True)
class SiteConfig:
    delay: float | None = None
    enabled: bool | None = None


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    sites: dict[str, SiteConfig] = field(default_factory=dict)

    def site(self, name: str) -> SiteConfig:
        return self.sites.get(name, SiteConfig())


def find_config(given: str | None = None) -> Config:
    """The configuration in effect: the named file (which must exist), else none."""
    named = given or os.environ.get(CONFIG_ENV)
    if named:
        path = Path(named)
        if not path.is_file():
            source = "--config" if given else f"${CONFIG_ENV}"
            raise ConfigError(f"no configuration file at {path} (from {source})")
        return load_config(path)
    default = Path(DEFAULT_FILE)
    return load_config(default) if default.is_file() else Config()


def load_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from error
    unknown = set(data) - {"archive", "settings", "sites"}
    if unknown:
        raise ConfigError(f"{path}: unknown key {sorted(unknown)[0]!r} (archive, settings, sites)")
    settings = dict(_table(data, "settings", path))
    if "archive" in data:
        if not isinstance(data["archive"], str):
            raise ConfigError(f"{path}: archive: a URL in quotes")
        settings["ARCHIVE_URL"] = data["archive"]
    sites = {name: _site(name, table, path) for name, table in _table(data, "sites", path).items()}
    return Config(path, settings, sites)


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {key}: a table ([{key}])")
    return table


def _site(name: str, table: Any, path: Path) -> SiteConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: sites.{name}: a table ([sites.{name}])")
    for key, value in table.items():
        kinds = _SITE_KEYS.get(key)
        if kinds is None:
            raise ConfigError(f"{path}: sites.{name}: unknown key {key!r} (delay, enabled)")
        if not isinstance(value, kinds) or (key == "delay" and isinstance(value, bool)):
            raise ConfigError(f"{path}: sites.{name}.{key}: {value!r} is not a {key} value")
    return SiteConfig(delay=table.get("delay"), enabled=table.get("enabled"))


def apply_config(settings: BaseSettings, config: Config, *, site: str | None = None) -> None:
    """The file's settings (and ``site``'s delay) where neither the command line nor the
    environment set them."""
    values = dict(config.settings)
    delay = config.site(site).delay if site else None
    if delay is not None:
        values["DOWNLOAD_DELAY"] = delay
    for name, value in values.items():
        if name in ENVIRONMENT and ENVIRONMENT[name] in os.environ:
            continue
        settings.set(name, value, priority=FILE_PRIORITY)


def source_of(name: str, settings: BaseSettings, config: Config) -> str:
    """Where the effective value of setting ``name`` came from."""
    priority = settings.getpriority(name)
    if priority is not None and priority >= SETTINGS_PRIORITIES["cmdline"]:
        return "command line"
    if priority == FILE_PRIORITY:
        return f"file {config.path}"
    if name in ENVIRONMENT and ENVIRONMENT[name] in os.environ:
        return f"environment {ENVIRONMENT[name]}"
    return "default"
