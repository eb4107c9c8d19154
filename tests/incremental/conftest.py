"""Fixtures of the incremental-crawl tests: sites that change, crawls with their own state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newscrawler.samples.server import SampleSite
from tests.incremental.sites import ChangingSite, Crawls


@pytest.fixture
def site() -> Iterator[ChangingSite]:
    """30 releases, 10 a listing page, every page with an ETag."""
    with ChangingSite(30, validators=True) as site:
        yield site


@pytest.fixture
def crawls_of(tmp_path: Path, sqlite_url: str) -> Callable[[SampleSite], Crawls]:
    """Crawls of a site into an SQLite archive, with a state directory of their own."""

    def crawls(site: SampleSite, db: str = sqlite_url) -> Crawls:
        return Crawls(site, db, tmp_path / "state")

    return crawls
