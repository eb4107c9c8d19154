"""Reading stories: an article with its siblings, the list of stories, the CLI and export."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from newscrawler.exitcodes import ExitCode
from newscrawler.samples import labelled
from storage.archive import Archive
from tests.dedup.support import Run, item_of, run, story_copies
from tests.support import newscrawler_command


def archive_stories(archive_url: str) -> list[labelled.Article]:
    """Three stories: the first carried by three sites, the second by two, the third alone."""
    articles = story_copies(3, seed=31, copies=2)
    originals, copies = articles[:3], articles[3:]
    run(archive_url, [*originals, *copies[:2], copies[2]])
    return [*originals, *copies[:3]]


def test_an_article_comes_with_its_siblings(archive_url: str) -> None:
    articles = archive_stories(archive_url)
    first = [a for a in articles if a.story == articles[0].story]
    with Archive.open(archive_url) as archive:
        found = archive.article_with_siblings(first[1].url)
        alone = archive.article_with_siblings(articles[2].url)
        missing = archive.article_with_siblings("https://nowhere.example/")
    assert found is not None and alone is not None and missing is None
    assert found["url"] == first[1].url
    assert [s["url"] for s in found["siblings"]] == [first[0].url, first[2].url]
    assert found["cluster"]["member_count"] == 3
    assert found["cluster"]["origin_article_id"] == found["siblings"][0]["id"]
    assert alone["siblings"] == [] and alone["versions"] == []
    assert alone["cluster"]["member_count"] == 1


def test_stories_newest_first_since_a_date_and_by_size(archive_url: str) -> None:
    articles = archive_stories(archive_url)
    originals = sorted(articles[:3], key=lambda a: a.published_at, reverse=True)
    with Archive.open(archive_url) as archive:
        everything = list(archive.stories.iter_stories())
        shared = list(archive.stories.iter_stories(min_members=2))
        latest = originals[0].published_at + timedelta(days=2)
        recent = list(archive.stories.iter_stories(since=latest))
    assert [s["origin_url"] for s in everything] == [a.url for a in originals]
    assert sorted(s["member_count"] for s in shared) == [2, 3]
    # Nothing was published since, but every story got its copies today.
    assert len(recent) == 3


def test_english_and_urdu_versions_of_a_release_find_each_other(archive_url: str) -> None:
    english, urdu = story_copies(2, seed=32, copies=0)
    extras = {"pr_number": "PR-45/2025-ISPR", "release_date": "2025-03-01"}
    with Run(archive_url) as one:
        one.process([item_of(english, extras=extras), item_of(urdu, extras=extras)])
    with Archive.open(archive_url) as archive:
        rows = {a["language"]: a for a in archive.iter_articles()}
        versions = archive.stories.release_versions(rows["en"]["cluster_id"])
        urdu_view = archive.article_with_siblings(urdu.url)
    assert [v["id"] for v in versions] == [rows["ur"]["cluster_id"]]
    assert versions[0]["languages"] == ["ur"]
    assert urdu_view is not None
    assert [v["id"] for v in urdu_view["versions"]] == [rows["en"]["cluster_id"]]


def test_the_clusters_command_lists_stories(sqlite_url: str) -> None:
    articles = archive_stories(sqlite_url)

    table = newscrawler_command("clusters", "--db", sqlite_url)
    shared = newscrawler_command("clusters", "--db", sqlite_url, "--min-members", "2", "--json")
    none = newscrawler_command("clusters", "--db", sqlite_url, "--since", "2999-01-01")

    assert table.returncode == shared.returncode == none.returncode == ExitCode.OK
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "story",
        "copies",
        "first",
        "published",
        "last",
        "published",
        "sites",
    ]
    assert len(lines) == 1 + 2 * 3
    assert articles[0].title in table.stdout
    stories = [json.loads(line) for line in shared.stdout.splitlines()]
    assert sorted(s["member_count"] for s in stories) == [2, 3]
    assert all("ispr" in s["sites"] for s in stories)
    assert none.stdout.splitlines()[1:] == []


def test_export_adds_siblings_on_request(sqlite_url: str) -> None:
    articles = archive_stories(sqlite_url)

    plain = newscrawler_command("export", "--db", sqlite_url)
    with_siblings = newscrawler_command("export", "--db", sqlite_url, "--siblings")
    as_csv = newscrawler_command("export", "--db", sqlite_url, "--siblings", "--format", "csv")

    assert plain.returncode == with_siblings.returncode == as_csv.returncode == ExitCode.OK
    rows = [json.loads(line) for line in plain.stdout.splitlines()]
    assert "siblings" not in rows[0] and rows[0]["cluster_id"] is not None
    enriched = {row["url"]: row for row in map(json.loads, with_siblings.stdout.splitlines())}
    first = [a.url for a in articles if a.story == articles[0].story]
    assert sorted(s["url"] for s in enriched[first[0]]["siblings"]) == sorted(first[1:])
    assert enriched[articles[2].url]["siblings"] == []
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {row["url"]: len(json.loads(row["siblings"])) for row in table}[first[1]] == 2
