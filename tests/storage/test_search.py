"""Full-text search: the index follows every write, a query in any spelling of the same Urdu
finds the same rows, and the best matches come first, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from newscrawler.hashing import fill_search_forms
from newscrawler.text import search_form
from storage.archive import Archive, upgrade
from storage.migrations.config import alembic_config
from tests.storage.test_archive import T0

#: Urdu and English articles: (path, language, site, title, body).
ARTICLES = (
    ("ur/quetta", "ur", "ispr", "آرمی چیف کا دورہ کوئٹہ",
     "راولپنڈی: آرمی چیف نے آج کوئٹہ کا دورہ کیا اور فوجیوں سے ملاقات کی۔ آرمی چیف نے کہا کہ "
     "پاکستان کی فوج ہر خطرے کا جواب دے گی۔"),
    ("ur/floods", "ur", "dawn-urdu", "سیلاب سے متاثرہ علاقوں میں امدادی کارروائیاں",
     "فوج کے دستے سیلاب زدہ علاقوں میں پہنچ گئے۔ ایک افسر نے بتایا کہ آرمی چیف بھی کل "
     "متاثرین سے ملیں گے۔"),
    ("ur/cricket", "ur", "dawn-urdu", "پاکستان کرکٹ ٹیم کی شاندار فتح",
     "پاکستان کرکٹ ٹیم نے لاہور میں سیریز جیت لی۔"),
    ("en/quetta", "en", "ispr", "Army Chief visits Quetta garrison",
     "RAWALPINDI: The Chief of Army Staff visited Quetta today and met troops. The army chief "
     "said the army will answer every threat."),
    ("en/floods", "en", "dawn", "Relief work in flood-hit districts",
     "Army troops reached the flooded districts. An officer said the army chief would meet "
     "the affected families tomorrow."),
    ("en/cricket", "en", "dawn", "Pakistan win the series in Lahore",
     "The cricket team won the series at the Gaddafi Stadium."),
)  # fmt: skip


def article(path: str, language: str, site: str, title: str, body: str, **fields: Any) -> Any:
    """An article record as the sink makes it: with the search forms of its title and body."""
    record = {
        "url": f"https://{site}.example/{path}",
        "site": site,
        "language": language,
        "title": title,
        "body": body,
        "fetched_at": T0,
        "published_at": published(path),
        **fields,
    }
    fill_search_forms(record)
    return record


def published(path: str) -> datetime:
    """The articles were published a day apart, the first of ``ARTICLES`` last."""
    known = [known for known, *_ in ARTICLES]
    return T0 - timedelta(days=known.index(path) if path in known else 0)


def paths(results: list[dict[str, Any]]) -> list[str]:
    return [result["url"].split(".example/")[1] for result in results]


def found(archive: Archive, query: str, **filters: Any) -> list[str]:
    return paths(archive.search(search_form(query), **filters))


@pytest.fixture
def archive(archive_url: str) -> Any:
    with Archive.open(archive_url) as opened:
        opened.write_batch([article(*fields) for fields in ARTICLES])
        yield opened


# Plain Urdu, and the same words as keyboards and sites also write them.
SPELLINGS = {
    "کوئٹہ": [
        "كوئٹه",  # Arabic kaf and heh
        "کوئٹۂ".replace("ۂ", "ہ"),
        "کو\u200cئٹہ",  # a zero-width non-joiner
        "کوـــئٹہ",  # tatweel
        "کُوئٹہ",  # a diacritic (pesh)
    ],
    "فوجیوں": ["فوجيوں", "فوجی\u200cوں", "فَوجیوں", "فوجـیوں"],
    "آرمی چیف": ["آرمي چيف", "آرمی\u200c چیف", "آرمـی چِیف", "ﺁﺭﻣﯽ ﭼﯿﻒ"],
}


@pytest.mark.parametrize("plain", sorted(SPELLINGS))
def test_every_spelling_of_urdu_finds_the_rows_plain_urdu_finds(
    archive: Archive, plain: str
) -> None:
    expected = sorted(found(archive, plain))
    assert expected  # the plain spelling finds something ...
    for spelling in SPELLINGS[plain]:
        assert sorted(found(archive, spelling)) == expected, spelling  # ... and so does each


def test_a_query_finds_only_articles_holding_every_word(archive: Archive) -> None:
    assert sorted(found(archive, "army chief")) == ["en/floods", "en/quetta"]
    assert found(archive, "quetta cricket") == []
    assert sorted(found(archive, "آرمی چیف")) == ["ur/floods", "ur/quetta"]
    assert found(archive, "ARMY Chief's") == found(archive, "army chief s")


def test_english_ranking_puts_the_title_and_repeated_matches_first(archive: Archive) -> None:
    assert found(archive, "army chief") == ["en/quetta", "en/floods"]
    assert found(archive, "lahore") == ["en/cricket"]
    scores = [result["score"] for result in archive.search("army chief")]
    assert scores[0] > scores[1] > 0


def test_urdu_ranking_puts_the_title_and_repeated_matches_first(archive: Archive) -> None:
    assert found(archive, "آرمی چیف") == ["ur/quetta", "ur/floods"]
    assert found(archive, "پاکستان") == ["ur/cricket", "ur/quetta"]  # in the title, then body


def test_a_query_matching_more_than_are_ranked_ranks_the_newest_matches(
    archive: Archive,
) -> None:
    assert found(archive, "army chief") == ["en/quetta", "en/floods"]
    assert found(archive, "army chief", ranked=1) == ["en/floods"]  # archived last
    assert found(archive, "army chief", ranked=2) == ["en/quetta", "en/floods"]
    assert found(archive, "army chief", ranked=1, site="ispr") == ["en/quetta"]


def test_results_carry_the_article_and_a_snippet_around_the_match(archive: Archive) -> None:
    [result] = archive.search(search_form("garrison"))
    assert result["url"] == "https://ispr.example/en/quetta"
    assert result["title"] == "Army Chief visits Quetta garrison"
    assert result["published_at"].tzinfo is not None and result["change_seq"] > 0
    [urdu] = archive.search(search_form("متاثرین"))
    assert "[متاثرین]" in urdu["snippet"]
    assert urdu["url"] == "https://dawn-urdu.example/ur/floods"


def test_filters_narrow_by_site_language_and_publication_time(archive: Archive) -> None:
    assert sorted(found(archive, "army", site="dawn")) == ["en/floods"]
    assert found(archive, "army", language="ur") == []
    since = published("en/quetta")
    assert found(archive, "army chief", since=since) == ["en/quetta"]
    assert found(archive, "army chief", until=since) == ["en/floods"]
    assert found(archive, "army chief", limit=1) == ["en/quetta"]


def test_the_index_follows_changed_content_and_fills_missing_forms(archive_url: str) -> None:
    path, language, site, title, _ = ARTICLES[3]
    with Archive.open(archive_url) as archive:
        bare = {"url": f"https://{site}.example/{path}", "site": site, "title": title,
                "body": "old words", "content_hash": "old", "fetched_at": T0}  # fmt: skip
        archive.write_batch([bare])  # written by a writer that made no search forms
        assert found(archive, "garrison") == []
        archive.write_batch([article(*ARTICLES[3], content_hash="old")])  # the same text
        assert found(archive, "garrison") == [path]
        changed = article(path, language, site, title, "New words about a parade.")
        archive.write_batch([changed])
        assert found(archive, "parade") == [path]
        assert found(archive, "troops") == []


def test_an_archive_made_before_search_gets_its_index_on_upgrade(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch([article(*fields) for fields in ARTICLES])
    command.downgrade(alembic_config(archive_url), "0006")
    upgrade(archive_url, search_form=search_form)

    with Archive.open(archive_url) as archive:
        assert found(archive, "army chief") == ["en/quetta", "en/floods"]
        assert sorted(found(archive, "كوئٹه")) == ["ur/quetta"]
        with archive.engine.connect() as conn:
            keys = inspect(conn).get_foreign_keys("articles")
        archive.write_batch([article("en/new", "en", "dawn", "Army chief again", "More.")])
        assert sorted(found(archive, "army chief")) == ["en/floods", "en/new", "en/quetta"]
    assert [key["referred_table"] for key in keys] == ["clusters"]


def test_views_name_the_story_and_the_latest_run_and_compare_iso_times(
    archive: Archive,
) -> None:
    first = archive.start_run("ispr", "ispr", started_at=T0)
    latest = archive.start_run("ispr", "ispr", started_at=T0 + timedelta(hours=1))
    other = archive.start_run("dawn", "dawn", started_at=T0)
    exported = (T0 - timedelta(seconds=1)).isoformat()  # as `export` writes times
    with archive.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT url, story_id, sibling_count, story_sites, changed_at "
                "FROM articles_with_story WHERE changed_at >= :since ORDER BY id"
            ),
            {"since": exported},
        ).all()
        later = conn.execute(
            text("SELECT count(*) FROM articles_with_story WHERE changed_at > :after"),
            {"after": (T0 + timedelta(seconds=1)).isoformat()},
        ).scalar_one()
        runs = conn.execute(text("SELECT id, site FROM latest_runs ORDER BY id")).all()
        keys = inspect(conn).get_foreign_keys("articles")

    assert len(rows) == len(ARTICLES) and later == 0
    assert all(row.story_id is not None and row.sibling_count == 0 for row in rows)
    if archive.dialect == "sqlite":
        assert rows[0].changed_at == "2025-07-27T04:15:00.000000+00:00"
    assert [(run.id, run.site) for run in runs] == [(latest, "ispr"), (other, "dawn")]
    assert first not in {run.id for run in runs}
    assert [(key["constrained_columns"], key["referred_table"]) for key in keys] == [
        (["cluster_id"], "clusters")
    ]


def test_a_missing_story_is_refused_when_the_write_commits(archive: Archive) -> None:
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), archive.engine.begin() as conn:
        conn.execute(text("UPDATE articles SET cluster_id = 999999"))


def test_published_times_compare_with_their_iso_form(archive: Archive) -> None:
    when = datetime(2025, 7, 24, 12, tzinfo=UTC)
    with archive.engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM articles_with_story WHERE published_at < :when"),
            {"when": when.isoformat()},
        ).scalar_one()
    assert count == sum(published(path) < when for path, *_ in ARTICLES) > 0
