"""A news portal: sections paged with ``rel=next`` (or one ``latest?start=N`` listing paged by
numbered links), numbered story URLs, an RSS feed of the latest stories only (no sitemap),
static pages, and the traps of such sites: an endless date archive, search, query
permutations, session ids, tracking parameters, print/share variants, a relative link that
nests itself, an over-long URL and links to another host."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from newscrawler.dates import KARACHI
from newscrawler.samples.news import NewsSite, Story, html_page
from newscrawler.samples.server import Page

SITE_NAME = "Sample Portal"
PER_PAGE = 6
SECTIONS = ("pakistan", "world", "sports")
#: Stories a page of the ``latest?start=N`` listing.
LATEST_PER_PAGE = 20

#: How stories are listed: ``sections`` paged with ``rel=next``, or ``latest``: one listing
#: of all stories paged by ``?start=N`` links ("1 2 3 ... Next", none marked ``rel=next``).
Listing = Literal["sections", "latest"]
#: How a story states its date: ``machine`` (JSON-LD and ``<time datetime>``), or ``visible``:
#: only a "Published:" line below the headline, with the portal's clock (the time the page
#: was made) in the header of every page.
Dates = Literal["machine", "visible"]


def story_path(story: Story) -> str:
    slug = story.slug if story.language == "en" else f"story-{story.number}"
    return f"/news/{story.number}/{slug}"


def portal_site(
    stories: list[Story],
    *,
    robots: str = "User-agent: *\nDisallow: /private/\n",
    listing: Listing = "sections",
    dates: Dates = "machine",
) -> NewsSite:
    """The site, not yet serving; pages that hold its URL are made once it serves."""
    return _PortalSite(stories, robots, listing, dates)


class _PortalSite(NewsSite):
    def __init__(self, stories: list[Story], robots: str, listing: Listing, dates: Dates) -> None:
        super().__init__()
        self.stories = stories
        self.robots = robots
        self.listing: Listing = listing
        self.dates: Dates = dates

    def start(self, port: int = 0) -> NewsSite:
        super().start(port)
        pages = portal_pages(
            self.url, self.stories, robots=self.robots, listing=self.listing, dates=self.dates
        )
        for path, page in pages:
            self.add(path, page)
        return self


def portal_pages(
    base: str,
    stories: list[Story],
    *,
    robots: str,
    listing: Listing = "sections",
    dates: Dates = "machine",
) -> Iterable[tuple[str, Page | str]]:
    newest = sorted(stories, key=lambda s: s.published, reverse=True)
    nav = _nav(listing, datetime.now(KARACHI) if dates == "visible" else None)
    for story in newest:
        yield story_path(story), _story_page(base, story, newest[:5], nav, dates)
    yield "/", _home(newest, nav)
    if listing == "latest":
        yield from _latest_pages(newest, nav)
    else:
        for section in SECTIONS:
            yield from _section_pages(section, [s for s in newest if s.category == section], nav)
    for name, text in (
        ("about-us", "Sample Portal is an independent news service."),
        ("contact", "Reach the newsroom at newsroom@example.org."),
        ("privacy-policy", "We keep no data about readers."),
    ):
        yield f"/{name}", html_page(name, f"{nav}<main><h1>{name}</h1><p>{text}</p></main>")
    yield "/rss.xml", Page(_rss(base, newest[:10]).encode(), content_type="application/rss+xml")
    yield "/robots.txt", Page(robots.encode(), content_type="text/plain")
    yield from _traps(nav)


def _nav(listing: Listing, clock: datetime | None) -> str:
    """The header of every page: the site's menu, and its clock when it shows one."""
    if listing == "latest":
        menu = '<a href="/latest">Latest</a> '
    else:
        menu = "".join(f'<a href="/section/{s}">{s.title()}</a> ' for s in SECTIONS)
    shown = f'<span class="date-time">{clock:%I:%M %p, %d %B %Y}</span>' if clock else ""
    return (
        f'<header><a href="/">Sample Portal</a>{shown}<nav>{menu}'
        '<a href="/about-us">About</a> <a href="/contact">Contact</a> '
        '<a href="/privacy-policy">Privacy</a> <a href="/archive?date=2025-07-26">Archive</a> '
        '<a href="/search?q=news">Search</a> <a href="/list?sort=new">All stories</a> '
        '<a href="/gallery/">Gallery</a></nav></header>'
    )


def _home(newest: list[Story], nav: str) -> str:
    top = "".join(
        f'<div class="card"><h2><a href="{story_path(s)}">{html.escape(s.title)}</a></h2></div>'
        for s in newest[:8]
    )
    head = '<link rel="alternate" type="application/rss+xml" title="Latest" href="/rss.xml">'
    return html_page(SITE_NAME, f"{nav}<main>{top}</main>", head=head)


def _latest_pages(newest: list[Story], nav: str) -> Iterable[tuple[str, str]]:
    """``/latest``, then ``/latest?start=20``...: numbered page links and a "Next" link."""
    pages = max(1, -(-len(newest) // LATEST_PER_PAGE))

    def path(n: int) -> str:
        return "/latest" + (f"?start={(n - 1) * LATEST_PER_PAGE}" if n > 1 else "")

    for n in range(1, pages + 1):
        chunk = newest[(n - 1) * LATEST_PER_PAGE : n * LATEST_PER_PAGE]
        items = "".join(
            f'<li><a href="{story_path(s)}">{html.escape(s.title)}</a></li>' for s in chunk
        )
        numbers = "".join(
            f"<li><span>{m}</span></li>" if m == n else f'<li><a href="{path(m)}">{m}</a></li>'
            for m in range(max(1, n - 2), min(pages, n + 2) + 1)
        )
        later = f'<li><a href="{path(n + 1)}" title="Next">Next</a></li>' if n < pages else ""
        yield (
            path(n),
            html_page(
                f"Latest – {SITE_NAME}",
                f'{nav}<main><h1>Latest news</h1><ul class="items">{items}</ul>'
                f'<div class="pages"><ul>{numbers}{later}</ul></div></main>',
            ),
        )


def _section_pages(section: str, stories: list[Story], nav: str) -> Iterable[tuple[str, str]]:
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
        yield path, html_page(f"{section} – {SITE_NAME}", f"{nav}<main>{cards}{more}</main>")


def _story_page(base: str, story: Story, most_read: list[Story], nav: str, dates: Dates) -> str:
    path = story_path(story)
    title = html.escape(story.title)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "author": {"@type": "Person", "name": "Staff Reporter"},
    }
    if dates == "machine":
        data["datePublished"] = story.published.isoformat()
        dateline = (
            f'<time datetime="{story.published.isoformat()}">{story.published:%d %B %Y}</time>'
        )
    else:
        local = story.published.astimezone(KARACHI)
        dateline = f'<p class="byline">Published: {local:%d %B %Y, %I:%M %p}</p>'
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
        f'{nav}<main><article><h1 class="story-title">{title}</h1>{dateline}'
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


def _traps(nav: str) -> Iterable[tuple[str, str]]:
    """Pages that would keep a naive crawler busy forever."""
    day = date(2025, 7, 26)
    for offset in range(-3, 4):
        current = day + timedelta(days=offset)
        prev, nxt = current - timedelta(days=1), current + timedelta(days=1)
        yield (
            f"/archive?date={current}",
            html_page(
                f"Archive {current}",
                f'{nav}<a href="/archive?date={prev}">Previous day</a> '
                f'<a href="/archive?date={nxt}">Next day</a>',
            ),
        )
    yield "/search?q=news", html_page("Search", f'{nav}<a href="/search?q=news&page=2">2</a>')
    options = "".join(
        f'<a href="/list?sort={s}&view={v}&filter={f}&lang={g}&page=1">{s}{v}{f}{g}</a> '
        for s in ("new", "old")
        for v in ("grid", "list")
        for f in ("a", "b")
        for g in ("en", "ur")
    )
    yield "/list?sort=new", html_page("All stories", f"{nav}{options}")
    yield "/gallery/", html_page("Gallery", f'{nav}<a href="gallery/">More galleries</a>')
    long_path = "/tracker/" + "x" * 2100
    yield (
        "/gallery/gallery/",
        html_page("Gallery", f'{nav}<a href="gallery/">More</a> <a href="{long_path}">Long</a>'),
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
