"""The discovery lines of a run's summary: blocked pages, pages that were not articles,
enumerated ids and Wayback captures, from the crawl stats."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newscrawler.stats import BLOCKED_STAT, UNFETCHED_STAT


def discovery_summary(stats: Mapping[str, Any]) -> list[str]:
    """Lines for the run summary, each saying something only when there is something to say."""
    lines = []
    blocked = int(stats.get(BLOCKED_STAT, 0))
    if blocked:
        lines.append(f"blocked (challenge pages, not archived): {blocked}")
    not_articles = _counts(stats, "newscrawler/not_article/")
    if not_articles:
        lines.append(f"not articles: {not_articles}")
    failed = _counts(stats, "newscrawler/fetch_failed/")
    if failed:
        lines.append(f"not fetched: {failed}")
    unfetched = stats.get(UNFETCHED_STAT)
    if unfetched:
        lines.append(f"articles left for the next run to fetch: {len(unfetched)}")
    if "newscrawler/ids/range" in stats:
        lines.append(_ids_line(stats))
    if "newscrawler/wayback/releases" in stats:
        lines.append(
            f"wayback: {stats.get('newscrawler/wayback/releases', 0)} releases captured, "
            f"{stats.get('newscrawler/wayback/archived', 0)} archived, "
            f"{stats.get('newscrawler/wayback/unusable', 0)} unusable, "
            f"{stats.get('newscrawler/wayback/skipped_rows', 0)} index rows skipped"
        )
    return lines


def _ids_line(stats: Mapping[str, Any]) -> str:
    parts = [f"ids {stats['newscrawler/ids/range']}: found {stats.get('newscrawler/ids/found', 0)}"]
    for outcome in ("missing", "blocked", "failed"):
        ids = stats.get(f"newscrawler/ids/{outcome}_ids")
        if ids:
            parts.append(f"{outcome} {ids}")
    return ", ".join(parts)


def _counts(stats: Mapping[str, Any], prefix: str) -> str:
    found = sorted((k.removeprefix(prefix), v) for k, v in stats.items() if k.startswith(prefix))
    return ", ".join(f"{name} {count}" for name, count in found)
