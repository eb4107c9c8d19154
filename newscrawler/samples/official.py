"""An official press-release site read without a profile: every page carries the same
``<title>`` (``Press Release | ISPR``), a "Press Release" banner and the site's name above the
text, and the release's headline sits in an ``<h2>`` just before its body.

The releases are those of :mod:`newscrawler.samples.ispr`; each is at ``/press-release/<id>``,
listed from the home page.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from newscrawler.samples.ispr import Release, generate_releases
from newscrawler.samples.server import SampleSite

#: The title of every page of the site.
SITE_TITLE = "Press Release | ISPR"
SITE_NAME = "Inter Services Public Relations"


def release_path(release: Release) -> str:
    return f"/press-release/{release.id}"


def release_page(release: Release) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in release.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{release.language}"><head><meta charset="utf-8"><title>{SITE_TITLE}</title>
<meta property="og:type" content="article"></head>
<body>
<header><div class="brand">{SITE_NAME}</div>
<nav><a href="/">Home</a> <a href="/press-releases">Press Releases</a></nav></header>
<main>
<h1>Press Release</h1>
<div class="release">
<h2>{html.escape(release.title)}</h2>
<p class="date">Rawalpindi - {release.released.strftime("%B %-d, %Y")}</p>
{paragraphs}
</div>
</main>
<footer>{SITE_NAME}, Hilal Road, Rawalpindi</footer>
</body></html>
"""


def home_page(releases: list[Release]) -> str:
    items = "".join(
        f'<li><a href="{release_path(r)}">{html.escape(r.title)}</a></li>' for r in releases
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{SITE_TITLE}</title></head>
<body><h1>Press Releases</h1><ul>{items}</ul></body></html>
"""


def official_pages(releases: list[Release]) -> Iterator[tuple[str, str]]:
    yield "/", home_page(releases)
    yield "/press-releases", home_page(releases)
    for release in releases:
        yield release_path(release), release_page(release)


def official_site(count: int, *, seed: int = 7) -> tuple[SampleSite, list[Release]]:
    """A served site of ``count`` releases, and the releases."""
    releases = generate_releases(count, seed=seed)
    site = SampleSite()
    for path, page in official_pages(releases):
        site.add(path, page)
    return site, releases
