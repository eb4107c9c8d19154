"""A news portal: sections paged with ``rel=next``, numbered story URLs, an RSS feed of the
latest stories only (no sitemap), static pages, and the traps of such sites: an endless
date archive, search, query permutations, session ids, tracking parameters, print/share
variants, a relative link that nests itself, an over-long URL and links to another host."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import date, timedelta

from newscrawler.samples.news import NewsSite, Story, html_page
from newscrawler.samples.server import Page

SITE_NAME = "Sample Portal"
PER_PAGE = 6
SECTIONS = ("pakistan", "world", "sports")


def story_path(story: Story) -> str:
    slug = story.slug if story.language == "en" else f"story-{story.number}"
    return f"/news/{story.number}/{slug}"


def portal_site(
    stories: list[Story], *, robots: str = "User-agent: *\nDisallow: /private/\n"
) -> NewsSite:
    """The site, not yet serving; pages that hold its URL are made once it serves."""
    return _PortalSite(stories, robots)


class _PortalSite(NewsSite):
    def __init__(self, stories: list[Story], robots: str) -> None:
        super().__init__()
        self.stories = stories
        self.robots = robots

    def start(self, port: int = 0) -> NewsSite:
        super().start(port)
        for path, page in portal_pages(self.url, self.stories, robots=self.robots):
            self.add(path, page)
        return self


def portal_pages(
    base: str, stories: list[Story], *, robots: str
) -> Iterable[tuple[str, Page | str]]:
    newest = sorted(stories, key=lambda s: s.published, reverse=True)
    for story in newest:
        yield story_path(story), _story_page(base, story, newest[:5])
    yield "/", _home(newest)
    for section in SECTIONS:
        yield from _section_pages(section, [s for s in newest if s.category == section])
    for name, text in (
        ("about-us", "Sample Portal is an independent news service."),
        ("contact", "Reach the newsroom at newsroom@example.org."),
        ("privacy-policy", "We keep no data about readers."),
    ):
        yield f"/{name}", html_page(name, f"{_NAV}<main><h1>{name}</h1><p>{text}</p></main>")
    yield "/rss.xml", Page(_rss(base, newest[:10]).encode(), content_type="application/rss+xml")
    yield "/robots.txt", Page(robots.encode(), content_type="text/plain")
    yield from _traps(base)


_NAV = (
    '<header><a href="/">Sample Portal</a><nav>'
    + "".join(f'<a href="/section/{s}">{s.title()}</a> ' for s in SECTIONS)
    + '<a href="/about-us">About</a> <a href="/contact">Contact</a> '
    '<a href="/privacy-policy">Privacy</a> <a href="/archive?date=2025-07-26">Archive</a> '
    '<a href="/search?q=news">Search</a> <a href="/list?sort=new">All stories</a> '
    '<a href="/gallery/">Gallery</a></nav></header>'
)


def _home(newest: list[Story]) -> str:
    top = "".join(
        f'<div class="card"><h2><a href="{story_path(s)}">{html.escape(s.title)}</a></h2></div>'
        for s in newest[:8]
    )
    head = '<link rel="alternate" type="application/rss+xml" title="Latest" href="/rss.xml">'
    return html_page(SITE_NAME, f"{_NAV}<main>{top}</main>", head=head)


def _section_pages(section: str, stories: list[Story]) -> Iterable[tuple[str, str]]:
    pages = max(1, -(-len(stories) // PER_PAGE))
    for n in range(1, pages + 1):
        path = f"/section/{section}" + (f"?page={n}" if n > 1 else "")
        chunk = stories[(n - 1) * PER_PAGE : n * PER_PAGE]
        cards = "".join(
            f'<article class="card"><h3><a href="{story_path(s)}">{html.escape(s.title)}</a></h3>'
            f"<p>{html.escape(s.paragraphs[0][:100])}…</p></article>"
            for s in chunk
        )
        more = f'<a rel="next" href="/section/{section}?page={n + 1}">More</a>' if n < pages else ""
        yield path, html_page(f"{section} – {SITE_NAME}", f"{_NAV}<main>{cards}{more}</main>")


def _story_page(base: str, story: Story, most_read: list[Story]) -> str:
    path = story_path(story)
    title = html.escape(story.title)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": story.published.isoformat(),
        "author": {"@type": "Person", "name": "Staff Reporter"},
    }
    head = (
        f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        f'<meta property="og:type" content="article"><meta property="og:title" content="{title}">'
    )
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    popular = "".join(
        f'<li><a href="{story_path(s)}?utm_source=mostread&amp;fbclid=abc">{html.escape(s.title)}'
        "</a></li>"
        for s in most_read
    )
    body = (
        f'{_NAV}<main><article><h1 class="story-title">{title}</h1>'
        f'<time datetime="{story.published.isoformat()}">{story.published:%d %B %Y}</time>'
        f'<div class="story-content">{paragraphs}</div>'
        f'<div class="share"><a href="{path}?print=1">Print</a> '
        f'<a href="{path}?share=whatsapp">WhatsApp</a> '
        f'<a href="{path};jsessionid=0AF3B2">Permalink</a> '
        f'<a href="{path}?PHPSESSID=9f8e7d">Reload</a></div></article>'
        f'<aside class="most-read"><h2>Most read</h2><ul>{popular}</ul></aside></main>'
        f'<footer>© 2025 Sample Portal. <a href="{base.replace("127.0.0.1", "localhost")}'
        '/news/999/offsite-story">Partner site</a></footer>'
    )
    return html_page(f"{title} | {SITE_NAME}", body, head=head, lang=story.language)


def _traps(base: str) -> Iterable[tuple[str, str]]:
    """Pages that would keep a naive crawler busy forever."""
    day = date(2025, 7, 26)
    for offset in range(-3, 4):
        current = day + timedelta(days=offset)
        prev, nxt = current - timedelta(days=1), current + timedelta(days=1)
        yield (
            f"/archive?date={current}",
            html_page(
                f"Archive {current}",
                f'{_NAV}<a href="/archive?date={prev}">Previous day</a> '
                f'<a href="/archive?date={nxt}">Next day</a>',
            ),
        )
    yield "/search?q=news", html_page("Search", f'{_NAV}<a href="/search?q=news&page=2">2</a>')
    options = "".join(
        f'<a href="/list?sort={s}&view={v}&filter={f}&lang={g}&page=1">{s}{v}{f}{g}</a> '
        for s in ("new", "old")
        for v in ("grid", "list")
        for f in ("a", "b")
        for g in ("en", "ur")
    )
    yield "/list?sort=new", html_page("All stories", f"{_NAV}{options}")
    yield "/gallery/", html_page("Gallery", f'{_NAV}<a href="gallery/">More galleries</a>')
    long_path = "/tracker/" + "x" * 2100
    yield (
        "/gallery/gallery/",
        html_page("Gallery", f'{_NAV}<a href="gallery/">More</a> <a href="{long_path}">Long</a>'),
    )


def _rss(base: str, stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base}{story_path(s)}?utm_source=rss"
        f"</link><pubDate>{s.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{base}/</link>{items}</channel></rss>"
    )
