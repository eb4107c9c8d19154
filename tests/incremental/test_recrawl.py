"""Re-crawls fetch only what is new, changed or due; 304s move last_seen_at; 404s are recorded."""

from __future__ import annotations

from collections.abc import Callable

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.server import SampleSite
from tests.incremental.sites import ChangingSite, Crawls

#: Re-check every archived article on every run.
RECHECK_ALL = ("-s", "NEWSCRAWLER_RECHECK_SCHEDULE=*:0")


def test_new_changed_and_removed_articles(
    site: ChangingSite, crawls_of: Callable[..., Crawls], archive_url: str
) -> None:
    crawls = crawls_of(site, archive_url)
    assert crawls.run().returncode == ExitCode.OK
    added = site.add_releases(3)
    edited = site.edit(5, "A correction was issued later the same day.")
    removed = site.releases.pop(12)
    site.publish()
    site.requests.clear()

    result = crawls.run(*RECHECK_ALL)

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "new 3, changed 1, unchanged 0" in result.stdout
    assert "not modified 28, removed 1" in result.stdout
    rechecks = [r for r in site.requests if "detail" in r.path and "If-None-Match" in r.headers]
    assert len(rechecks) == 30
    with crawls.archive() as archive:
        assert archive.count_articles() == 33
        changed = archive.get_article(f"{site.url}{edited.path}")
        gone = archive.get_article(f"{site.url}{removed.path}")
        assert changed is not None and gone is not None
        revisions = archive.revisions(changed["id"])
        removals = archive.removals(gone["id"])
        for release in added:
            assert archive.get_article(f"{site.url}{release.path}") is not None
    assert changed["body"].endswith("A correction was issued later the same day.")
    assert changed["changed_at"] > changed["first_seen_at"]
    assert [r["body"] for r in revisions] == ["\n\n".join(site.releases[5].paragraphs[:-1])]
    assert gone["body"] == removed.body
    assert [(r["http_status"], r["url"]) for r in removals] == [(404, gone["url"])]
    assert removals[0]["detected_at"] > gone["last_seen_at"]


def test_a_not_modified_answer_moves_only_last_seen_at(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(site)
    assert crawls.run().returncode == ExitCode.OK
    with crawls.archive() as archive:
        before = {a["url"]: a for a in archive.iter_articles()}

    result = crawls.run(*RECHECK_ALL)

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "not modified 30" in result.stdout
    with crawls.archive() as archive:
        after = {a["url"]: a for a in archive.iter_articles()}
        assert all(archive.revisions(a["id"]) == [] for a in after.values())
    assert after.keys() == before.keys()
    for url, article in after.items():
        moved = {k for k in article if article[k] != before[url][k]}
        assert moved == {"last_seen_at"}, url
        assert article["last_seen_at"] > before[url]["last_seen_at"]


def test_a_removed_article_is_recorded_once_and_its_copy_kept(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(site)
    assert crawls.run().returncode == ExitCode.OK
    removed = site.releases.pop(0)
    site.publish()

    codes = [crawls.run(*RECHECK_ALL).returncode for _ in range(2)]

    assert codes == [ExitCode.OK, ExitCode.OK]
    with crawls.archive() as archive:
        article = archive.get_article(f"{site.url}{removed.path}")
        assert article is not None
        assert len(archive.removals(article["id"])) == 1
        assert archive.count_articles() == 30
    assert article["title"] == removed.title


def test_a_new_page_of_an_archived_site_is_found_and_paging_stops(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(site)
    assert crawls.run().returncode == ExitCode.OK
    added = site.add_releases(12)
    site.requests.clear()

    result = crawls.run()

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    assert "new 12, changed 0" in result.stdout
    listings = [p for p in site.requested_paths() if "archive" in p]
    # Pages 1-2 hold the new releases, pages 3-4 only archived ones: page 5 is not fetched.
    assert len(listings) == 4
    details = {p for p in site.requested_paths() if "detail" in p}
    assert details == {release.path for release in added}


def test_since_archives_only_articles_published_since(
    site: ChangingSite, crawls_of: Callable[[SampleSite], Crawls]
) -> None:
    crawls = crawls_of(site)

    result = crawls.run("--since", "2025-01-21")

    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    expected = {r.title for r in site.releases if r.released.isoformat() >= "2025-01-21"}
    with crawls.archive() as archive:
        titles = {a["title"] for a in archive.iter_articles()}
        runs = archive.runs()
    assert titles == expected and len(expected) == 10
    assert runs[0]["dropped_by_reason"] == {"before_since": 20}
