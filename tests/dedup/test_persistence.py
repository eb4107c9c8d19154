"""Dedup against a real archive (SQLite file and PostgreSQL): three layers, across runs."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select, update

from newscrawler.dedup.deduplicator import CLUSTERED, KNOWN_URL, NEW_STORY, SAME_TEXT
from newscrawler.samples import labelled
from storage.archive import Archive
from storage.models import Article, ArticleSignature, Cluster
from tests.dedup.support import Run, item_of, moved, run, story_copies


def archived(archive_url: str) -> list[dict]:
    with Archive.open(archive_url) as archive:
        return list(archive.iter_articles())


def clusters_by_story(rows: list[dict], articles: list[labelled.Article]) -> dict[str, set[int]]:
    """Story -> the cluster ids its archived articles got."""
    story = {article.url: article.story for article in articles}
    found: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        found[story[row["url"]]].add(row["cluster_id"])
    return found


def test_stories_persist_across_runs(archive_url: str) -> None:
    """A second run (another process) clusters its copies with the stories of the first."""
    articles = story_copies(10, seed=4, copies=3)
    originals, copies = articles[:10], articles[10:]

    first = run(archive_url, originals + copies[:10])
    with Run(archive_url) as second:
        assert second.loaded == 20
        decisions = second.process(item_of(a) for a in copies[10:])

    assert Counter(d.layer for d in first)[NEW_STORY] == 10
    assert Counter(d.layer for d in decisions) == {CLUSTERED: 20}
    assert all(isinstance(d.match and d.match.cluster, int) for d in decisions)
    rows = archived(archive_url)
    assert len(rows) == 40
    clusters = clusters_by_story(rows, articles)
    assert all(len(ids) == 1 for ids in clusters.values()), clusters
    assert len({next(iter(ids)) for ids in clusters.values()}) == 10


def test_cluster_rows_count_members_sites_and_the_origin(archive_url: str) -> None:
    articles = story_copies(3, seed=8, copies=2)
    # The copies arrive first; the original, published earliest, still becomes the origin.
    run(archive_url, articles[3:] + articles[:3])
    with Archive.open(archive_url) as archive:
        rows = {a["url"]: a for a in archive.iter_articles()}
        with archive.engine.connect() as conn:
            clusters = {c.id: c for c in conn.execute(select(Cluster.__table__))}
            signatures = conn.execute(select(func.count()).select_from(ArticleSignature)).scalar()
    assert signatures == 9
    assert len(clusters) == 3
    for original in articles[:3]:
        row = rows[original.url]
        cluster = clusters[row["cluster_id"]]
        members = [a for a in articles if a.story == original.story]
        assert cluster.member_count == 3
        assert cluster.site_count == 3
        assert cluster.sites == sorted(a.site for a in members)
        assert cluster.origin_article_id == row["id"]
        assert cluster.first_published_at == original.published_at
        assert cluster.last_published_at == max(a.published_at for a in members)
    # Stories are numbered as they start: here by their first copies, archived first.
    assert sorted(clusters) == [1, 2, 3]


def test_same_text_at_another_url_of_the_site_is_an_alias(archive_url: str) -> None:
    original, copy = story_copies(1, seed=2, copies=1)
    again = moved(original, original.url + "-printable")
    in_run = moved(copy, copy.url + "?p=1")
    later = moved(original, original.url.replace("/release/", "/archives/"))

    first = run(archive_url, [original, copy, in_run])
    second = run(archive_url, [again, later])

    assert [d.layer for d in first] == [NEW_STORY, CLUSTERED, SAME_TEXT]
    assert [d.layer for d in second] == [SAME_TEXT, SAME_TEXT]
    rows = archived(archive_url)
    assert sorted(r["url"] for r in rows) == sorted([original.url, copy.url])
    with Archive.open(archive_url) as archive:
        aliases = {r["url"]: archive.aliases(r["id"]) for r in rows}
    assert aliases[original.url] == sorted([again.url, later.url])
    assert aliases[copy.url] == [in_run.url]


def test_the_same_text_on_another_site_is_a_sibling_not_an_alias(archive_url: str) -> None:
    original = story_copies(1, seed=3, copies=0)[0]
    elsewhere = replace(original, site="mirror", url="https://mirror.example/x")
    decisions = run(archive_url, [original, elsewhere])
    assert [d.layer for d in decisions] == [NEW_STORY, CLUSTERED]
    rows = archived(archive_url)
    assert len(rows) == 2
    assert rows[0]["cluster_id"] == rows[1]["cluster_id"]


def test_other_forms_of_an_archived_url_add_no_row(archive_url: str) -> None:
    original, copy = story_copies(1, seed=5, copies=1)
    base = copy.url
    run(archive_url, [original, copy])
    forms = [
        base + "?utm_source=twitter&utm_medium=social",
        base + "?fbclid=abc123#comments",
        base.replace("https://", "HTTPS://").replace(".example", ".EXAMPLE"),
        base + "#respond",
    ]
    edited = replace(copy, body=copy.body + "\n\nThis story was updated.")
    decisions = run(archive_url, [moved(copy, form) for form in forms] + [moved(edited, forms[0])])

    assert [d.layer for d in decisions] == [KNOWN_URL] * 5
    rows = archived(archive_url)
    assert len(rows) == 2
    updated = next(r for r in rows if r["url"] == base)
    assert updated["body"].endswith("This story was updated.")


def test_a_known_alias_reaches_its_article(archive_url: str) -> None:
    original, copy = story_copies(1, seed=6, copies=1)
    run(archive_url, [original, moved(copy, copy.url + "-amp")])  # archived with an alias...
    run(archive_url, [replace(copy, url=copy.url + "-amp")])
    with Run(archive_url) as later:
        redirected = item_of(copy, url=copy.url + "-new-slug")
        redirected.aliases = [copy.url + "-amp"]  # ...a redirect source the archive knows
        decisions = later.process([redirected])
    assert [d.layer for d in decisions] == [KNOWN_URL]
    assert redirected.url == copy.url + "-amp"
    assert len(archived(archive_url)) == 2


def test_a_url_met_twice_in_one_batch_keeps_its_story(archive_url: str) -> None:
    original, copy = story_copies(1, seed=7, copies=1)
    decisions = run(archive_url, [original, copy, copy], batch_size=100)
    assert [d.layer for d in decisions] == [NEW_STORY, CLUSTERED, KNOWN_URL]
    rows = archived(archive_url)
    assert len(rows) == 2
    assert rows[0]["cluster_id"] == rows[1]["cluster_id"]
    with Archive.open(archive_url) as archive, archive.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ArticleSignature)).scalar() == 2


def test_two_processes_see_each_other_after_a_refresh(archive_url: str) -> None:
    original, first_copy, second_copy = story_copies(1, seed=9, copies=2)
    with Run(archive_url) as one, Run(archive_url) as other:
        [started] = other.process([item_of(original)])
        other.flush()
        assert one.dedup.refresh() == 1
        [joined] = one.process([item_of(first_copy)])
        [also] = other.process([item_of(second_copy)])
    assert started.layer == NEW_STORY
    assert joined.layer == also.layer == CLUSTERED
    assert len({r["cluster_id"] for r in archived(archive_url)}) == 1


def test_a_story_started_twice_is_merged(archive_url: str) -> None:
    """Two processes that each started the same story, their writes not checked (as before
    the write-time check), made two clusters; the next copy that matches both without a
    difference merges them."""
    original = story_copies(1, seed=11, copies=0)[0]
    plain = replace(original, site="mirror", url="https://mirror.example/1")
    with Run(archive_url, checked=False) as one, Run(archive_url, checked=False) as other:
        one.process([item_of(original)])
        other.process([item_of(plain)])
    assert len({r["cluster_id"] for r in archived(archive_url)}) == 2

    [decision] = run(archive_url, [replace(original, site="third", url="https://third.example/")])

    assert decision.layer == CLUSTERED
    assert decision.match is not None and len(decision.match.also) == 1
    rows = archived(archive_url)
    assert len({r["cluster_id"] for r in rows}) == 1
    with Archive.open(archive_url) as archive, archive.engine.connect() as conn:
        clusters = conn.execute(select(Cluster.id, Cluster.member_count)).all()
    assert [(c.id, c.member_count) for c in clusters] == [(rows[0]["cluster_id"], 3)]


def test_the_release_key_pairs_english_and_urdu_versions(archive_url: str) -> None:
    english = next(a for a in story_copies(4, seed=12, copies=0) if a.language == "en")
    urdu = next(a for a in story_copies(4, seed=12, copies=0) if a.language == "ur")
    extras = {"pr_number": "PR-123/2025-ISPR", "release_date": "2025-07-26"}
    with Run(archive_url) as one:
        one.process(
            [
                item_of(english, extras=extras),
                item_of(urdu, extras={"pr_number": "No PR 123 / 2025 - ISPR"}),
            ]
        )
    with Archive.open(archive_url) as archive, archive.engine.connect() as conn:
        keys = sorted(conn.execute(select(Cluster.release_key)).scalars(), key=str)
    urdu_day = (urdu.published_at + timedelta(hours=5)).date().isoformat()
    assert keys == sorted(["PR-123/2025@2025-07-26", f"PR-123/2025@{urdu_day}"])


def test_a_story_started_twice_at_once_is_one_story_when_written(archive_url: str) -> None:
    """The same two starts, written through the write-time check: the second joins the
    first's story, and the next copy finds one story."""
    original = story_copies(1, seed=11, copies=0)[0]
    plain = replace(original, site="mirror", url="https://mirror.example/1")
    with Run(archive_url) as one, Run(archive_url) as other:
        one.process([item_of(original)])
        other.process([item_of(plain)])
    assert len({r["cluster_id"] for r in archived(archive_url)}) == 1

    [decision] = run(archive_url, [replace(original, site="third", url="https://third.example/")])

    assert decision.layer == CLUSTERED and decision.match is not None
    assert decision.match.also == ()
    assert len({r["cluster_id"] for r in archived(archive_url)}) == 1


def test_a_copy_joins_the_story_its_decided_story_was_merged_into(archive_url: str) -> None:
    """The index named a story that was merged into another before the copy was written: the
    copy joins the story of the article it reads like, not a story of its own."""
    original, copy = story_copies(1, seed=13, copies=1)
    run(archive_url, [original])
    with Run(archive_url) as later:
        with Archive.open(archive_url) as archive, archive.engine.begin() as conn:
            # What a merge does: the members take the other story, and this one goes.
            old = conn.execute(select(Cluster.id)).scalar_one()
            conn.execute(update(Article).values(cluster_id=old + 10))
            conn.execute(update(Cluster).values(id=old + 10))
        [decision] = later.process([item_of(copy)])
    assert decision.layer == CLUSTERED and decision.match is not None
    assert decision.match.cluster == old
    assert {r["cluster_id"] for r in archived(archive_url)} == {old + 10}
