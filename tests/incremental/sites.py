"""A sample site that changes between runs, and the ``newscrawler crawl`` runs that read it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newscrawler.samples.ispr import Release, generate_releases, ispr_like_pages, release_page
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, Page, SampleSite, setting_arguments
from storage.archive import Archive
from tests.support import REPO, newscrawler_command

#: Local sites need no politeness; the test spiders live in tests/incremental/spiders.py.
LOCAL = setting_arguments(
    {
        **LOCAL_SITE_SETTINGS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "SPIDER_MODULES": "tests.incremental.spiders",
    }
)
SPIDER = "sample_listing"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


class ChangingSite(SampleSite):
    """The ISPR-like sample site, rebuilt from a list of releases that tests edit between
    crawls. With ``validators`` every page carries an ETag and answers conditional GETs;
    each release page is served ``article_delay`` seconds late (a slow site)."""

    def __init__(
        self,
        count: int,
        *,
        per_page: int = 10,
        validators: bool = False,
        article_delay: float = 0.0,
    ) -> None:
        super().__init__()
        self.per_page = per_page
        self.validators = validators
        self.releases = generate_releases(count)
        self.article_delay = article_delay
        self.held: dict[str, threading.Event] = {}
        self.publish()

    def lookup(self, path: str) -> Page:
        """The page at ``path``, once it is no longer held (see :meth:`hold`)."""
        gate = self.held.get(path)
        if gate is not None:
            gate.wait(timeout=120)
        return super().lookup(path)

    def hold(self, path: str) -> threading.Event:
        """Answer requests for ``path`` only once the returned event is set: a crawl waiting
        for that page stays open as long as a test needs."""
        self.held[path] = threading.Event()
        return self.held[path]

    def publish(self) -> None:
        """Serve the current releases: listings, release pages, and nothing else."""
        self.pages.clear()
        for path, html in ispr_like_pages(self.releases, per_page=self.per_page):
            self.add(path, self.page(html, delay=self.article_delay if "detail" in path else 0))

    def page(self, html: str, *, delay: float = 0.0) -> Page:
        body = html.encode("utf-8")
        headers = {"ETag": etag_of(body)} if self.validators else {}
        return Page(body, headers=headers, delay=delay)

    def add_releases(self, count: int) -> list[Release]:
        """``count`` new releases, newest on the first listing page."""
        added = generate_releases(len(self.releases) + count)[len(self.releases) :]
        self.releases.extend(added)
        self.publish()
        return added

    def edit(self, index: int, extra_paragraph: str) -> Release:
        old = self.releases[index]
        edited = Release(
            old.id, old.language, old.title, (*old.paragraphs, extra_paragraph), old.released
        )
        self.releases[index] = edited
        self.add(edited.path, self.page(release_page(edited)))
        return edited

    def answer_everything_with(self, status: int, body: str = "Forbidden") -> None:
        for path in [*self.pages, "/robots.txt"]:
            self.pages[path] = Page(body.encode(), status=status)

    def count_requests(self) -> int:
        return len(self.requested_paths())


@dataclass
class Crawls:
    """``newscrawler crawl`` of one site into one archive, with its own state directory."""

    site: SampleSite
    db: str
    state_dir: Path
    spider: str = SPIDER

    def arguments(self, *extra: str) -> list[str]:
        return [
            "crawl",
            self.spider,
            "-a",
            f"base_url={self.site.url}",
            "--db",
            self.db,
            *LOCAL,
            "-s",
            f"NEWSCRAWLER_STATE_DIR={self.state_dir}",
            *extra,
        ]

    def run(self, *extra: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return newscrawler_command(*self.arguments(*extra), timeout=timeout)

    def start(self, *extra: str) -> subprocess.Popen[str]:
        """A crawl in the background, as cron starts one."""
        return start_newscrawler(*self.arguments(*extra))

    def archive(self) -> Archive:
        return Archive.open(self.db)


def start_newscrawler(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSCRAWLER_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "newscrawler.cli", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], bool], *, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)


def archived_state(archive: Archive) -> list[tuple[object, ...]]:
    """What two archives of the same site must agree on, in a comparable form."""
    return sorted(
        (a["url"].split("/", 3)[-1], a["title"], a["body"], a["content_hash"], a["language"])
        for a in archive.iter_articles()
    )
