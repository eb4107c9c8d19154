"""What ``newscrawler crawl SITE`` crawls: a site's URL (auto mode), a spider by name, or a
profile (a ``.toml`` path, or a name from the user's profiles folder or the built-ins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider

from newscrawler.profiles import ProfileError, find_profile
from spiders.auto import AutoSpider
from spiders.profile import ProfileSpider, resolve_ids

#: Spiders that take their site from an argument, not from their name.
GENERIC_SPIDERS = frozenset({"profile", "auto", "scrape"})


class CrawlTargetError(ValueError):
    """SITE names nothing the crawler knows, or options it cannot take."""


def crawl_target(
    site: str,
    spider_names: Iterable[str],
    *,
    ids: str | None = None,
    wayback: bool = False,
    since: str | None = None,
    archive_url: str = "",
) -> tuple[type[Spider] | str, dict[str, Any]]:
    """The spider (class or name) and its arguments for ``site`` and the crawl options."""
    named = sorted(set(spider_names) - GENERIC_SPIDERS)
    if urlsplit(site).scheme in ("http", "https"):
        if ids or wayback:
            raise CrawlTargetError("--ids and --wayback need a profile or the ispr spider")
        return AutoSpider, {"url": site}
    if site in named:
        target: type[Spider] | str = site
        kwargs: dict[str, Any] = {}
        profile_name = site
    else:
        try:
            profile = find_profile(site)
        except (ProfileError, OSError) as error:
            raise CrawlTargetError(f"{error} (spiders: {', '.join(named)})") from error
        if not profile.hosts:
            raise CrawlTargetError(
                f"profile {profile.name!r} names no hosts: it is a template; write a profile "
                f'with extends = "{profile.name}" and the site\'s hosts (docs/sites.md)'
            )
        target, kwargs, profile_name = ProfileSpider, {"profile": profile}, profile.name
    if wayback and site != "ispr":
        raise CrawlTargetError("--wayback is for the ispr spider")
    if wayback:
        kwargs["wayback"] = True
    if since:
        kwargs["since"] = since
    if ids:
        try:
            kwargs["ids"] = resolve_ids(ids, find_profile(profile_name), archive_url)
        except ValueError as error:
            raise CrawlTargetError(str(error)) from error
    return target, kwargs
