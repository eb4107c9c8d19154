"""A re-crawl decides on the newest date any source of the run gives a URL: a post a feed lists
by its publication date is still fetched when the sitemap shows it changed later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import generate_stories
from newscrawler.samples.server import Page
from newscrawler.samples.wordpress import post_path, wordpress_site
from storage.archive import Archive
from storage.models import ArticleRevision
from tests.support import CommandCrawler

PROFILE = """\
extends = "wordpress"
name = "republisher"
site = "republisher"
hosts = ["127.0.0.1"]
base_url = "{url}/"
"""


def test_a_sitemap_lastmod_newer_than_the_feed_date_refetches_the_post(
    crawl: CommandCrawler, tmp_path: Path
) -> None:
    stories = generate_stories(12)
    newest = max((s for s in stories if s.language == "en"), key=lambda s: s.published)
    path = post_path(newest)
    with wordpress_site(stories) as site:
        (tmp_path / "profiles").mkdir()
        (tmp_path / "profiles" / "republisher.toml").write_text(PROFILE.format(url=site.url))
        first = crawl("republisher")
        assert first.returncode == ExitCode.OK, first.stderr[-3000:]
        # After the first crawl's visit, to the second (sitemaps give seconds).
        corrected = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0).isoformat()
        post = site.lookup(path).body.decode()
        old_sentence = newest.paragraphs[0].split(".")[0]
        site.add(
            path,
            post.replace(old_sentence, "Corrected: " + old_sentence).replace(
                '<meta property="og:type"',
                f'<meta property="article:modified_time" content="{corrected}">'
                '<meta property="og:type"',
            ),
        )
        sitemap = site.lookup("/wp-sitemap-posts-post-1.xml")
        stamp = f"{path}</loc><lastmod>{newest.published.isoformat()}</lastmod>"
        assert stamp.encode() in sitemap.body
        site.add(
            "/wp-sitemap-posts-post-1.xml",
            Page(
                sitemap.body.replace(
                    stamp.encode(), f"{path}</loc><lastmod>{corrected}</lastmod>".encode()
                ),
                content_type=sitemap.content_type,
            ),
        )
        site.requests.clear()
        second = crawl("republisher")
        requested = site.requested_paths()

    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert "/feed/" in requested
    assert [p.lower() for p in requested].count(path) == 1
    assert "changed 1" in second.stdout, second.stdout
    with Archive.open(crawl.db) as archive:
        article = next(a for a in archive.iter_articles() if a["url"].endswith(path))
        assert article["body"].startswith("Corrected: ")
        with archive.engine.connect() as conn:
            revisions = conn.execute(select(func.count()).select_from(ArticleRevision)).scalar()
    assert revisions == 1
