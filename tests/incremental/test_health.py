"""A run whose site stops yielding articles ends unhealthy, with a non-zero exit and a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.health import OK, UNHEALTHY, HealthPolicy, assess
from newscrawler.samples.server import Page, SampleSite
from tests.incremental.sites import ChangingSite, Crawls
from tests.support import newscrawler_command, project_settings

POLICY = HealthPolicy.from_settings(project_settings())


def run_stats(items: int = 10, *, with_title: int | None = None, **extra: int) -> dict[str, Any]:
    """The stats of a run whose spider yielded ``items`` items."""
    covered = items if with_title is None else with_title
    return {
        "response_received_count": items + 2,
        "downloader/response_status_count/200": items + 2,
        "newscrawler/coverage/items": items,
        "newscrawler/coverage/title": covered,
        "newscrawler/coverage/body": items,
        "newscrawler/coverage/published_at": items,
        **extra,
    }


def test_a_run_like_the_recent_ones_is_healthy() -> None:
    assert assess(run_stats(8), [run_stats(10), run_stats(12)], POLICY).status == OK


def test_an_incremental_run_that_only_skipped_archived_articles_is_healthy() -> None:
    quiet = {
        "response_received_count": 3,
        "downloader/response_status_count/200": 1,
        "downloader/response_status_count/304": 2,
        "newscrawler/incremental/skipped/archived": 20,
    }
    assert assess(quiet, [run_stats(30)], POLICY).status == OK


def test_nothing_found_where_recent_runs_found_articles_is_unhealthy() -> None:
    answered = {"response_received_count": 2, "downloader/response_status_count/200": 2}
    health = assess(answered, [run_stats(30), run_stats(20)], POLICY)
    assert health.status == UNHEALTHY
    assert health.notes == ("found no articles; the last 2 runs found 25 (median)",)


def test_nothing_found_on_a_first_run_is_not_judged() -> None:
    answered = {"response_received_count": 2, "downloader/response_status_count/200": 2}
    assert assess(answered, [], POLICY).status == OK


@pytest.mark.parametrize(
    ("stats", "note"),
    [
        ({}, "fetched no page from the site"),
        (
            {
                "response_received_count": 1,
                "robotstxt/response_count": 1,
                "downloader/response_status_count/200": 1,
                "robotstxt/response_status_count/200": 1,
            },
            "fetched no page from the site",
        ),
        (
            {
                "response_received_count": 4,
                "robotstxt/response_count": 1,
                "downloader/response_status_count/404": 2,
                "downloader/response_status_count/500": 1,
                "robotstxt/response_status_count/404": 1,
            },
            "the site answered every request with an error",
        ),
    ],
)
def test_a_first_run_that_fetched_nothing_or_only_errors_is_unhealthy(
    stats: dict[str, int], note: str
) -> None:
    assert assess(stats, [], POLICY).notes == (note,)


def test_a_drop_in_field_coverage_is_unhealthy() -> None:
    health = assess(run_stats(10, with_title=2), [run_stats(10)] * 3, POLICY)
    assert health.notes == ("title found on 20% of articles; recent runs 100%",)


def test_coverage_over_too_few_items_is_not_judged() -> None:
    assert assess(run_stats(3, with_title=0), [run_stats(10)], POLICY).status == OK


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"downloader/response_status_count/403": 9}, UNHEALTHY),
        ({"newscrawler/dropped/blocked": 7}, UNHEALTHY),
        ({"downloader/response_status_count/429": 2}, OK),
    ],
)
def test_mostly_blocked_responses_are_unhealthy(extra: dict[str, int], expected: str) -> None:
    assert assess(run_stats(10, **extra), [run_stats(10)], POLICY).status == expected


def test_a_site_that_starts_blocking_ends_the_run_unhealthy(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(site)
    assert crawls.run().returncode == ExitCode.OK
    site.answer_everything_with(403)

    blocked = crawls.run()
    runs = newscrawler_command("runs", "--db", crawls.db)

    assert blocked.returncode == ExitCode.UNHEALTHY == 5, blocked.stderr[-3000:]
    assert "UNHEALTHY: found no articles; the last 1 runs found 30 (median)" in blocked.stdout
    assert "UNHEALTHY: 2 of 2 responses were blocked (HTTP 401/403/429 or challenges)" in (
        blocked.stdout
    )
    lines = runs.stdout.splitlines()
    assert lines[1].endswith(" unhealthy") and lines[-1].endswith(" ok")
    assert "2 of 2 responses were blocked" in runs.stdout


def test_new_articles_without_titles_end_the_run_unhealthy(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(site)
    assert crawls.run().returncode == ExitCode.OK
    for release in site.add_releases(10):
        html = site.pages[release.path].body.replace(b"content-text", b"text-renamed")
        site.pages[release.path] = Page(html)

    result = crawls.run()

    assert result.returncode == ExitCode.UNHEALTHY, result.stderr[-3000:]
    assert "UNHEALTHY: title found on 0% of articles; recent runs 100%" in result.stdout
    assert "UNHEALTHY: body found on 0% of articles; recent runs 100%" in result.stdout
    with crawls.archive() as archive:
        latest = archive.runs()[0]
    assert latest["health"] == UNHEALTHY and len(latest["health_notes"]) == 2
