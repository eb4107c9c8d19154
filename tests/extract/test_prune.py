"""Auto mode: chrome removed before reading never takes the article with it.

Each page wraps the same article in a different piece of site chrome (or chrome-named markup);
the article's paragraphs must all reach the body, and the chrome around them must not."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from newscrawler.extract import extract_page

URL = "https://valleytimes.example/news/2025/08/12/river-valley-dam-funding-approved"
TITLE = "River valley dam funding approved after three years of delay"
PARAGRAPHS = (
    "The provincial cabinet on Tuesday approved the long-delayed funding for the River Valley"
    " dam, clearing the way for construction to begin before the end of the year after three"
    " years of disputes over cost and resettlement.",
    "Officials said the project would store enough water to irrigate some 40,000 acres of"
    " farmland in the lower valley and generate up to 120 megawatts of electricity once the"
    " turbines are installed in the second phase.",
    "Farmers' groups welcomed the decision but said the compensation offered to families living"
    " in the reservoir area was still too low, and called for an independent review of the land"
    " valuations before any village is moved.",
    "The finance minister told reporters that the cost had been revised to 84 billion rupees,"
    " of which a third would come from a development loan already negotiated with lenders, and"
    " the rest from the provincial budget over five years.",
    "Work on the access roads and the workers' camp is expected to start within weeks, and the"
    " first concrete is due to be poured in the spring, the irrigation department said in a"
    " statement issued after the meeting.",
)
MENU = tuple(
    f"{section} {topic}"
    for section in ("Pakistan", "World", "Business", "Sports", "Opinion", "Science", "Health")
    for topic in ("news", "analysis", "features", "video", "pictures")
)
TRENDING = tuple(
    f"Trending story number {n} about the markets, the weather and the cricket season"
    for n in range(20)
)
FOOTER_LINKS = ("About us", "Contact", "Advertise", "Privacy policy", "Terms of use", "Careers")


def html_response(html: str, url: str = URL) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8")


def links(texts: tuple[str, ...], path: str = "/section") -> str:
    return "".join(f'<li><a href="{path}/{n}">{text}</a></li>' for n, text in enumerate(texts))


def page(article: str, *, body_open: str = "<body>", body_close: str = "</body>") -> str:
    """A news page: a menu, the article, a sidebar of trending links and a footer, with more
    chrome text around the article than the article itself holds."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{TITLE} | Valley Times</title>"
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{TITLE}">'
        '<meta property="article:published_time" content="2025-08-12T18:30:00+05:00">'
        f"</head>{body_open}"
        f'<div class="site-header"><div class="main-menu"><ul>{links(MENU)}</ul></div></div>'
        f"{article}"
        '<div class="sidebar widget-area"><h3>Trending</h3>'
        f"<ul>{links(TRENDING, '/news')}</ul></div>"
        f'<div class="site-footer"><ul>{links(FOOTER_LINKS * 2, "/page")}</ul>'
        "<p>© 2025 Valley Times. All rights reserved.</p></div>"
        f"{body_close}</html>"
    )


def paragraphs(items: tuple[str, ...] = PARAGRAPHS) -> str:
    return "".join(f"<p>{text}</p>" for text in items)


def article(body_class: str, *, wrapper: str = "article-wrapper") -> str:
    return (
        f'<div class="{wrapper}"><article class="post">'
        f'<h1 class="entry-title">{TITLE}</h1>'
        '<div class="post-byline">By Staff Reporter | August 12, 2025</div>'
        f'<div class="{body_class}">{paragraphs()}</div></article></div>'
    )


def extracted_body(html: str, url: str = URL) -> str:
    result = extract_page(html_response(html, url))
    assert result.item is not None, f"{result.reason}: {result.detail}"
    return result.item.body


def assert_article_kept(body: str) -> None:
    for text in PARAGRAPHS:
        assert text in body
    for chrome in (TRENDING[0], "Privacy policy", "All rights reserved"):
        assert chrome not in body


def test_a_page_wrapped_in_one_form_keeps_its_article() -> None:
    form = (
        '<body><form method="post" action="./story.aspx?id=48213" id="aspnetForm">'
        '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg==">'
    )
    html = page(article("story-text"), body_open=form, body_close="</form></body>")
    assert_article_kept(extracted_body(html, "https://valleytimes.example/story.aspx?id=48213"))


def test_an_article_whose_class_says_sidebar_keeps_its_body() -> None:
    html = page(article("entry-content content-with-sidebar", wrapper="layout has-sidebar"))
    assert_article_kept(extracted_body(html))


def test_the_first_page_of_a_paginated_article_keeps_its_body() -> None:
    pager = (
        '<nav class="pagination"><a href="?page=1">1</a> <a href="?page=2">2</a>'
        ' <a href="?page=3">3</a> <a href="?page=2">Next</a></nav>'
    )
    html = page(article("story-body pagination-page page-1") + pager)
    body = extracted_body(html)
    assert_article_kept(body)
    assert "Next" not in body


def test_an_article_in_a_meta_field_wrapper_keeps_its_body() -> None:
    html = page(article("field field--name-body field--type-text-with-summary meta"))
    assert_article_kept(extracted_body(html))


def test_a_theme_block_named_like_chrome_around_the_article_keeps_it() -> None:
    """A CMS block whose id carries a theme name with a chrome word ("...-sassy-content"),
    around the page's one full ``<article>`` (its headline elsewhere, a teaser ``<article>``
    and more teaser text beside it than the article holds)."""
    teaser = "".join(
        f'<article class="node--view-mode-teaser"><a href="/news/{n}">{TRENDING[n]}</a>'
        f"<p>{TRENDING[n]}, with a line of summary that runs on for a while.</p></article>"
        for n in range(3)
    )
    body = (
        f'<div id="block-theme-page-title"><h1>{TITLE}</h1></div>'
        f'<div id="block-theme-sassy-content" class="block block-system-main-block">'
        f'<article class="node--view-mode-full">{paragraphs()}</article></div>'
        f'<div class="region-bottom">{teaser}{paragraphs(TRENDING[:12])}</div>'
    )
    assert_article_kept(extracted_body(page(body)))


def test_an_article_given_in_noscript_is_read() -> None:
    """A page rendered by a script, its article for readers without scripts in ``<noscript>``
    (and as a string in the script, which is not text)."""
    script = f"<script>var post = {{content: '{PARAGRAPHS[0]}'}};</script>"
    html = page(
        f'<div class="post"><h1>{TITLE}</h1><div class="post-body">{script}'
        f"<noscript>{paragraphs()}</noscript></div></div>"
    )
    assert_article_kept(extracted_body(html))


def test_live_ticker_entries_named_comment_are_the_article() -> None:
    """A live report: its entries are blocks named ``live-comment``, each with a body block
    named like them; together they hold most of the page's text outside links."""
    entries = "".join(
        f'<div class="live-comment slider-item {side}"><div class="live-comment-time">{90 - n}'
        f'\'</div><div class="live-comment-body">{text}</div></div>'
        for n, (side, text) in enumerate(zip(("left", "right") * 3, PARAGRAPHS, strict=False))
    )
    ticker = f'<div class="live-comments">{entries}</div>'
    html = page(f'<div class="match"><h1>{TITLE}</h1>{ticker}</div>')
    assert_article_kept(extracted_body(html))


POSTS = (
    "Construction of the River Valley dam finally has the go-ahead. The irrigation department"
    " will publish the tender for the access roads next week, and we expect work on site to"
    " start before the winter. Thank you to everyone who kept asking.",
    "Our union has written to the cabinet: no family leaves the reservoir area before the"
    " compensation is reviewed by someone independent. We are not against the dam, we are"
    " against being paid a fraction of what our land is worth.",
)


def embedded_post(text: str, author: str, handle: str) -> str:
    return (
        '<blockquote class="twitter-tweet social-embed" data-lang="en">'
        f'<p lang="en" dir="ltr">{text}</p>&mdash; {author} (@{handle}) '
        f'<a href="https://twitter.com/{handle}/status/1955">August 12, 2025</a></blockquote>'
    )


def test_embedded_social_posts_keep_their_text() -> None:
    body_html = (
        paragraphs(PARAGRAPHS[:2])
        + embedded_post(POSTS[0], "Irrigation Department", "IrrigationDept")
        + paragraphs(PARAGRAPHS[2:3])
        + embedded_post(POSTS[1], "Valley Farmers Union", "ValleyFarmers")
        + paragraphs(PARAGRAPHS[3:])
    )
    share = (
        '<div class="social-share"><a href="https://facebook.com/sharer">Facebook</a>'
        ' <a href="https://twitter.com/intent/tweet">Twitter</a>'
        ' <a href="https://wa.me/?text=dam">WhatsApp</a></div>'
    )
    html = page(
        f'<article class="post"><h1>{TITLE}</h1>{share}'
        f'<div class="entry-content">{body_html}</div>{share}</article>'
    )
    body = extracted_body(html)
    assert_article_kept(body)
    for text in POSTS:
        assert text in body
    assert "WhatsApp" not in body


def test_html_comments_do_not_cut_the_body_short() -> None:
    commented = tuple(text.replace(", ", ", <!-- inline ad slot --> ", 1) for text in PARAGRAPHS)
    body_html = "<!-- .entry-content -->".join(f"<p>{text}</p>" for text in commented)
    html = page(
        f'<article class="post"><h1>{TITLE}</h1><!-- byline -->'
        f'<div class="entry-content">{body_html}<!-- /.entry-content --></div></article>'
    )
    assert_article_kept(extracted_body(html))


URDU_TITLE = "دریائی وادی ڈیم کے لیے فنڈز کی منظوری"
URDU_PARAGRAPHS = (
    "صوبائی کابینہ نے منگل کو دریائی وادی ڈیم کے لیے طویل عرصے سے رکے ہوئے فنڈز کی منظوری دے دی،"
    " جس کے بعد تین سال کے تنازعات کے بعد رواں سال کے آخر تک تعمیر شروع ہونے کی راہ ہموار ہو گئی۔",
    "حکام کے مطابق منصوبے سے نچلی وادی کی تقریباً چالیس ہزار ایکڑ زمین سیراب ہو سکے گی اور دوسرے"
    " مرحلے میں ٹربائنیں نصب ہونے کے بعد ایک سو بیس میگاواٹ تک بجلی پیدا ہو گی۔",
    "کسان تنظیموں نے فیصلے کا خیرمقدم کیا لیکن کہا کہ ذخیرے کے علاقے میں رہنے والے خاندانوں کو"
    " دیا جانے والا معاوضہ اب بھی بہت کم ہے اور زمین کی قیمتوں کا آزادانہ جائزہ لیا جائے۔",
    "وزیر خزانہ نے صحافیوں کو بتایا کہ منصوبے کی لاگت کا نیا تخمینہ چوراسی ارب روپے ہے جس کا ایک"
    " تہائی پہلے سے طے شدہ ترقیاتی قرض سے اور باقی پانچ سال کے صوبائی بجٹ سے پورا کیا جائے گا۔",
)
URDU_CHROME = (
    "شائع شدہ: 12 اگست 2025، 06:30 شام",
    "اپ ڈیٹ: 13 اگست 2025",
    "ہمیں فیس بک، ٹوئٹر اور یوٹیوب پر فالو کریں",
    "فیس بک | ٹوئٹر | واٹس ایپ",
    "خبر شیئر کریں",
)
ENGLISH_CHROME = (
    "Published on 12 August 2025, 06:30 pm PKT",
    "Last updated: Aug 13, 2025 10:15 am",
    "Share this story on Facebook, Twitter and WhatsApp",
    "Facebook Twitter WhatsApp Email",
    "Follow Valley Times on Google News",
)


def chrome_page(lang: str, title: str, texts: tuple[str, ...], chrome: tuple[str, ...]) -> str:
    """An article whose body holds date-label, share and follow lines among its paragraphs."""
    lines = [f"<p>{line}</p>" for line in chrome[:2]]
    lines += [f"<p>{text}</p>" for text in texts[:2]]
    lines += [f"<p><strong>{line}</strong></p>" for line in chrome[2:3]]
    lines += [f"<p>{text}</p>" for text in texts[2:]]
    lines += [f"<p>{line}</p>" for line in chrome[3:]]
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2025-08-12T18:30:00+05:00">'
        f'</head><body><article><h1>{title}</h1><div class="entry-content">{"".join(lines)}'
        "</div></article></body></html>"
    )


def test_urdu_chrome_lines_are_dropped() -> None:
    html = chrome_page("ur", URDU_TITLE, URDU_PARAGRAPHS, URDU_CHROME)
    body = extracted_body(html, "https://waadi.example/news/2025/08/12/dam-funds")
    assert body == "\n\n".join(URDU_PARAGRAPHS)


def test_english_chrome_lines_are_dropped() -> None:
    html = chrome_page("en", TITLE, PARAGRAPHS, ENGLISH_CHROME)
    assert extracted_body(html) == "\n\n".join(PARAGRAPHS)


#: Facts of the dam as a table: a label, and a value a page builder wraps in <div>s.
FACTS = (
    ("Height", "Ninety-five metres above the river bed, with a crest road"),
    ("Reservoir", "Some 1.2 million acre-feet at the full supply level"),
    ("Turbines", "Four units of thirty megawatts each, in the second phase"),
)


def test_data_tables_are_read_as_tables() -> None:
    """A table of labelled values, each value after the empty ``<div>``s a page builder left,
    or in a ``<div>`` of its own: data, not page layout, so every label and value reaches the
    body, side by side."""
    empty = "<div><meta charset='utf-8'></div>" * 3
    rows = "".join(
        f"<tr><td><strong>{label}</strong></td><td>{empty}<span>{value}</span></td></tr>"
        for label, value in FACTS[:2]
    )
    rows += f"<tr><td>{FACTS[2][0]}</td><td><div>{FACTS[2][1]}</div></td></tr>"
    html = page(
        f'<article class="post"><h1>{TITLE}</h1><div class="entry-content">'
        f"{paragraphs(PARAGRAPHS[:2])}<table>{rows}</table>{paragraphs(PARAGRAPHS[2:])}"
        "</div></article>"
    )
    body = extracted_body(html)
    assert_article_kept(body)
    for label, value in FACTS:
        assert f"{label} | {value}" in body


def test_control_characters_in_the_markup_do_not_cut_the_body() -> None:
    """A BEL a CMS left in the page's text (and in its script): libxml2 reads text around such
    a character short, so they go before the page is parsed."""
    bell = tuple(text.replace(", ", ",\x07 ", 1) for text in PARAGRAPHS)
    script = "<script>var note = 'x\x07y';</script>"
    html = page(
        f'<article class="post"><h1>{TITLE}</h1>{script}'
        f'<div class="entry-content">{paragraphs(bell)}</div></article>'
    )
    assert_article_kept(extracted_body(html))
