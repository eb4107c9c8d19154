"""Two local sites that carry the same stories: an ISPR-like site and a WordPress republisher,
and their crawls by the ``newscrawler`` command."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from newscrawler.samples import labelled
from newscrawler.samples.ispr import Release, ispr_like_pages
from newscrawler.samples.news import Story
from newscrawler.samples.server import SampleSite
from newscrawler.samples.wordpress import wordpress_site
from storage.archive import Archive
from tests.support import LOCAL

REPUBLISHER = """\
extends = "wordpress"
name = "republisher"
site = "republisher"
hosts = ["127.0.0.1"]
base_url = "{url}/"
"""


def ispr_release(release: labelled.Release, number: int) -> Release:
    return Release(7000 + number, release.language, release.title, release.paragraphs,
                   release.released.date())  # fmt: skip


def republished(release: labelled.Release, number: int, rng: random.Random) -> Story:
    copy = labelled.republish(rng, release, "republisher", slug=release.story)
    return Story(
        number=number,
        language=release.language,
        title=f"{copy.title} {number}",  # distinct slugs for twins with one headline
        paragraphs=tuple(copy.body.split("\n\n")),
        published=copy.published_at,
        category="pakistan",
        tag="ispr",
    )


#: Each page answers this late: each crawl lasts long enough for the other to start meanwhile.
PAGE_DELAY = 0.1
#: The index is never refreshed during a crawl: only the write-time check sees the other's.
NO_REFRESH = ("-s", "NEWSCRAWLER_DEDUP_REFRESH_INTERVAL=3600", "-s", "CONCURRENT_REQUESTS=4")

Stories = frozenset[frozenset[str]]


@contextmanager
def two_sites(workdir: Path) -> Iterator[tuple[SampleSite, SampleSite]]:
    rng = random.Random(7)
    releases = labelled.releases(16, seed=17, twin_share=0.4)
    copies = [republished(r, n, rng) for n, r in enumerate(releases) if n % 4 != 3]
    ispr = SampleSite()
    for path, page in ispr_like_pages([ispr_release(r, n) for n, r in enumerate(releases)]):
        ispr.add(path, page)
    with ispr, wordpress_site(copies) as republisher:
        for site in (ispr, republisher):
            for page in site.pages.values():
                page.delay = PAGE_DELAY
        (workdir / "profiles").mkdir(exist_ok=True)
        (workdir / "profiles" / "republisher.toml").write_text(
            REPUBLISHER.format(url=republisher.url), encoding="utf-8"
        )
        yield ispr, republisher


def start_crawl(
    workdir: Path, db: str, *site: str, extra: tuple[str, ...] = ()
) -> subprocess.Popen[str]:
    """``newscrawler crawl`` in the background, in ``workdir`` (where the profiles are)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSCRAWLER_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "newscrawler.cli", "crawl", *site, "--db", db, *LOCAL,
         *NO_REFRESH, *extra],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def crawl_both(
    workdir: Path, db: str, ispr: SampleSite, *, together: bool, extra: tuple[str, ...] = ()
) -> None:
    sites = [("ispr", "-a", f"base_url={ispr.url}"), ("republisher",)]
    if together:
        crawls = [start_crawl(workdir, db, *site, extra=extra) for site in sites]
        for crawl in crawls:
            finish(crawl)
    else:
        for site in sites:
            finish(start_crawl(workdir, db, *site, extra=extra))


def finish(crawl: subprocess.Popen[str]) -> None:
    _, err = crawl.communicate(timeout=180)
    assert crawl.returncode == ExitCode.OK, err[-3000:]


def stories(db: str) -> Stories:
    """The archive's stories as sets of URLs, whatever ids they were given."""
    found: dict[int, set[str]] = {}
    with Archive.open(db) as archive:
        for article in archive.iter_articles():
            found.setdefault(article["cluster_id"], set()).add(article["url"])
    return frozenset(frozenset(urls) for urls in found.values())
