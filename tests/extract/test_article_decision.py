"""Auto mode: is an unknown page one article? A page's text, headline and declared type outweigh
its URL shape, its link share and the ``<article>`` teasers beside it; listings stay refused."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from newscrawler.extract import extract_page
from newscrawler.extract.result import ExtractionResult

HEADLINE = "Flood relief camps open along the river as water levels rise"
PARAGRAPHS = (
    "District officials opened twelve relief camps along the river on Monday after the water "
    "level at the barrage rose above the high flood mark for the first time this season.",
    "Families from the low-lying villages were moved to schools and tents on higher ground, "
    "where volunteers handed out drinking water, food parcels and medicine through the night.",
    "The irrigation department said the flow was expected to peak on Wednesday and asked "
    "farmers not to return to their fields until the embankments had been inspected again.",
    "Doctors at the camps reported cases of fever and skin infections among children and asked "
    "for more mobile clinics, while the district health office promised two more by Tuesday.",
    "Traders in the town market said prices of vegetables had doubled because the main road to "
    "the wholesale market was closed, and called on the administration to open a second route.",
    "The provincial minister for relief visited two of the camps in the evening and said that "
    "compensation for damaged houses and lost livestock would be paid once the survey ended.",
    "Engineers worked through the afternoon to strengthen a weak section of the left bank near "
    "the railway bridge, filling sandbags and laying stones brought in by tractor trolleys.",
    "The meteorological office forecast more rain in the catchment area over the next three "
    "days and warned that smaller streams in the hills could also overflow after heavy showers.",
    "Schools in the affected union councils will stay closed for the rest of the week, the "
    "education department said, and examinations due on Thursday have been postponed.",
    "Residents who stayed behind to guard their homes said they would leave only if the water "
    "crossed the village road, and asked for boats to be kept ready near the mosque.",
)
LONG_TEXT = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)  # one container, over 1500 characters
SOME_TEXT = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])  # a short report
OG_ARTICLE = (
    '<meta property="og:type" content="article">'
    f'<meta property="og:title" content="{HEADLINE}">'
    '<meta property="article:published_time" content="2025-08-04T09:30:00+05:00">'
)
NAV = "<nav>" + " ".join(f'<a href="/section/{n}">Section {n}</a>' for n in range(30)) + "</nav>"


def teasers(count: int = 8) -> str:
    """Cards of other stories, each its own ``<article>``: linked title, a line of summary."""
    return "".join(
        f'<article class="card"><h3><a href="/story/{n}">Other story number {n} of the day</a>'
        f"</h3><p>A line of summary for story {n}.</p></article>"
        for n in range(count)
    )


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>{HEADLINE} | Example Times</title>{head}</head>"
        f"<body>{NAV}{body}<footer>© 2025 Example Times</footer></body></html>"
    )


def extract(url: str, html: str) -> ExtractionResult:
    return extract_page(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"))


def assert_article(result: ExtractionResult) -> None:
    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert result.item.title == HEADLINE
    assert result.item.body.startswith(PARAGRAPHS[0])


def assert_refused(result: ExtractionResult) -> None:
    assert result.item is None and result.reason == "not-article", result.signals


def test_a_page_1_query_is_not_a_listing() -> None:
    """The first page of a story split in pages, or a link carrying ``page=1``."""
    html = page(f"<main><h1>{HEADLINE}</h1>{SOME_TEXT}</main>", OG_ARTICLE)
    assert_article(extract("https://example.pk/story/flood-relief-camps-open?page=1", html))


def test_a_numeric_path_is_not_a_date_archive() -> None:
    """``/article/1234/1``: an id and a page number, not a year and a month."""
    html = page(f"<main><h1>{HEADLINE}</h1>{SOME_TEXT}</main>", OG_ARTICLE)
    assert_article(extract("https://example.pk/article/1234/1", html))


def test_teaser_cards_beside_an_og_article_do_not_make_a_listing() -> None:
    """A story (in a plain container or in an ``<article>`` of its own; long, or short among
    much link text) beside a rail of teaser cards and a long menu of links."""
    og_type = OG_ARTICLE.split('<meta property="article:published_time"')[0]
    for story, head in (
        (f"<div class='story'>{LONG_TEXT}</div>", og_type),
        (f"<article>{LONG_TEXT}</article>", og_type),
        (f"<div class='story'>{SOME_TEXT}</div>{NAV}{NAV}", OG_ARTICLE),
    ):
        html = page(f"<main><h1>{HEADLINE}</h1>{story}<aside>{teasers(12)}</aside></main>", head)
        assert_article(extract("https://example.pk/pakistan/flood-camps", html))


def test_an_article_without_metadata_is_kept() -> None:
    """No JSON-LD, no Open Graph, no date: a headline over a long text is enough."""
    html = page(f"<h1>{HEADLINE}</h1><div class='text'>{LONG_TEXT}</div>")
    assert_article(extract("https://example.pk/pakistan/flood-camps", html))


def test_a_long_article_with_metadata_is_kept_whatever_its_url() -> None:
    """URL shape is weak evidence: a section word in the path does not outvote the page."""
    html = page(
        f"<main><h1>{HEADLINE}</h1>{LONG_TEXT}</main><aside>{teasers()}</aside>", OG_ARTICLE
    )
    assert_article(extract("https://example.pk/category/pakistan/flood-camps", html))


def test_listings_are_still_refused() -> None:
    """A listing's later page, a listing with ``page=1``, and a home page with a long welcome
    text: teasers, link text and URL shape with no article metadata."""
    listing = page(f"<h1>Latest news</h1>{teasers(12)}")
    assert_refused(extract("https://example.pk/news?page=2", listing))
    assert_refused(extract("https://example.pk/news?page=1", listing))
    assert_refused(extract("https://example.pk/2025/08/", listing))
    home = page(f"<h1>Example Times</h1><div class='about'>{LONG_TEXT}</div>{teasers(12)}")
    assert_refused(extract("https://example.pk/", home))


def long_teasers(count: int = 20, tag: str = "div") -> str:
    """Teasers of other stories with long excerpts (two paragraphs each), as an archive shows
    them: a linked title, a date, the excerpt and a "Read more" link."""
    return "".join(
        f'<{tag} class="post"><h2><a href="/news/story-{n}">Story {n}: relief work goes on in '
        f'the district</a></h2><span class="date">4 August 2025</span><p>'
        f"{PARAGRAPHS[n % len(PARAGRAPHS)]} {PARAGRAPHS[(n + 1) % len(PARAGRAPHS)]}</p>"
        f'<a href="/news/story-{n}">Read more</a></{tag}>'
        for n in range(count)
    )


def assert_kept(result: ExtractionResult) -> None:
    """An article holding the story, whatever its title (a page with no headline element
    takes its <title>) and whatever stands before the story (a date line, an item's title)."""
    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert PARAGRAPHS[0] in result.item.body


def test_a_long_text_without_h1_is_an_article() -> None:
    """No headline element, no metadata: a long text is the page's content all the same."""
    html = page(f"<div class='text'>{LONG_TEXT}</div>")
    assert_kept(extract("https://example.pk/pakistan/flood-camps", html))


def test_a_body_split_over_many_containers_is_an_article() -> None:
    """Each paragraph in a block of its own (page builders): no one container holds much."""
    blocks = "".join(
        f"<div class='block'><div class='inner'><p>{p}</p></div></div>" for p in PARAGRAPHS
    )
    html = page(f"<h1>{HEADLINE}</h1><div class='content'>{blocks}</div>")
    assert_article(extract("https://example.pk/pakistan/flood-camps", html))


def test_an_info_page_with_a_headline_is_kept() -> None:
    """A service or information page: a headline over a text of medium length, no metadata."""
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:5])
    html = page(f"<h1>{HEADLINE}</h1><div class='text'>{text}</div>")
    assert_article(extract("https://example.pk/services/relief", html))


def test_a_medium_text_under_heavy_navigation_is_kept() -> None:
    """Menus with more link text than the page has text: the main text still stands apart."""
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:5])
    menus = NAV * 8
    html = page(f"{menus}<h1>{HEADLINE}</h1><p class='date'>4 August 2025</p>{text}{menus}")
    assert_kept(extract("https://example.pk/pakistan/flood-camps", html))


def test_a_listicle_of_article_items_is_an_article() -> None:
    """An ``<article>`` holding the headline and one ``<article>`` per item of the list."""
    items = "".join(
        f"<article class='item'><h3>Camp number {n}</h3><p>{p}</p></article>"
        for n, p in enumerate(PARAGRAPHS)
    )
    html = page(f"<article><h1>{HEADLINE}</h1>{items}</article><aside>{teasers(4)}</aside>")
    assert_kept(extract("https://example.pk/pakistan/flood-camps", html))


def test_a_listing_of_teasers_with_long_excerpts_is_refused() -> None:
    """Twenty teasers whose excerpts are long, as cards, list items or ``<article>``s, at a URL
    that does not look like a listing's: the main text is teasers, not one article."""
    for tag, wrap in (("div", "{}"), ("li", "<ul>{}</ul>"), ("article", "{}")):
        html = page(f"<main><h1>Latest news</h1>{wrap.format(long_teasers(20, tag))}</main>")
        assert_refused(extract("https://example.pk/latest-news", html))


def test_a_home_page_with_long_teasers_is_refused() -> None:
    html = page(f"<h1>Example Times</h1><div class='about'>{SOME_TEXT}</div>{long_teasers()}")
    assert_refused(extract("https://example.pk/", html))


def test_a_paginated_archive_is_refused() -> None:
    html = page(f"<h1>News archive</h1>{long_teasers()}")
    assert_refused(extract("https://example.pk/news/page/3/", html))
    assert_refused(extract("https://example.pk/2025/08/", html))


def test_a_search_results_page_is_refused() -> None:
    html = page(f"<h1>Search results for flood</h1>{long_teasers(10)}")
    assert_refused(extract("https://example.pk/search?q=flood", html))
    assert_refused(extract("https://example.pk/?s=flood", html))


def test_a_home_page_of_prose_without_teasers_is_kept() -> None:
    """A small site's home page (or an information page of a product category): a headline
    over a few paragraphs of prose and no teasers, at the root or a listing-typed address."""
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])
    html = page(f"<h1>{HEADLINE}</h1><div class='intro'>{text}</div>")
    assert_article(extract("https://example.pk/", html))
    collection = '<script type="application/ld+json">{"@type": "CollectionPage"}</script>'
    assert_article(extract("https://example.pk/products/relief", page(html, collection)))


def test_a_headline_linking_to_its_permalink_is_not_a_teaser() -> None:
    """A blog's home page showing its one latest post in full, the post's ``<h1>`` linking to
    the post's own address."""
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:5])
    html = page(
        f"<main><article><h1><a href='/2025/08/flood-relief-camps'>{HEADLINE}</a></h1>"
        f"<div class='content'>{text}</div></article></main>"
    )
    assert_article(extract("https://example.pk/", html))


def test_linked_user_names_are_not_teasers() -> None:
    """A forum thread: each post an ``<article>`` under its author's name, which links to the
    author's profile."""
    posts = "".join(
        f"<article class='message'><h4><a href='/members/user{n}.{n}/'>user{n}</a></h4>"
        f"<div class='message-body'><p>{p}</p></div></article>"
        for n, p in enumerate(PARAGRAPHS[:4])
    )
    html = page(f"<h1>{HEADLINE}</h1><div class='thread'>{posts}</div>")
    assert_kept(extract("https://example.pk/threads/flood-relief-camps.1234/", html))


def test_a_section_of_two_teasers_is_refused() -> None:
    """Two cards, each a linked title and a long excerpt that the extractor reads as one line
    with its title: a listing's first lines are teasers however few they are."""
    cards = "".join(
        f'<article class="card"><h3><a href="/news/story-{n}">Story {n}: relief work goes on'
        f"</a></h3><p>{PARAGRAPHS[n]} {PARAGRAPHS[n + 1]}</p></article>"
        for n in range(2)
    )
    assert_refused(extract("https://example.pk/section/pakistan", page(f"<main>{cards}</main>")))
