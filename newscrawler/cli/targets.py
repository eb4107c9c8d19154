"""What ``newscrawler crawl SITE`` crawls: a site's URL (auto mode), a spider by name, or a
profile (a ``.toml`` path, or a name from the user's profiles folder or the built-ins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from newscrawler.discovery.idrange import parse_id_range
from newscrawler.profiles import Profile, ProfileError, find_profile
from storage.archive import Archive

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
) -> tuple[str, dict[str, Any]]:
    """The spider's name and its arguments for ``site`` and the crawl options."""
    named = sorted(set(spider_names) - GENERIC_SPIDERS)
    if urlsplit(site).scheme in ("http", "https"):
        if ids or wayback:
            raise CrawlTargetError("--ids and --wayback need a profile or the ispr spider")
        return "auto", {"url": site}
    profile: Profile | None = None  # a spider by name reads its profile only for --ids
    if site in named:
        target = site
        kwargs: dict[str, Any] = {}
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
        target, kwargs = "profile", {"profile": profile}
    if wayback and site != "ispr":
        raise CrawlTargetError("--wayback is for the ispr spider")
    if wayback:
        kwargs["wayback"] = True
    if since:
        kwargs["since"] = since
    if ids:
        try:
            # The profile given by path is used as given, not looked up again by its name.
            kwargs["ids"] = resolve_ids(ids, profile or find_profile(site), archive_url)
        except ValueError as error:
            raise CrawlTargetError(str(error)) from error
    return target, kwargs


def resolve_ids(ids: str, profile: Profile, archive_url: str) -> str:
    """An id range (``START-STOP`` or ``START-``) for ``ids``, where ``next`` becomes the ids
    after the newest one archived for the profile's site: spiders take ranges only, and the
    archive is read here, before the crawl starts."""
    if profile.discovery.id_range is None:
        raise ValueError(f"profile {profile.name!r} has no id_range to enumerate")
    if ids.strip().lower() != "next":
        parse_id_range(ids)
        return ids
    key = id_extra(profile)
    with Archive.open(archive_url) as archive:
        newest = archive.max_extra(key, site=profile.site)
    if newest is None:
        raise ValueError(
            f"the archive holds no {profile.site} page with an {key!r}: give a range, "
            "e.g. --ids 7000-"
        )
    return f"{newest + 1}-"


def id_extra(profile: Profile) -> str:
    """The extra that holds a page's id: the profile's integer extra read from the URL."""
    for rule in profile.fields.extras:
        if rule.type == "int" and rule.url_pattern is not None:
            return rule.name
    raise ValueError(f"profile {profile.name!r} has no integer extra read from its URLs")
