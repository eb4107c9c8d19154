"""Stored pages against their expected JSON, in the manner of Fundus: one folder per profile
(``generic``: no profile, auto mode), ``<name>.html`` beside ``<name>.json``.

The JSON holds the fetched ``url`` (plus optional ``redirect_urls``, ``status``, ``encoding``,
``content_type`` and ``now``) and ``expected``: the item's fields, or ``{"reason": ...}`` for a
page that holds no article. After an intended change to extraction,
``python -m tests.extract.regenerate [NAME...]`` rewrites ``expected`` and names the files
that changed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from itemadapter import ItemAdapter

from newscrawler.extract import article_signals, extract_page
from tests.extract.support import (
    CASES,
    DEFAULT_NOW,
    expected_of,
    iso,
    page_name,
    page_response,
    read_stored_page,
)


def test_every_profile_folder_has_pages() -> None:
    folders = {case.parent.name for case in CASES}
    assert {"ispr", "poslanews", "generic"} <= folders
    assert all(case.with_suffix(".html").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=page_name)
def test_stored_page_extracts_as_expected(case: Path) -> None:
    before = datetime.now(UTC)

    _, spec, _, result = read_stored_page(case)

    expected = spec["expected"]
    if "reason" in expected:
        assert result.item is None
        assert result.reason == expected["reason"], result.detail
        return
    assert result.item is not None, f"{result.reason}: {result.detail}"
    item = ItemAdapter(result.item)
    assert expected_of(result) == expected
    assert item["http_status"] == spec.get("status", 200)
    assert item["fetched_at"].tzinfo is UTC and item["fetched_at"] >= before
    assert item["language"] is None  # decided by the cleaning pipeline from the cleaned text


def _article_cases(folder: str) -> list[Path]:
    return [
        case
        for case in CASES
        if case.parent.name == folder
        and "reason" not in json.loads(case.read_text("utf-8"))["expected"]
    ]


@pytest.mark.parametrize("case", _article_cases("poslanews"), ids=lambda case: case.stem)
def test_wordpress_pages_read_the_same_in_auto_mode(case: Path) -> None:
    """An unknown WordPress site needs no profile for its titles, bodies and dates."""
    response, spec = page_response(case)
    expected = spec["expected"]

    result = extract_page(response, None, now=datetime.fromisoformat(DEFAULT_NOW))

    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert result.signals is not None and result.signals.is_article
    assert result.item.title == expected["title"]
    assert result.item.body == expected["body"]
    assert iso(result.item.published_at) == expected["published_at"]


@pytest.mark.parametrize("case", CASES, ids=page_name)
def test_signals_of_a_page_read_with_a_profile_are_weighed_when_asked(case: Path) -> None:
    """A profile needs no signals to read a page; the result weighs them on request, the same
    as auto mode does."""
    response, _, now, result = read_stored_page(case)

    if result.reason == "blocked":
        assert result.signals is None
    else:
        assert result.signals == article_signals(response, now=now)
