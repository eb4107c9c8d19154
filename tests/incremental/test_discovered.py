"""When auto mode asks again for a page it remembers: missing paths and navigation pages once
due, listings and documents every time, anything a newer sitemap or feed date names at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newscrawler.incremental.discovered import RememberedPage, RevisitRules, Role

CHECKED = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
RULES = RevisitRules.of_days(reprobe=7, revisit=2)


def page(role: Role, **fields: object) -> RememberedPage:
    remembered = RememberedPage(
        url="https://news.example/x",
        kind="page",
        role=role,
        http_status=404 if role == "missing" else 200,
        via="https://news.example/",
        depth=1,
        page_number=1,
        etag=None,
        last_modified=None,
        content_hash=None,
        article_links=0,
        checked_at=CHECKED,
    )
    return replace(remembered, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("role", "after", "reason"),
    [
        ("missing", timedelta(days=6, hours=23), "missing"),
        ("missing", timedelta(days=7), None),
        ("navigation", timedelta(days=1), "navigation"),
        ("navigation", timedelta(days=2), None),
        ("listing", timedelta(0), None),
        ("document", timedelta(0), None),
    ],
)
def test_a_remembered_page_is_asked_for_again_once_due(
    role: Role, after: timedelta, reason: str | None
) -> None:
    assert RULES.skip_reason(page(role), CHECKED + after) == reason


def test_a_newer_sitemap_date_asks_for_a_missing_page_at_once() -> None:
    now = CHECKED + timedelta(hours=1)
    assert RULES.skip_reason(page("missing"), now, CHECKED + timedelta(minutes=5)) is None
    assert RULES.skip_reason(page("missing"), now, CHECKED - timedelta(days=1)) == "missing"


def test_only_a_listings_next_pages_wait_for_their_previous_page() -> None:
    assert page("listing", kind="listing", page_number=2).is_next_page
    assert not page("listing", kind="page", page_number=1).is_next_page
