"""Run health: does the site still yield articles the way it did?

A finished run is *unhealthy*, and ``newscrawler crawl`` exits with code 5 (``UNHEALTHY``) and
says why, when any of these holds:

* **fetched nothing**: no page came from the site (robots.txt aside), or it answered every
  request with an error status (4xx, 5xx): the site did not answer, or the run had nothing to
  ask for (a lost frontier), even on a site's first run;
* **nothing found**: the run found no article at all (none yielded by the spider, none confirmed
  unchanged by a 304, none skipped as already archived, none listed on a listing page that
  answered as it did last time) while the median of the site's recent
  finished runs found some;
* **coverage drop**: the share of the spider's items with a non-empty title, body or
  publication date (``NEWSCRAWLER_HEALTH_FIELDS``) fell by ``NEWSCRAWLER_HEALTH_COVERAGE_DROP``
  or more below the median share of the recent runs, both counted over at least
  ``NEWSCRAWLER_HEALTH_MIN_ITEMS`` items;
* **blocked**: ``NEWSCRAWLER_HEALTH_BLOCKED_SHARE`` or more of the responses were blocks (HTTP
  ``NEWSCRAWLER_HEALTH_BLOCKED_STATUSES``) or block/challenge pages the validation pipeline
  dropped as ``blocked``.

"Recent" is the last ``NEWSCRAWLER_HEALTH_WINDOW`` finished runs of the same spider and site. The
verdict is stored in ``crawl_runs.health`` and ``crawl_runs.health_notes``, and in the crawl
stats as ``newscrawler/health`` and ``newscrawler/health/notes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from scrapy.settings import BaseSettings

from newscrawler.exitcodes import ExitCode
from newscrawler.stats import (
    COVERAGE_PREFIX,
    DROPPED_PREFIX,
    SCRAPE_FAILED_STAT,
    UNCHANGED_LISTED_STAT,
)
from storage.archive import Archive

OK = "ok"
UNHEALTHY = "unhealthy"

#: Stats key prefix of the field coverage counts (see newscrawler.spidermiddlewares.coverage).
#: Stats keys that count articles found without the spider yielding them again.
_FOUND_WITHOUT_ITEM = (
    "newscrawler/refetch/not_modified",
    "newscrawler/incremental/skipped/archived",
    "newscrawler/incremental/skipped/not_newer",
    UNCHANGED_LISTED_STAT,
)


@dataclass(frozen=True)
class HealthPolicy:
    """The ``NEWSCRAWLER_HEALTH_*`` settings (docs/settings.md)."""

    window: int
    fields: tuple[str, ...]
    coverage_drop: float
    min_items: int
    blocked_share: float
    blocked_statuses: tuple[int, ...]

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> HealthPolicy:
        return cls(
            window=settings.getint("NEWSCRAWLER_HEALTH_WINDOW"),
            fields=tuple(settings.getlist("NEWSCRAWLER_HEALTH_FIELDS")),
            coverage_drop=settings.getfloat("NEWSCRAWLER_HEALTH_COVERAGE_DROP"),
            min_items=settings.getint("NEWSCRAWLER_HEALTH_MIN_ITEMS"),
            blocked_share=settings.getfloat("NEWSCRAWLER_HEALTH_BLOCKED_SHARE"),
            blocked_statuses=tuple(
                int(status) for status in settings.getlist("NEWSCRAWLER_HEALTH_BLOCKED_STATUSES")
            ),
        )


@dataclass(frozen=True)
class Health:
    status: str
    notes: tuple[str, ...] = ()

    @property
    def columns(self) -> dict[str, Any]:
        """The ``crawl_runs`` columns of this verdict."""
        return {"health": self.status, "health_notes": list(self.notes)}


def assess(
    stats: Mapping[str, Any], recent: Sequence[Mapping[str, Any]], policy: HealthPolicy
) -> Health:
    """The health of a finished run from its ``stats`` and the ``stats`` of the site's recent
    finished runs (newest first)."""
    recent = recent[: policy.window]
    notes = [
        *_fetched_nothing(stats),
        *_nothing_found(stats, recent),
        *_coverage_drops(stats, recent, policy),
        *_blocked(stats, policy),
    ]
    return Health(UNHEALTHY if notes else OK, tuple(notes))


def articles_found(stats: Mapping[str, Any]) -> int:
    items = int(stats.get(f"{COVERAGE_PREFIX}items", 0))
    return items + sum(int(stats.get(key, 0)) for key in _FOUND_WITHOUT_ITEM)


def coverage(stats: Mapping[str, Any], field: str, *, min_items: int) -> float | None:
    """The share of items with ``field``, or None with fewer than ``min_items`` items."""
    items = int(stats.get(f"{COVERAGE_PREFIX}items", 0))
    if items < max(min_items, 1):
        return None
    return int(stats.get(f"{COVERAGE_PREFIX}{field}", 0)) / items


def blocked_responses(stats: Mapping[str, Any], statuses: Sequence[int]) -> int:
    by_status = sum(
        int(stats.get(f"downloader/response_status_count/{status}", 0)) for status in statuses
    )
    return by_status + int(stats.get(f"{DROPPED_PREFIX}blocked", 0))


def pages_fetched(stats: Mapping[str, Any]) -> int:
    """Responses from the site itself that were not errors (below 400; a 304 counts):
    robots.txt does not count."""
    return _answered(stats, "downloader/response_status_count/") - _answered(
        stats, "robotstxt/response_status_count/"
    )


def _answered(stats: Mapping[str, Any], prefix: str) -> int:
    return sum(
        int(value)
        for key, value in stats.items()
        if key.startswith(prefix)
        and key.removeprefix(prefix).isdigit()
        and int(key.removeprefix(prefix)) < 400
    )


def _fetched_nothing(stats: Mapping[str, Any]) -> list[str]:
    """A run that got no page from its site, or only errors, did not crawl it, whatever its
    history says."""
    if pages_fetched(stats):
        return []
    if int(stats.get("response_received_count", 0)) > int(stats.get("robotstxt/response_count", 0)):
        return ["the site answered every request with an error"]
    return ["fetched no page from the site"]


def _nothing_found(stats: Mapping[str, Any], recent: Sequence[Mapping[str, Any]]) -> list[str]:
    if not recent or articles_found(stats):
        return []
    usual = median(articles_found(run) for run in recent)
    if not usual:
        return []
    return [f"found no articles; the last {len(recent)} runs found {usual:g} (median)"]


def _coverage_drops(
    stats: Mapping[str, Any], recent: Sequence[Mapping[str, Any]], policy: HealthPolicy
) -> list[str]:
    notes = []
    for field in policy.fields:
        now = coverage(stats, field, min_items=policy.min_items)
        before = [
            share
            for run in recent
            if (share := coverage(run, field, min_items=policy.min_items)) is not None
        ]
        if now is None or not before:
            continue
        usual = median(before)
        if usual - now >= policy.coverage_drop:
            notes.append(f"{field} found on {now:.0%} of articles; recent runs {usual:.0%}")
    return notes


def _blocked(stats: Mapping[str, Any], policy: HealthPolicy) -> list[str]:
    responses = int(stats.get("response_received_count", 0))
    blocked = blocked_responses(stats, policy.blocked_statuses)
    if not responses or blocked / responses < policy.blocked_share:
        return []
    return [
        f"{blocked} of {responses} responses were blocked (HTTP {_codes(policy)} or challenges)"
    ]


def _codes(policy: HealthPolicy) -> str:
    return "/".join(str(status) for status in policy.blocked_statuses)


def assess_run(
    archive: Archive,
    run_id: int,
    *,
    spider: str,
    site: str,
    stats: Mapping[str, Any],
    policy: HealthPolicy,
) -> Health:
    """The health of run ``run_id`` against the site's recent finished runs in ``archive``."""
    runs = archive.runs(spider=spider, site=site, limit=policy.window * 4 + 1)
    recent = [run["stats"] for run in runs if run["id"] != run_id and run["outcome"] == "finished"]
    return assess(stats, recent, policy)


def outcome_exit_code(stats: Mapping[str, Any]) -> ExitCode:
    """The exit code of a crawl that ran, from its stats (docs/operations.md#exit-codes)."""
    outcome = stats.get("newscrawler/outcome")
    reason = stats.get("finish_reason")
    if outcome == "interrupted" or reason == "shutdown":
        return ExitCode.INTERRUPTED
    if stats.get(SCRAPE_FAILED_STAT):
        return ExitCode.FAILED
    if outcome == "finished":
        return ExitCode.UNHEALTHY if stats.get("newscrawler/health") == UNHEALTHY else ExitCode.OK
    return ExitCode.FAILED
