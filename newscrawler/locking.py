"""One crawl of a site at a time: a lock that a dead process does not hold.

A :class:`SiteLock` is an exclusive ``flock`` on ``<state dir>/locks/<site>.lock``, taken without
waiting. The kernel releases it when the holding process exits, however it exits (SIGKILL
included), so a crashed crawl never blocks the next one. The lock file keeps the holder's pid,
host and start time for the message a second start prints; it is never deleted (deleting a lock
file lets two processes lock two different files).

With a PostgreSQL archive the lock also takes a session-level advisory lock on the archive's
server, so crawls of the same site from two hosts into one archive exclude each other as well;
the server drops it when the holder's connection goes, with the process.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import socket
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from storage.engine import create_archive_engine

# Any constant works: it keeps these advisory locks apart from other users of the server.
_PG_LOCK_CLASS = zlib.crc32(b"newscrawler.site-lock") - 2**31
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class AlreadyRunning(RuntimeError):
    """Another process holds the site's lock."""


def scope_name(site: str) -> str:
    """A file name for ``site`` (a spider, profile name, profile path or URL): readable, and
    unique even when unsafe characters had to be replaced."""
    safe = _UNSAFE.sub("_", site).strip("._")[:80] or "site"
    if safe == site:
        return safe
    return f"{safe}-{hashlib.sha256(site.encode()).hexdigest()[:8]}"


class SiteLock:
    """The lock of one site's crawls. Use as a context manager, or ``acquire``/``release``."""

    def __init__(self, state_dir: Path, site: str, *, archive_url: str | None = None) -> None:
        self.site = site
        self.path = state_dir / "locks" / f"{scope_name(site)}.lock"
        self.archive_url = archive_url
        self._file: IO[str] | None = None
        self._pg: Connection | None = None

    def acquire(self) -> SiteLock:
        """Take the lock now or raise :class:`AlreadyRunning` saying who holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(handle)
            handle.close()
            raise AlreadyRunning(
                f"a crawl of {self.site} is already running ({_describe(holder)}; lock {self.path})"
            ) from None
        self._file = handle
        _write_holder(handle)
        try:
            self._lock_archive()
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        if self._pg is not None:
            self._pg.close()
            self._pg.engine.dispose()
            self._pg = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> SiteLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def _lock_archive(self) -> None:
        if not self.archive_url or make_url(self.archive_url).get_backend_name() != "postgresql":
            return
        conn = create_archive_engine(self.archive_url).connect()
        key = zlib.crc32(self.site.encode()) - 2**31
        taken = conn.execute(
            text("SELECT pg_try_advisory_lock(:cls, :key)"), {"cls": _PG_LOCK_CLASS, "key": key}
        ).scalar_one()
        conn.commit()
        if not taken:
            conn.close()
            conn.engine.dispose()
            raise AlreadyRunning(
                f"a crawl of {self.site} into {make_url(self.archive_url).render_as_string()} "
                "is already running on another host (PostgreSQL advisory lock held)"
            )
        self._pg = conn


def _write_holder(handle: IO[str]) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(holder) + "\n")
    handle.flush()


def _read_holder(handle: IO[str]) -> dict[str, Any]:
    handle.seek(0)
    try:
        holder = json.loads(handle.read() or "{}")
    except ValueError:
        return {}
    return holder if isinstance(holder, dict) else {}


def _describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "holder unknown"
    return f"pid {holder.get('pid')} on {holder.get('host')} since {holder.get('since')}"
