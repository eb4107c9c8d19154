"""Crawl statistics under the names the archive's ``crawl_runs`` table and the CLI use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Prefix of the per-reason drop counters every dropping pipeline increments.
DROPPED_PREFIX = "newscrawler/dropped/"


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
        "errors": int(stats.get("log_count/ERROR", 0)) + int(stats.get("spider_exceptions", 0)),
        "dropped_by_reason": dropped_by_reason(stats),
    }
