"""A WordPress republisher with the Astra theme: posts under percent-encoded slugs, category,
tag, date and author archives, ``/feed/``, the core ``/wp-sitemap.xml``, an about page,
share buttons, related posts, comment forms with ``?replytocom=`` links, a calendar widget."""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import quote

from newscrawler.samples.news import NewsSite, Story, html_page
from newscrawler.samples.server import Page

SITE_NAME = "Sample Republisher"
PER_PAGE = 5


def post_path(story: Story) -> str:
    """``/<slug>/`` percent-encoded in lower-case hex, as WordPress writes Urdu slugs."""
    return f"/{quote(story.slug, safe='-').lower()}/"


def wordpress_site(stories: list[Story], *, validators: bool = False) -> WordPressSite:
    """The site, not yet serving; its pages are made once it serves (they hold its URL). With
    ``validators`` every page carries an ETag, as behind a caching plugin or a CDN."""
    return WordPressSite(stories, validators)


class WordPressSite(NewsSite):
    def __init__(self, stories: list[Story], validators: bool) -> None:
        super().__init__(validators=validators)
        self.stories = stories

    def start(self, port: int = 0) -> WordPressSite:
        super().start(port)
        self.publish()
        return self

    def publish(self) -> None:
        """Serve the pages of the current ``stories`` (a test adds one, then publishes)."""
        for path, page in wordpress_pages(self.url, self.stories):
            self.add(path, page)


def wordpress_pages(base: str, stories: list[Story]) -> Iterable[tuple[str, Page | str]]:
    newest = sorted(stories, key=lambda s: s.published, reverse=True)
    for i, story in enumerate(newest):
        related = [newest[(i + k) % len(newest)] for k in (1, 2, 3)]
        yield post_path(story), _post(base, story, related)
    yield from _archives("/", newest)
    for category in sorted({s.category for s in stories}):
        yield from _archives(
            f"/category/{category}/", [s for s in newest if s.category == category]
        )
    for tag in sorted({s.tag for s in stories}):
        yield from _archives(f"/tag/{tag}/", [s for s in newest if s.tag == tag])
    yield from _archives("/author/admin/", newest)
    yield "/2025/02/", _listing("February 2025", [s for s in newest if s.published.month == 2], "")
    yield "/about/", _static("About us", "We republish press releases and news from Pakistan.")
    yield "/contact/", _static("Contact", "Write to us at desk@example.org for corrections.")
    yield "/feed/", Page(_rss(base, newest[:10]).encode(), content_type="application/rss+xml")
    yield "/wp-sitemap.xml", _xml(_sitemap_index(base))
    yield "/wp-sitemap-posts-post-1.xml", _xml(_urlset(base, newest))
    yield "/wp-sitemap-posts-page-1.xml", _xml(_urlset_paths(base, ["/about/", "/contact/"]))
    yield (
        "/wp-sitemap-taxonomies-category-1.xml",
        _xml(
            _urlset_paths(base, [f"/category/{c}/" for c in sorted({s.category for s in stories})])
        ),
    )
    yield (
        "/robots.txt",
        Page(
            b"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n",
            content_type="text/plain",
        ),
    )


def _chrome_header(categories: Iterable[str]) -> str:
    links = "".join(f'<li><a href="/category/{c}/">{c.title()}</a></li>' for c in categories)
    return (
        f'<header class="site-header"><p class="site-title"><a href="/">{SITE_NAME}</a></p>'
        f'<nav class="main-navigation"><ul><li><a href="/">Home</a></li>{links}'
        '<li><a href="/about/">About</a></li><li><a href="/contact/">Contact</a></li></ul></nav>'
        '<form role="search" action="/"><input name="s"></form></header>'
    )


_SIDEBAR = (
    '<aside class="widget-area"><section class="widget widget_calendar"><table>'
    '<caption>July 2025</caption></table><nav><a href="/?m=202506">« Jun</a> '
    '<a href="/calendar/2025-08/">Aug »</a> <a href="/events/?month=2025-08">Events</a></nav>'
    '</section><section class="widget"><a href="/?s=ispr">Search ISPR</a> '
    '<a href="/wp-login.php">Log in</a> <a href="/feed/">Entries feed</a> '
    '<a href="/comments/feed/">Comments feed</a></section></aside>'
)
_FOOTER = (
    '<footer class="site-footer"><p>Copyright © 2025 Sample Republisher | Powered by Astra '
    'WordPress Theme</p><a href="#" id="ast-scroll-top"><span class="screen-reader-text">'
    "Scroll to Top</span></a></footer>"
)
_CATEGORIES = ("pakistan", "world", "sports")


def _head(base: str, path: str, title: str, extra: str = "") -> str:
    return (
        f'<link rel="canonical" href="{base}{path}">'
        f'<link rel="alternate" type="application/rss+xml" title="Feed" href="{base}/feed/">'
        f'<link rel="alternate" type="application/rss+xml" title="Comments Feed" '
        f'href="{base}/comments/feed/">{extra}'
    )


def _post(base: str, story: Story, related: list[Story]) -> str:
    path = post_path(story)
    title = html.escape(story.title)
    stamp = story.published.isoformat()
    head = _head(
        base,
        path,
        title,
        f'<meta property="og:type" content="article"><meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{stamp}">',
    )
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    related_links = "".join(
        f'<li><a href="{post_path(r)}">{html.escape(r.title)}</a></li>' for r in related
    )
    body = (
        f"{_chrome_header(_CATEGORIES)}"
        '<div id="content"><main id="main">'
        f'<article class="post type-post status-publish category-{story.category}">'
        f'<header class="entry-header"><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
        f'datetime="{stamp}">{story.published:%B %d, %Y}</time></span> / '
        '<span class="posted-by"><a rel="author" href="/author/admin/">'
        '<span class="author-name">admin</span></a></span></div></header>'
        '<div class="entry-content">'
        f"<p>DATE . {story.published:%B/%d/%Y}</p>{paragraphs}"
        '<div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3>'
        f'<a href="{path}?share=facebook" rel="nofollow">Facebook</a> '
        f'<a href="{path}?share=twitter">Twitter</a> <a href="{path}print/">Print</a></div>'
        "</div>"
        f'<footer class="entry-footer"><span class="cat-links"><a href="/category/'
        f'{story.category}/" rel="category tag">{story.category.title()}</a></span>'
        f'<span class="tags-links"><a href="/tag/{story.tag}/" rel="tag">{story.tag}</a>'
        "</span></footer></article>"
        '<div class="ast-single-related-posts-container"><h2>Related Posts</h2>'
        f"<ul>{related_links}</ul></div>"
        '<div id="comments" class="comments-area"><ol class="comment-list"><li>Great news! '
        f'<a rel="nofollow" class="comment-reply-link" href="{path}?replytocom=12#respond">'
        'Reply</a> <a class="comment-reply-link" href="?replytocom=13#respond">Reply</a></li>'
        '</ol><div id="respond"><h3 id="reply-title" class="comment-reply-title">Leave a '
        'Comment</h3><p class="comment-notes">Your email address will not be published.</p>'
        "</div></div></main></div>"
        f"{_SIDEBAR}{_FOOTER}"
    )
    return html_page(f"{title} – {SITE_NAME}", body, head=head, lang=story.language)


def _archives(path: str, stories: list[Story]) -> Iterable[tuple[str, str]]:
    pages = max(1, -(-len(stories) // PER_PAGE))
    for n in range(1, pages + 1):
        here = path if n == 1 else f"{path}page/{n}/"
        next_link = (
            f'<a class="next page-numbers" href="{path}page/{n + 1}/">Next »</a>'
            if n < pages
            else ""
        )
        chunk = stories[(n - 1) * PER_PAGE : n * PER_PAGE]
        yield here, _listing(f"Archives {path}", chunk, next_link)


def _listing(heading: str, stories: list[Story], next_link: str) -> str:
    teasers = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{post_path(s)}">'
        f"{html.escape(s.title)}</a></h2><p>{html.escape(s.paragraphs[0][:120])}…</p>"
        f'<a class="read-more" href="{post_path(s)}">Read more</a></article>'
        for s in stories
    )
    body = (
        f'{_chrome_header(_CATEGORIES)}<main><h1 class="page-title">{html.escape(heading)}</h1>'
        f'{teasers}<nav class="ast-pagination">{next_link}</nav></main>{_SIDEBAR}{_FOOTER}'
    )
    return html_page(f"{html.escape(heading)} – {SITE_NAME}", body)


def _static(title: str, text: str) -> str:
    body = (
        f'{_chrome_header(_CATEGORIES)}<main><article class="page type-page">'
        f'<header class="entry-header"><h1 class="entry-title">{title}</h1></header>'
        f'<div class="entry-content"><p>{text}</p></div></article></main>{_FOOTER}'
    )
    return html_page(f"{title} – {SITE_NAME}", body)


def _rss(base: str, stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base}{post_path(s)}</link>"
        f"<pubDate>{s.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f'<guid isPermaLink="false">{base}/?p={s.number}</guid></item>'
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{base}/</link>{items}</channel></rss>"
    )


def _sitemap_index(base: str) -> str:
    maps = "".join(
        f"<sitemap><loc>{base}/wp-sitemap-{name}-1.xml</loc></sitemap>"
        for name in ("posts-post", "posts-page", "taxonomies-category", "users")
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="{_NS}">{maps}</sitemapindex>'
    )


def _urlset(base: str, stories: list[Story]) -> str:
    urls = "".join(
        f"<url><loc>{base}{post_path(s)}</loc><lastmod>{s.published.isoformat()}</lastmod></url>"
        for s in stories
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{_NS}">{urls}</urlset>'


def _urlset_paths(base: str, paths: list[str]) -> str:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{_NS}">{urls}</urlset>'


def _xml(text: str) -> Page:
    return Page(text.encode(), content_type="application/xml; charset=utf-8")


_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
