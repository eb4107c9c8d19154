"""The resumable frontier of a site's crawls: Scrapy's JOBDIR, and what to do after a crash.

``newscrawler crawl SITE`` keeps Scrapy's job directory (the scheduler's disk queue, the seen
request fingerprints and the spider's state) in ``<state dir>/jobs/<site>/``. Scrapy writes it
consistently only when the crawl closes cleanly, so a marker file
``<state dir>/jobs/<site>.running`` exists exactly while a crawl is running:

* a clean stop (SIGTERM, Ctrl-C, a CLOSESPIDER limit) keeps the job directory: the next start
  resumes its frontier (``NEWSCRAWLER_RESUMING``);
* a finished crawl deletes it: the next run starts from the site's start points again;
* a marker found at start means the last crawl died without closing (SIGKILL, power loss, a
  second Ctrl-C): its job directory cannot be trusted and is discarded; that run's outcome in
  the archive is not "finished", so this run walks every listing in full ("recover") and skips
  only what the archive holds. Nothing is lost and nothing is archived twice.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import IO

from scrapy.settings import Settings
from sqlalchemy.exc import SQLAlchemyError

from newscrawler.exitcodes import ExitCode
from newscrawler.locking import AlreadyRunning, SiteLock, scope_name


class Start(Enum):
    """How a run begins, with what the operator is told about it."""

    FRESH = ""
    RESUME = "resuming the stopped crawl kept in {jobdir}"
    DISCARDED = (
        "the last crawl using {jobdir} did not stop cleanly: its frontier is discarded; this run "
        "walks the site's listings in full and skips what the archive holds"
    )


#: Exit codes after which Scrapy's job state on disk is consistent.
_CLEAN_STOPS = (ExitCode.INTERRUPTED,)
_COMPLETE = (ExitCode.OK, ExitCode.UNHEALTHY)


class CrawlJob:
    """The job directory of one site and its "running" marker."""

    def __init__(self, jobdir: Path) -> None:
        self.jobdir = jobdir
        self.marker = jobdir.with_name(jobdir.name + ".running")

    @classmethod
    def for_site(cls, state_dir: Path, site: str) -> CrawlJob:
        return cls(state_dir / "jobs" / scope_name(site))

    def start(self) -> Start:
        """Make the job directory ready for a run: empty, or the frontier of a stopped run."""
        start = Start.FRESH
        if self.marker.exists():
            shutil.rmtree(self.jobdir, ignore_errors=True)
            start = Start.DISCARDED
        elif self.jobdir.is_dir() and any(self.jobdir.iterdir()):
            start = Start.RESUME
        self.jobdir.mkdir(parents=True, exist_ok=True)
        self.marker.touch()
        return start

    def finish(self, code: ExitCode) -> None:
        """After the crawl: keep what a clean stop left to resume, drop what is done."""
        if code in _COMPLETE:
            shutil.rmtree(self.jobdir, ignore_errors=True)
        elif code not in _CLEAN_STOPS:
            # A failed run may have left its job state half-written: keep the marker, so the
            # next start discards it and recovers.
            return
        self.marker.unlink(missing_ok=True)


def crawl_exclusively(
    settings: Settings, site: str, crawl: Callable[[Settings], ExitCode], *, err: IO[str]
) -> ExitCode:
    """Run ``crawl`` holding ``site``'s lock, in its resumable job directory.

    A second start while one runs prints who holds the lock and returns ``ALREADY_RUNNING`` at
    once, without touching the archive or the frontier.
    """
    state_dir = Path(settings["NEWSCRAWLER_STATE_DIR"])
    lock = SiteLock(state_dir, site, archive_url=settings.get("ARCHIVE_URL"))
    try:
        lock.acquire()
    except AlreadyRunning as error:
        print(f"newscrawler: {error}; not starting another", file=err)
        return ExitCode.ALREADY_RUNNING
    except (OSError, SQLAlchemyError) as error:
        print(f"newscrawler: cannot take the lock of {site}: {error}", file=err)
        return ExitCode.FAILED
    try:
        job = _job(settings, state_dir, site, err)
        code = crawl(settings)
        if job is not None:
            job.finish(code)
        return code
    finally:
        lock.release()


def _job(settings: Settings, state_dir: Path, site: str, err: IO[str]) -> CrawlJob | None:
    """The run's job directory, set as JOBDIR, or None with ``NEWSCRAWLER_RESUME`` off."""
    if not settings.getbool("NEWSCRAWLER_RESUME"):
        return None
    given = settings.get("JOBDIR")
    job = CrawlJob(Path(given)) if given else CrawlJob.for_site(state_dir, site)
    start = job.start()
    if start.value:
        print(f"newscrawler: {start.value.format(jobdir=job.jobdir)}", file=err)
    settings.set("JOBDIR", str(job.jobdir), priority="cmdline")
    settings.set("NEWSCRAWLER_RESUMING", start is Start.RESUME, priority="cmdline")
    return job
