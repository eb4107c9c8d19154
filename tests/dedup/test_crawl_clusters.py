"""End to end: two local sites publish the same releases; crawls archive each copy once and
put the copies of one release in one story, and re-crawls under other URL forms add no row."""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples import labelled
from newscrawler.samples.ispr import ispr_like_pages
from newscrawler.samples.news import NewsSite, Story
from newscrawler.samples.server import LOCAL_SITE_SETTINGS, SampleSite, setting_arguments
from newscrawler.samples.wordpress import post_path, wordpress_site
from newscrawler.urls import canonicalize_url
from storage.archive import Archive
from tests.dedup.sites import REPUBLISHER, ispr_release, republished
from tests.support import newscrawler_command

LOCAL = setting_arguments(LOCAL_SITE_SETTINGS)

DETAIL_LINK = r'href="(/press-release-detail[^"]+)"'


@dataclass
class Crawled:
    workdir: Path
    db: str
    ispr: SampleSite
    republisher: NewsSite
    releases: list[labelled.Release]
    copies: dict[str, Story]  # story -> its republished copy
    first_runs: list[subprocess.CompletedProcess[str]]

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        return newscrawler_command(*args, "--db", self.db, cwd=self.workdir, timeout=120)

    def crawl_ispr(self) -> subprocess.CompletedProcess[str]:
        return self.command("crawl", "ispr", "-a", f"base_url={self.ispr.url}", *LOCAL)

    def crawl_republisher(self) -> subprocess.CompletedProcess[str]:
        return self.command("crawl", "republisher", *LOCAL)

    def articles(self) -> list[dict]:
        with Archive.open(self.db) as archive:
            return list(archive.iter_articles())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    workdir = tmp_path_factory.mktemp("two-sites")
    rng = random.Random(5)
    releases = labelled.releases(10, seed=21, twin_share=0.4)
    copies = {r.story: republished(r, n, rng) for n, r in enumerate(releases) if n % 5 != 4}
    ispr = SampleSite()
    for path, page in ispr_like_pages([ispr_release(r, n) for n, r in enumerate(releases)]):
        ispr.add(path, page)
    with ispr, wordpress_site(list(copies.values())) as republisher:
        (workdir / "profiles").mkdir()
        (workdir / "profiles" / "republisher.toml").write_text(
            REPUBLISHER.format(url=republisher.url), encoding="utf-8"
        )
        site = Crawled(workdir, f"sqlite:///{workdir / 'archive.sqlite3'}", ispr, republisher,
                       releases, copies, [])  # fmt: skip
        site.first_runs = [site.crawl_ispr(), site.crawl_republisher()]
        yield site


def test_each_release_and_each_copy_is_archived_once(crawled: Crawled) -> None:
    for result in crawled.first_runs:
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    sites = [a["site"] for a in crawled.articles()]
    assert sites.count("ispr") == len(crawled.releases)
    assert sites.count("republisher") == len(crawled.copies)


def test_copies_join_the_story_of_their_release(crawled: Crawled) -> None:
    articles = crawled.articles()
    by_release = {a["extras"].get("release_id"): a for a in articles if a["site"] == "ispr"}
    by_url = {a["url"]: a for a in articles}
    stories: dict[int, set[str]] = defaultdict(set)
    for number, release in enumerate(crawled.releases):
        original = by_release[7000 + number]
        stories[original["cluster_id"]].add(release.story)
        copy = crawled.copies.get(release.story)
        if copy is not None:
            url = canonicalize_url(crawled.republisher.url + post_path(copy))
            assert by_url[url]["cluster_id"] == original["cluster_id"]
    # One story per release: twins and releases sharing formulaic sentences stay apart.
    assert all(len(members) == 1 for members in stories.values())
    assert len(stories) == len(crawled.releases)


def test_stories_name_their_sites_and_their_origin(crawled: Crawled) -> None:
    result = crawled.command("clusters", "--json")
    assert result.returncode == ExitCode.OK, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(crawled.releases)
    shared = [row for row in rows if row["member_count"] == 2]
    assert len(shared) == len(crawled.copies)
    articles = {a["id"]: a for a in crawled.articles()}
    for row in shared:
        assert row["sites"] == ["ispr", "republisher"]
        assert articles[row["origin_article_id"]]["site"] == "ispr"


def test_the_crawl_stats_count_each_layer(crawled: Crawled) -> None:
    with Archive.open(crawled.db) as archive:
        ispr_run, republisher_run = sorted(archive.runs(), key=lambda run: run["id"])[:2]
    assert ispr_run["stats"]["newscrawler/dedup/new_story"] == len(crawled.releases)
    assert republisher_run["stats"]["newscrawler/dedup/clustered"] == len(crawled.copies)
    assert republisher_run["stats"]["newscrawler/dedup/index_articles"] == len(crawled.releases)


def test_the_crawl_stats_time_the_worker_threads(crawled: Crawled) -> None:
    """CPU time of the dedup and writer threads: more than nothing, no more than wall time."""
    with Archive.open(crawled.db) as archive:
        stats = min(archive.runs(), key=lambda run: run["id"])["stats"]
    for wall, cpu in (
        ("newscrawler/dedup/seconds", "newscrawler/dedup/cpu_seconds"),
        ("newscrawler/archive/write_seconds", "newscrawler/archive/write_cpu_seconds"),
    ):
        assert 0 < stats[cpu] <= stats[wall] + 0.002, (cpu, stats[cpu], stats[wall])


def test_recrawls_under_other_url_forms_add_no_row(crawled: Crawled) -> None:
    before = {a["url"]: a for a in crawled.articles()}
    base = crawled.republisher.url
    story = next(s for s in crawled.copies.values() if s.language == "ur")
    path = post_path(story)  # percent-encoded in lower-case hex; archived in upper case
    page = crawled.republisher.lookup(path)
    # Servers answer whatever tracking parameters a link carries.
    tracked = f"{path}?utm_source=twitter&utm_medium=social&fbclid=x1"
    crawled.republisher.add(tracked, page)
    listing = "/press-release-archive.php?cat=army"
    for release in re.findall(DETAIL_LINK, _text(crawled.ispr, listing)):
        crawled.ispr.add(f"{release}&utm_campaign=share", crawled.ispr.lookup(release))
    tracked_links = r'href="\1&utm_campaign=share#top"'
    crawled.ispr.add(listing, re.sub(DETAIL_LINK, tracked_links, _text(crawled.ispr, listing)))
    # The same post at a second address of the site, without a canonical link.
    html = page.body.decode()
    crawled.republisher.add("/archives/101/", re.sub(r'<link rel="canonical"[^>]*>', "", html))
    forms = [
        base + tracked,
        f"{base}{path}#comments",
        f"{base}{path.upper()}",
        f"{base}/archives/101/",
    ]

    scraped = crawled.command("scrape", *forms, *LOCAL)
    recrawls = [crawled.crawl_ispr(), crawled.crawl_republisher()]

    assert scraped.returncode == ExitCode.OK, scraped.stderr[-3000:]
    assert all(run.returncode == ExitCode.OK for run in recrawls)
    after = {a["url"]: a for a in crawled.articles()}
    assert after.keys() == before.keys()
    assert {u: a["cluster_id"] for u, a in after.items()} == {
        u: a["cluster_id"] for u, a in before.items()
    }
    with Archive.open(crawled.db) as archive:
        owner = archive.get_article(f"{base}/archives/101/")
        stats = sorted(archive.runs(), key=lambda run: run["id"])[2]["stats"]
    assert owner is not None and owner["url"] == canonicalize_url(base + path)
    assert stats["item_scraped_count"] == len(forms)
    assert stats["newscrawler/dedup/same_text"] == 1
    assert stats["newscrawler/dedup/known_url"] == 3


def _text(site: SampleSite, path: str) -> str:
    return site.lookup(path).body.decode()
