"""Hostile pages in a crawl: too big, bombs in sitemaps, lying charsets, redirects that loop or
lead away. Each is named or counted, none is archived wrong, and the rest of the site is."""

from __future__ import annotations

import resource
import subprocess
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import generate_releases, release_page
from newscrawler.samples.server import Page, SampleSite
from storage.archive import Archive
from tests.downloadermiddlewares.test_decoding import (
    META_1256,
    META_UTF8,
    TITLE,
    TITLE_1256,
    article_html,
    with_stray_byte,
)
from tests.support import LOCAL, newscrawler_command

RELEASES = generate_releases(5)
#: What the crawl may take at most, in kilobytes, while bombs explode around it.
MAX_RSS_KB = 500 * 1024
XML = "application/xml"


def urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{locs}</urlset>"
    ).encode()


def billion_laughs() -> bytes:
    """A url set whose one URL is ten nested entities of ten: 10⁹ "lol"s once expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE urlset [{"".join(entities)}]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>&lol9;</loc></url></urlset>"
    ).encode()


def gzip_bomb(megabytes: int = 400) -> bytes:
    """A gzip file of zeros that inflates to ``megabytes`` MB, sent as about a thousandth."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    megabyte = bytes(1 << 20)
    return b"".join(deflate.compress(megabyte) for _ in range(megabytes)) + deflate.flush()


@pytest.fixture
def site() -> Iterator[SampleSite]:
    """Five releases, listed in ``/sitemap.xml``; tests add hostile pages and sitemaps."""
    with SampleSite() as site:
        for release in RELEASES:
            site.add(release.path, release_page(release))
        yield site


def serve_sitemaps(site: SampleSite, listed: Sequence[str] = (), **others: Page) -> None:
    """``/sitemap.xml`` with the releases and the ``listed`` paths, and ``others`` by name,
    all named in robots.txt."""
    paths = [release.path for release in RELEASES] + list(listed)
    site.add(
        "/sitemap.xml", Page(urlset([f"{site.url}{path}" for path in paths]), content_type=XML)
    )
    for name, page in others.items():
        site.add(f"/{name}", page)
    lines = "".join(f"Sitemap: {site.url}/{name}\n" for name in ["sitemap.xml", *others])
    site.add("/robots.txt", Page(f"User-agent: *\n{lines}".encode(), content_type="text/plain"))


def crawl(site: SampleSite, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return newscrawler_command("crawl", f"{site.url}/", "--db", db, *LOCAL, *args)


def archived_urls(db: str) -> list[str]:
    with Archive.open(db) as archive:
        return sorted(article["url"] for article in archive.iter_articles())


def release_urls(site: SampleSite) -> list[str]:
    return sorted(f"{site.url}{release.path}" for release in RELEASES)


def test_an_oversized_page_is_named_counted_and_not_archived(
    site: SampleSite, archive_url: str
) -> None:
    site.add("/huge", release_page(RELEASES[0]).replace("</body>", "x" * 200_000 + "</body>"))
    serve_sitemaps(site, ["/huge"])
    huge = f"{site.url}/huge"

    crawled = crawl(site, archive_url, "-s", "DOWNLOAD_MAXSIZE=100000")
    scraped = newscrawler_command(
        "scrape", huge, "--db", archive_url, "-s", "DOWNLOAD_MAXSIZE=100000"
    )

    assert crawled.returncode == ExitCode.OK, crawled.stderr[-3000:]
    assert "not fetched: downloadcancellederror 1" in crawled.stdout
    assert f"WARNING: Could not fetch {huge} (downloadcancellederror)" in crawled.stderr
    assert scraped.returncode == ExitCode.FAILED, scraped.stderr[-3000:]
    assert f"Could not fetch {huge} (downloadcancellederror)" in scraped.stderr
    assert "Traceback" not in crawled.stderr + scraped.stderr
    assert archived_urls(archive_url) == release_urls(site)


BOMBS: dict[str, Callable[[], Page]] = {
    "laughs.xml": lambda: Page(billion_laughs(), content_type=XML),
    "bomb.xml.gz": lambda: Page(gzip_bomb(), content_type="application/gzip"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_a_sitemap_bomb_is_not_a_document_and_the_crawl_stays_small(
    name: str, site: SampleSite, sqlite_url: str
) -> None:
    serve_sitemaps(site, **{name: BOMBS[name]()})

    crawled = crawl(site, sqlite_url)

    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < MAX_RSS_KB
    assert crawled.returncode == ExitCode.OK, crawled.stderr[-3000:]
    assert f"/{name}" in site.requested_paths()
    assert "Traceback" not in crawled.stderr
    with Archive.open(sqlite_url) as archive:
        assert archive.runs()[0]["stats"]["newscrawler/not_a_document/sitemap"] == 1
    assert archived_urls(sqlite_url) == release_urls(site)


@pytest.fixture(scope="module")
def honest_article(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The article a scrape archives from the page served as what it is: UTF-8, said so."""
    db = f"sqlite:///{tmp_path_factory.mktemp('honest') / 'archive.sqlite3'}"
    with SampleSite() as site:
        site.add("/news/1", article_html(TITLE, META_UTF8))
        scraped = newscrawler_command("scrape", f"{site.url}/news/1", "--db", db)
    assert scraped.returncode == ExitCode.OK, scraped.stderr[-3000:]
    with Archive.open(db) as archive:
        (article,) = archive.iter_articles()
    return article


@pytest.mark.parametrize(
    ("body", "content_type", "broken"),
    [
        pytest.param(
            article_html(TITLE, META_UTF8).encode(), "text/html; charset=iso-8859-1", 0,
            id="utf-8 under a latin-1 header",
        ),
        pytest.param(
            article_html(TITLE_1256, META_1256).encode("cp1256"), "text/html; charset=utf-8", 0,
            id="windows-1256 under a utf-8 header",
        ),
        pytest.param(
            with_stray_byte(article_html(TITLE, META_UTF8)), "text/html; charset=utf-8", 1,
            id="utf-8 with a stray byte",
        ),
        pytest.param(
            with_stray_byte(article_html(TITLE, "")), "text/html; charset=iso-8859-1", 1,
            id="utf-8 with a stray byte under a latin-1 header",
        ),
    ],
)  # fmt: skip
def test_a_page_whose_charset_lies_is_archived_in_its_real_encoding(
    body: bytes, content_type: str, broken: int, honest_article: dict[str, Any], sqlite_url: str
) -> None:
    with SampleSite() as site:
        site.add("/news/2", Page(body, content_type=content_type))
        scraped = newscrawler_command("scrape", f"{site.url}/news/2", "--db", sqlite_url)

    assert scraped.returncode == ExitCode.OK, scraped.stderr[-3000:]
    with Archive.open(sqlite_url) as archive:
        (article,) = archive.iter_articles()
    assert article["title"] == honest_article["title"] == TITLE
    assert article["body"].count("\ufffd") == broken
    assert article["body"].replace("\ufffd", "") == honest_article["body"]


def test_redirect_loops_and_redirects_elsewhere_are_named_and_not_archived(
    site: SampleSite, archive_url: str
) -> None:
    with SampleSite() as elsewhere:
        elsewhere.add("/copy", release_page(RELEASES[0]))
        away = elsewhere.url.replace("127.0.0.1", "localhost") + "/copy"
        site.add("/loop-a", Page(b"", status=302, headers={"Location": f"{site.url}/loop-b"}))
        site.add("/loop-b", Page(b"", status=302, headers={"Location": f"{site.url}/loop-a"}))
        site.add("/moved", Page(b"", status=302, headers={"Location": away}))
        serve_sitemaps(site, ["/loop-a", "/moved"])

        crawled = crawl(site, archive_url)

    assert crawled.returncode == ExitCode.OK, crawled.stderr[-3000:]
    assert "redirect_loop 1" in crawled.stdout
    assert elsewhere.requests == []
    warnings = [line for line in crawled.stderr.splitlines() if " WARNING: " in line]
    assert any(f"{site.url}/moved" in line and away in line for line in warnings), warnings
    assert any(f"{site.url}/loop-a" in line for line in warnings), warnings
    assert "Traceback" not in crawled.stderr
    assert archived_urls(archive_url) == release_urls(site)
