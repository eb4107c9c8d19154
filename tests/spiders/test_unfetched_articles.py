"""An article a run could not fetch is fetched by the next run, though nothing links to it any
more; one that is gone is not asked for again."""

from __future__ import annotations

from pathlib import Path

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import NewsSite, generate_stories
from newscrawler.samples.portal import portal_site
from newscrawler.samples.server import Page
from storage.archive import Archive
from tests.spiders.test_profile import NS, PROFILE, story_page
from tests.support import CommandCrawler

BROKEN = "/news/500/broken"
GONE = "/news/404/gone"


def list_in_sitemap(site: NewsSite, *paths: str) -> None:
    entries = "".join(f"<url><loc>{site.url}{path}</loc></url>" for path in paths)
    site.add("/sitemap_index.xml", f'<urlset xmlns="{NS}">{entries}</urlset>')


def test_an_article_that_failed_is_fetched_by_the_next_run(
    crawl: CommandCrawler, tmp_path: Path
) -> None:
    with portal_site(generate_stories(6)) as site:
        list_in_sitemap(site, BROKEN, GONE)
        site.add(BROKEN, Page(b"<h1>Internal error</h1>", status=500))
        profile = tmp_path / "portal.toml"
        profile.write_text(PROFILE.format(url=site.url), encoding="utf-8")
        first = crawl(str(profile))
        assert first.returncode == ExitCode.OK, first.stderr[-3000:]
        assert "articles left for the next run to fetch: 1" in first.stdout
        # The site recovers, and its sitemap no longer lists the article.
        site.add(BROKEN, Page(story_page("Back online", "The release is up again. " * 20).encode()))
        list_in_sitemap(site)
        site.requests.clear()
        second = crawl(str(profile))
        assert second.returncode == ExitCode.OK, second.stderr[-3000:]
        assert "left for the next run" not in second.stdout
        requested = site.requested_paths()
        broken = f"{site.url}{BROKEN}"

    with Archive.open(crawl.db) as archive:
        later, earlier = archive.runs()[:2]
        article = archive.get_article(broken)
    assert earlier["stats"]["newscrawler/unfetched_urls"] == [broken]
    assert later["stats"]["newscrawler/incremental/unfetched_retried"] == 1
    assert later["stats"]["newscrawler/unfetched_urls"] == []
    assert article is not None and article["title"] == "Back online"
    assert requested.count(BROKEN) == 1
    assert GONE not in requested
