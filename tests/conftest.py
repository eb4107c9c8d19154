"""Shared fixtures: real archives (SQLite files, PostgreSQL on 127.0.0.1) and local sites."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from newscrawler.samples.ispr import ispr_like_site
from newscrawler.samples.server import SampleSite
from tests.support import CommandCrawler

#: The PostgreSQL server the tests use; a database of its own is made for each test session.
POSTGRES_URL = os.environ.get(
    "NEWSCRAWLER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure means: no server to test against
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.__class__.__name__}"
    return None


@pytest.fixture(autouse=True)
def crawl_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's crawls keep their locks and resumable frontiers apart from other tests'."""
    state = tmp_path / "crawl-state"
    monkeypatch.setenv("NEWSCRAWLER_STATE_DIR", str(state))
    return state


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away database on the PostgreSQL server, dropped after the session."""
    reason = _postgres_available()
    if reason:
        pytest.skip(reason)
    name = f"newscrawler_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty archive: an SQLite file, or a clean schema in the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    url: str = request.getfixturevalue("postgres_database")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite3'}"


@pytest.fixture
def ispr_site() -> Iterator[SampleSite]:
    """A 30-release ISPR-like site on 127.0.0.1, 10 releases a listing page."""
    with ispr_like_site(30, per_page=10) as site:
        yield site


@pytest.fixture
def crawl(tmp_path: Path) -> CommandCrawler:
    """``newscrawler crawl`` in a working directory of its own, into one archive."""
    return CommandCrawler(tmp_path)
