"""A site crawled through its profile: listings, a sitemap index (gzip, lastmod), an Atom
feed and links, past every trap and failure a real site has; exactly its articles archived."""

from __future__ import annotations

import gzip

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.news import NewsSite, Story, generate_stories, html_page
from newscrawler.samples.portal import portal_site, story_path
from newscrawler.samples.server import Page
from storage.archive import Archive
from tests.support import CommandCrawler

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Urdu that windows-1256 can encode (Arabic yeh, Latin full stop), and its cleaned form.
CP1256_TITLE = "پاک فوج کے سربراہ کا دورہ"
CP1256_BODY = (
    "راولپنڈي ميں پاک فوج کے سربراہ نے جوانوں سے ملاقات کي اور ان کي پيشہ ورانہ مہارت کو "
    "سراہا. آئي ايس پي آر کے مطابق تقريب ميں اعلي حکام بھي موجود تھے اور انہوں نے شہدا کو "
    "خراج عقيدت پيش کيا. اس موقع پر علاقے کي سلامتي کي صورتحال پر تفصيلي بريفنگ دي گئي."
)

PROFILE = """\
name = "portal"
site = "portal"
hosts = ["127.0.0.1"]
base_url = "{url}/"

[discovery]
start_urls = ["/"]
sitemaps = ["/sitemap_index.xml"]
feeds = ["/atom.xml"]
article_urls = ['/news/\\d+/']
follow_links = true
max_depth = 3

[[discovery.listings]]
url = "/section/world"
next_page = "a[rel=next]::attr(href)"
links = "article.card h3 a::attr(href)"
max_pages = 2

[fields.title]
selectors = ["h1.story-title"]

[fields.body]
selectors = ["div.story-content"]
"""


def story_page(title: str, body: str, *, lang: str = "en") -> str:
    return html_page(
        title,
        f'<h1 class="story-title">{title}</h1><div class="story-content"><p>{body}</p></div>',
        lang=lang,
    )


def add_discovery_documents(site: NewsSite, stories: list[Story]) -> None:
    """A sitemap index of a gzip sitemap and a plain one, and an Atom feed; the index also
    lists the moved, missing, failing, slow, challenged and mis-encoded pages."""
    urls = [f"{site.url}{story_path(s)}?utm_source=sitemap&fbclid=x" for s in stories[:10]]
    urls += [f"{site.url}{path}" for path in SPECIAL_PATHS]
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2025-07-26</lastmod></url>" for u in urls)
    urlset = f'<?xml version="1.0"?><urlset xmlns="{NS}">{entries}</urlset>'.encode()
    site.add("/maps/news-1.xml.gz", Page(gzip.compress(urlset), content_type="application/gzip"))
    site.add("/maps/news-2.xml", Page(b'<?xml version="1.0"?><urlset xmlns="x"></urlset>'))
    index = "".join(
        f"<sitemap><loc>{site.url}{p}</loc><lastmod>2025-07-26T10:00:00+05:00</lastmod></sitemap>"
        for p in ("/maps/news-1.xml.gz", "/maps/news-2.xml")
    )
    site.add("/sitemap_index.xml", f'<sitemapindex xmlns="{NS}">{index}</sitemapindex>')
    atom = "".join(
        f'<entry><title>{s.title}</title><link rel="alternate" href="{site.url}{story_path(s)}"/>'
        f"<updated>2025-07-26T10:00:00Z</updated></entry>"
        for s in stories[10:14]
    )
    site.add(
        "/atom.xml",
        Page(
            f'<feed xmlns="http://www.w3.org/2005/Atom">{atom}</feed>'.encode(),
            content_type="application/atom+xml",
        ),
    )


SPECIAL_PATHS = (
    "/news/99/old-slug",  # 301 to /news/99/moved-story
    "/news/404/gone",
    "/news/500/broken",
    "/news/77/slow-story",
    "/news/403/challenge",
    "/news/1256/urdu-windows-1256",
    "/news/88/lying-charset",
)


def add_special_pages(site: NewsSite) -> None:
    site.add(
        "/news/99/old-slug",
        Page(b"", status=301, headers={"Location": f"{site.url}/news/99/moved-story"}),
    )
    site.add("/news/99/moved-story", story_page("A story that moved", "Moved here. " * 30))
    site.add("/news/500/broken", Page(b"<h1>Internal error</h1>", status=500))
    site.add("/news/77/slow-story", Page(story_page("Slow", "Late. " * 60).encode(), delay=3))
    site.add(
        "/news/403/challenge",
        Page(
            b"<html><head><title>Just a moment...</title></head><body><div id='cf-chl-widget'>"
            b"Checking your browser</div></body></html>",
            status=403,
            headers={"Server": "cloudflare", "CF-RAY": "8a1b2c3d4e5f-KHI"},
        ),
    )
    site.add(
        "/news/1256/urdu-windows-1256",
        Page(
            story_page(CP1256_TITLE, CP1256_BODY, lang="ur").encode("cp1256"),
            content_type="text/html; charset=windows-1256",
        ),
    )
    site.add(
        "/news/88/lying-charset",
        Page(
            story_page("سیلاب متاثرین کی امداد", "امدادی سامان روانہ کر دیا گیا۔ " * 12, lang="ur")
            .replace("<head>", '<head><meta charset="utf-8">')
            .encode(),
            content_type="text/html; charset=iso-8859-1",
        ),
    )


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CommandCrawler, list[Story], list[str], str]:
    """One crawl of the site, shared by the tests that check its outcome."""
    tmp_path = tmp_path_factory.mktemp("profile-crawl")
    crawl = CommandCrawler(tmp_path)
    stories = generate_stories(24)
    with portal_site(stories) as site:
        add_discovery_documents(site, stories)
        add_special_pages(site)
        profile = tmp_path / "portal.toml"
        profile.write_text(PROFILE.format(url=site.url), encoding="utf-8")
        result = crawl(str(profile), "-s", "DOWNLOAD_TIMEOUT=1")
        requested = site.requested_paths()
        assert result.returncode == ExitCode.OK, result.stderr[-3000:]
        return crawl, stories, requested, site.url


def test_exactly_the_articles_are_archived_each_once(
    crawled: tuple[CommandCrawler, list[Story], list[str], str],
) -> None:
    crawl, stories, requested, base = crawled
    with Archive.open(crawl.db) as archive:
        articles = {a["url"].removeprefix(base): a for a in archive.iter_articles()}
        moved_aliases = archive.aliases(articles["/news/99/moved-story"]["id"])

    expected = {story_path(s): s.title for s in stories} | {
        "/news/99/moved-story": "A story that moved",
        "/news/1256/urdu-windows-1256": CP1256_TITLE,
        "/news/88/lying-charset": "سیلاب متاثرین کی امداد",
    }
    assert {url: a["title"] for url, a in articles.items()} == expected
    assert articles["/news/1256/urdu-windows-1256"]["body"].startswith("راولپنڈی میں پاک فوج")
    assert moved_aliases == [f"{base}/news/99/old-slug"]
    for story in stories:
        assert requested.count(story_path(story)) == 1, story_path(story)


def test_traps_and_other_hosts_are_never_fetched(
    crawled: tuple[CommandCrawler, list[Story], list[str], str],
) -> None:
    _, _, requested, _ = crawled
    never = (
        "date=",  # the endless calendar
        "search",
        "PHPSESSID",
        "jsessionid",
        "print=",
        "share=",
        "utm_source",
        "/tracker/",
        "/gallery/gallery/gallery/",
        "offsite-story",
        "&view=",  # query permutations
    )
    assert [p for p in requested if any(marker in p for marker in never)] == []
    assert requested.count("/section/world?page=2") == 1
    assert "/section/world?page=3" not in requested  # max_pages = 2


def test_failures_blocks_and_refusals_are_counted(
    crawled: tuple[CommandCrawler, list[Story], list[str], str],
) -> None:
    crawl, _, requested, url = crawled
    with Archive.open(crawl.db) as archive:
        stats = archive.runs()[0]["stats"]
    assert requested.count("/news/500/broken") == 2  # one retry
    assert stats["newscrawler/blocked"] == 1
    assert stats["newscrawler/fetch_failed/http_404"] >= 1
    assert stats["newscrawler/fetch_failed/http_500"] == 1
    assert stats["newscrawler/fetch_failed/timeout"] == 1
    assert stats["newscrawler/fetch_failed/blocked"] == 1
    # What the next run asks for again: the transient failures, not the page that is gone.
    unfetched = ["/news/500/broken", "/news/77/slow-story", "/news/403/challenge"]
    assert sorted(stats["newscrawler/unfetched_urls"]) == sorted(url + path for path in unfetched)
    assert stats["newscrawler/encoding/repaired"] >= 1
    for reason in ("calendar", "search", "query_params", "long_url", "repeated_segments"):
        assert stats[f"newscrawler/rejected/{reason}"] >= 1, reason
    assert stats["newscrawler/rejected/offsite"] >= 1
    # Some pages are linked too: which source finds them first varies; these are only in one.
    assert stats["newscrawler/discovered/sitemap"] >= len(SPECIAL_PATHS)
    assert stats["newscrawler/discovered/feed"] >= 1
