"""The dedup's look-up of one crawled article: by its URL forms and by its text, on a
connection held between calls that still sees what other writers archive."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.archive import Archive

SEEN = datetime(2026, 1, 1, tzinfo=UTC)


def record(url: str, site: str, content_hash: str, **more: object) -> dict[str, object]:
    return {"url": url, "site": site, "title": "A release", "body": "Its text.",
            "content_hash": content_hash, "fetched_at": SEEN, **more}  # fmt: skip


def test_an_article_is_found_by_its_url_an_alias_and_its_text(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        archive.write_batch(
            [record("https://a.example/1", "a", "h1", aliases=["https://a.example/?p=1"])]
        )
        by_url = archive.stories.lookup(["https://a.example/1"], "other")
        by_alias = archive.stories.lookup(["https://a.example/x", "https://a.example/?p=1"], "o")
        by_text = archive.stories.lookup(["https://b.example/1"], "h1")
    assert by_url.known(["https://a.example/1"]).url == "https://a.example/1"  # type: ignore[union-attr]
    assert by_url.same_text == []
    assert by_alias.known(["https://a.example/?p=1"]).url == "https://a.example/1"  # type: ignore[union-attr]
    assert by_text.by_url == {}
    assert by_text.same_text_url("a") == "https://a.example/1"
    assert by_text.same_text_url("b") is None


def test_the_held_connection_sees_what_another_process_archived_since(archive_url: str) -> None:
    with Archive.open(archive_url) as reader, Archive.open(archive_url) as writer:
        assert reader.stories.lookup(["https://a.example/2"], "h2").by_url == {}
        writer.write_batch([record("https://a.example/2", "a", "h2")])
        found = reader.stories.lookup(["https://a.example/2"], "h2")
        assert found.known(["https://a.example/2"]) is not None
        assert found.same_text_url("a") == "https://a.example/2"
