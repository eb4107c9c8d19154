"""Crawl-stats keys that several components share, and the ``crawl_runs`` columns made of them.

A key counted by one component and read by another (the run summary, health, the next run)
is named here once; keys only their own component reads stay with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

#: Prefix of the per-reason drop counters every dropping pipeline increments.
DROPPED_PREFIX = "newscrawler/dropped/"
#: Challenge and block pages stopped before any spider saw them; ``<key>/<marker>`` splits it.
BLOCKED_STAT = "newscrawler/blocked"
#: Article URLs this run could not fetch, handed to the site's next run (a list).
UNFETCHED_STAT = "newscrawler/unfetched_urls"
#: Items as the spider yields them, and those with a value per watched field (``<prefix><field>``).
COVERAGE_PREFIX = "newscrawler/coverage/"
#: Links to archived articles on listing pages that answered as they did last time (304, or
#: the same bytes): articles found unchanged without reading the page (the discovery memory).
UNCHANGED_LISTED_STAT = "newscrawler/discovery/listed_unchanged"
#: Pages the spiders extracted an article from.
EXTRACTED_STAT = "newscrawler/extracted"
#: Pages that were not articles, by reason.
NOT_ARTICLE_PREFIX = "newscrawler/not_article/"
#: Requests that failed, by reason.
FETCH_FAILED_PREFIX = "newscrawler/fetch_failed/"
#: The run's errors, counted where they happen whatever the log level lets through: requests
#: that failed (a sitemap, feed or robots.txt the site does not have aside) and items that
#: could not be archived (see :func:`error_count`).
ERRORS_STAT = "newscrawler/errors"
#: Scrapy's count of robots.txt fetches that failed, by exception.
ROBOTS_FAILED_PREFIX = "robotstxt/exception_count/"
#: Pages given to ``newscrawler scrape`` that could not be fetched: the command then fails.
SCRAPE_FAILED_STAT = "newscrawler/scrape/failed"
#: Set once the sink has written the run's final record: a run stopped before that is
#: recorded by the command itself.
RUN_RECORDED_STAT = "newscrawler/run_recorded"
#: Writes of the crawl's frontier (its JOBDIR) that failed, a full disk say: the run failed.
FRONTIER_WRITE_FAILED_STAT = "newscrawler/frontier/write_failed"
#: Redirects not followed: to another host, or to an internal address.
REDIRECT_OFFSITE_STAT = "newscrawler/redirect_offsite"
#: Discovery documents (sitemaps, feeds) that could not be read, by reason.
NOT_A_DOCUMENT_PREFIX = "newscrawler/not_a_document/"
#: Stored pages a reprocess goes through (set when it starts), and articles whose fields it
#: changed, by field (``<prefix><field>``).
REPROCESS_TOTAL_STAT = "newscrawler/reprocess/total"
REPROCESS_CHANGED_PREFIX = "newscrawler/reprocess/changed/"
#: Reprocessed articles left alone: a crawl stored a newer version of the page meanwhile.
REPROCESS_SUPERSEDED_STAT = "newscrawler/reprocess/superseded"


def dropped_by_reason(stats: Mapping[str, Any]) -> dict[str, int]:
    return {
        key.removeprefix(DROPPED_PREFIX): int(value)
        for key, value in stats.items()
        if key.startswith(DROPPED_PREFIX)
    }


def run_counts(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The ``crawl_runs`` columns for a crawl's stats."""
    new = int(stats.get("newscrawler/archive/new", 0))
    changed = int(stats.get("newscrawler/archive/changed", 0))
    unchanged = int(stats.get("newscrawler/archive/unchanged", 0))
    return {
        "pages_fetched": int(stats.get("response_received_count", 0)),
        "items_archived": new + changed + unchanged,
        "items_new": new,
        "items_changed": changed,
        "items_dropped": int(stats.get("item_dropped_count", 0)),
        "errors": error_count(stats),
        "dropped_by_reason": dropped_by_reason(stats),
    }


def error_count(stats: Mapping[str, Any]) -> int:
    """Failed requests (robots.txt fetches that failed included), exceptions in the spider and
    items not archived, from the stats."""
    robots = sum(int(value) for key, value in stats.items() if key.startswith(ROBOTS_FAILED_PREFIX))
    return (
        int(stats.get(ERRORS_STAT, 0))
        + robots
        + int(stats.get("spider_exceptions/count", 0))
        + int(stats.get("newscrawler/archive/lost", 0))
    )


_SCALAR = (str, int, float, bool, type(None))


def recorded_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """The stats a run record keeps: scalars, times, and lists of scalars (URLs, ids)."""
    kept: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, datetime):
            kept[key] = value.isoformat()
        elif isinstance(value, _SCALAR) or (
            isinstance(value, list | tuple) and all(isinstance(v, _SCALAR) for v in value)
        ):
            kept[key] = value
    return kept
