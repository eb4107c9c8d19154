"""Engines for archive URLs, with the SQLite settings that let readers work beside one writer."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

log = logging.getLogger(__name__)

#: How long an SQLite connection waits for another process's write lock before failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: Page cache of each SQLite connection, in KiB. The operating system caches the file too: a
#: larger cache mostly holds a second copy of it (64 MiB wrote no faster at 100,000 articles,
#: `python -m benchmarks.sink`, and held 14 MB more at 5,000).
SQLITE_CACHE_KIB = 16 * 1024

#: WAL pages past which a committing writer checkpoints by itself: a safety net, as the
#: background checkpointer copies the WAL back after every write long before.
SQLITE_WAL_AUTOCHECKPOINT_PAGES = 16_384

#: How long the background checkpointer lets commits gather before it copies them back.
SQLITE_CHECKPOINT_GATHER_S = 0.1

#: Marks a pooled connection whose write transaction committed.
_WROTE = "newscrawler_wrote"

#: Execution option that makes a transaction take SQLite's write lock when it begins.
WRITE_LOCK = "newscrawler_write_lock"


#: The forms of archive URL, for error messages.
URL_FORMS = "sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE"


class ArchiveUnavailableError(RuntimeError):
    """The archive URL names no database that can be opened: a malformed URL, an unknown kind
    of database, a missing file or folder, a server that does not answer."""


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and a bare file path; use psycopg 3 for PostgreSQL."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ArchiveUnavailableError(f"{url!r} is not an archive URL ({URL_FORMS})") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_archive_engine(url: str, *, must_exist: bool = False) -> Engine:
    """An engine for ``url``; ``must_exist``: an SQLite file is never created."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_path(parsed.database, must_exist=must_exist)
        return _sqlite_engine(url)
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise ArchiveUnavailableError(
            f"{_shown(url)}: unknown kind of database {parsed.drivername!r} ({URL_FORMS})"
        ) from None
    if not parsed.database:
        raise ArchiveUnavailableError(f"{_shown(url)} names no database ({URL_FORMS})")
    return create_engine(url, pool_pre_ping=True)


def positional_mark(dialect: Dialect) -> str:
    """The driver's mark of a positional parameter, for SQL written for the driver itself:
    ``?`` for sqlite3, ``%s`` for psycopg."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _check_sqlite_path(database: str | None, *, must_exist: bool) -> None:
    if database in (None, "", ":memory:"):
        return
    path = Path(database)
    if must_exist and not path.is_file():
        raise ArchiveUnavailableError(f"no archive at {path}")
    if not path.parent.is_dir():
        raise ArchiveUnavailableError(f"cannot make an archive at {path}: no folder {path.parent}")


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False})
    path = make_url(url).database
    on_file = path not in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself: pysqlite's implicit transactions
        # would start too late to take the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        if on_file:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_LOCK, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if on_file:
        assert path is not None
        checkpointer = _Checkpointer(path)

        # The commit event comes before the commit: the checkpointer is woken once the
        # connection is back in the pool, its write committed.
        @event.listens_for(engine, "commit")
        def _committing(connection: Any) -> None:
            if connection.get_execution_options().get(WRITE_LOCK, False):
                connection.info[_WROTE] = True

        @event.listens_for(engine, "checkin")
        def _returned(_dbapi_connection: Any, record: Any) -> None:
            if record.info.pop(_WROTE, False):
                checkpointer.poke()

        @event.listens_for(engine, "engine_disposed")
        def _disposed(_engine: Engine) -> None:
            checkpointer.stop()

    return engine


class _Checkpointer:
    """Copies an SQLite archive's WAL back into the database file in a thread of its own.

    A checkpoint writes each page changed since the last one to its place in the file and
    fsyncs. Indexes on keys in random order (content hashes, release keys, the URLs of many
    sites) make a batch change pages spread over more of the file the larger the archive, so a
    writer that checkpointed by itself would wait longer and longer on those writes. Here the
    writer only commits (to the WAL); the thread checkpoints shortly after each commit, without
    blocking readers or the writer (PASSIVE). Started by the first write, stopped when the
    engine is disposed; a later write starts it again.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._changed = threading.Condition()
        self._pending = False
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        """A write was committed: checkpoint it soon."""
        with self._changed:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpointer", daemon=True
                )
                self._thread.start()
            self._pending = True
            self._changed.notify()

    def stop(self) -> None:
        with self._changed:
            thread, self._thread = self._thread, None
            self._changed.notify()
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            while self._next():
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # the writer's own checkpoints still bound the WAL
                    log.warning("background checkpoint of %s failed: %s", self._path, exc)
        finally:
            conn.close()

    def _next(self) -> bool:
        """Wait for a commit, then let the commits of the next moment join it (the pages they
        share are copied once); False once this thread was stopped."""
        me = threading.current_thread()
        with self._changed:
            self._changed.wait_for(lambda: self._pending or self._thread is not me)
            self._changed.wait_for(lambda: self._thread is not me, SQLITE_CHECKPOINT_GATHER_S)
            self._pending = False
            return self._thread is me
