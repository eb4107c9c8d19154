"""Auto mode: article signals, page layouts the generic extractor must read, chrome lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from newscrawler.extract import article_signals, extract_page
from newscrawler.extract.boilerplate import is_chrome_line
from newscrawler.extract.signals import url_evidence

PAGES = Path(__file__).with_name("pages")
PARAGRAPHS = (
    "آرمی چیف نے لائن آف کنٹرول کا دورہ کیا اور اگلے مورچوں پر تعینات جوانوں سے ملاقات کی۔",
    "انہیں علاقے کی سکیورٹی صورتحال اور آپریشنل تیاریوں پر تفصیلی بریفنگ دی گئی۔",
    "آرمی چیف نے جوانوں کے بلند حوصلے اور پیشہ ورانہ مہارت کو سراہا۔",
    "اس موقع پر دہشت گردی کے خلاف جنگ میں قربانیوں کو خراج عقیدت پیش کیا گیا۔",
)
TITLE = "آرمی چیف کا لائن آف کنٹرول کا دورہ"
HEAD = (
    f'<html lang="ur"><head><meta charset="utf-8"><title>{TITLE} | روزنامہ مثال</title>'
    '<meta property="og:site_name" content="روزنامہ مثال"></head><body>'
    '<nav><a href="/">ہوم</a> <a href="/pakistan">پاکستان</a></nav>'
)
LAYOUTS = {
    "paragraphs": "".join(f"<p>{p}</p>" for p in PARAGRAPHS),
    "br-lines": "<div class='news-detail'>" + "<br><br>".join(PARAGRAPHS) + "</div>",
    "div-blocks": "<div class='story'>" + "".join(f"<div>{p}</div>" for p in PARAGRAPHS) + "</div>",
    "layout-table": "<table><tr><td class='text'>" + "<p>".join(PARAGRAPHS) + "</td></tr></table>",
    "span-wrapper": "<span class='story-text'>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</span>",
}


def html_response(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_auto_mode_reads_every_common_layout(layout: str) -> None:
    html = (
        f"{HEAD}<h1>{TITLE}</h1>{LAYOUTS[layout]}<footer>جملہ حقوق محفوظ ہیں</footer></body></html>"
    )
    result = extract_page(html_response("https://misaal.pk/story/123456/army-chief", html))
    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert result.item.title == TITLE
    assert result.item.body == "\n\n".join(PARAGRAPHS)
    assert result.item.site == "misaal.pk"


@pytest.mark.parametrize(
    ("url", "evidence"),
    [
        ("https://a.pk/", ["url:root"]),
        ("https://a.pk/?p=83562", ["url:article"]),
        ("https://a.pk/tag/ispr/", ["url:listing"]),
        ("https://a.pk/category/pakistan/page/3/", ["url:listing"]),
        ("https://a.pk/author/admin/", ["url:listing"]),
        ("https://a.pk/2025/07/", ["url:listing"]),
        ("https://a.pk/search?q=army", ["url:listing"]),
        ("https://a.pk/?s=army", ["url:listing"]),
        ("https://a.pk/2025/07/27/army-chief/", ["url:article"]),
        ("https://a.pk/26-Jul-2025/1234567", ["url:article"]),
        ("https://a.pk/news/1234567", ["url:article"]),
        ("https://paktv.live/archives/7033", ["url:article"]),
        (
            "https://a.pk/%D8%A2%D8%B1%D9%85%DB%8C-%DA%86%DB%8C%D9%81-%DA%A9%D8%A7-%D8%AF%D9%88%D8%B1%DB%81/",
            ["url:article"],
        ),
        ("https://a.pk/about-us/", []),
        ("https://ispr.gov.pk/press-release-detail.php?id=7123", ["url:article"]),
        ("https://ispr.gov.pk/press-release-archive.php?cat=army", ["url:listing"]),
    ],
)
def test_url_shapes(url: str, evidence: list[str]) -> None:
    assert url_evidence(url) == evidence


def stored(folder: str, name: str, url: str) -> HtmlResponse:
    body = (PAGES / folder / f"{name}.html").read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8")


def test_an_article_page_scores_high_and_a_listing_low() -> None:
    article = article_signals(
        stored("generic", "en_news", "https://dailyexample.pk/news/2025/07/26/hosts-conference")
    )
    listing = article_signals(
        stored("generic", "category_listing", "https://dailyexample.pk/category/pakistan/")
    )
    assert article.is_article and article.score >= 0.9
    assert {"jsonld:article", "og:article", "date", "one-article-element"} <= set(article.evidence)
    assert not listing.is_article and listing.score == 0.0
    assert {"url:listing", "many-article-elements"} <= set(listing.evidence)


def test_a_listing_at_an_article_like_url_is_still_not_an_article() -> None:
    """Teasers under many <article>s and mostly link text, at a URL with a long slug."""
    teasers = "".join(
        f'<article><h2><a href="/news/{n}">{TITLE} {n}</a></h2><p><a href="/news/{n}">'
        f"{PARAGRAPHS[0]}</a></p></article>"
        for n in range(8)
    )
    html = f"{HEAD}<h1>تازہ ترین خبریں</h1>{teasers}</body></html>"
    result = extract_page(html_response("https://misaal.pk/latest-news-from-pakistan-today", html))
    assert result.item is None and result.reason == "not-article"
    assert result.signals is not None and "many-article-elements" in result.signals.evidence


@pytest.mark.parametrize(
    "line",
    [
        "Share this:",
        "Share on Facebook",
        "Like this:",
        "Related",
        "Related Posts",
        "Read also: Army chief visits the Line of Control",
        "You may also like",
        "Leave a Comment",
        "Leave a Reply",
        "3 Comments",
        "Your email address will not be published. Required fields are marked *",
        "Tags: ISPR, Army",
        "Posted in Pakistan",
        "Previous post",
        "Scroll to Top",
        "Advertisement",
        "We use cookies to improve your experience. Accept",
        "© 2025 The Daily Example. All rights reserved.",
        "Copyright 2025 Posla News | Powered by Astra WordPress Theme",
        "News Image",
        "DATE . July/27/2025",
        "Updated: 3 Aug 2025",
        "شیئر کریں",
        "یہ بھی پڑھیں: آرمی چیف کا لائن آف کنٹرول کا دورہ",
        "مزید پڑھیں",
        "متعلقہ خبریں",
        "تبصرے",
        "اپنا تبصرہ بھیجیں",
        "جملہ حقوق محفوظ ہیں © 2025 روزنامہ مثال",
        "تاریخ اشاعت: 27 جولائی 2025ء",
        "فائل فوٹو",
    ],
)
def test_chrome_lines_are_recognised(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related to the visit, the army chief said the region needed lasting peace.",
        "Share prices rose at the Pakistan Stock Exchange on Monday.",
        "Comments by the minister drew criticism from the opposition.",
        "Date of the next conference was fixed for 12 August by the committee.",
        "Imagine a region at peace, the army chief told the conference.",
        "تبصرہ نگاروں کے مطابق کانفرنس علاقائی تعاون کے لیے اہم تھی۔",
        "آرمی چیف نے جوانوں کے بلند حوصلے اور پیشہ ورانہ مہارت کو سراہا۔",
        "شیئر ہولڈرز کا اجلاس کل ہوگا۔",
    ],
)
def test_article_sentences_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


@pytest.mark.parametrize(
    "response",
    [
        XmlResponse("https://a.pk/feed/", body=b"<?xml version='1.0'?><rss><channel/></rss>"),
        TextResponse("https://a.pk/robots.txt", body=b"User-agent: *\nDisallow:"),
        Response("https://a.pk/report.pdf", body=b"%PDF-1.7"),
    ],
    ids=["feed", "plain-text", "pdf"],
)
def test_feeds_text_and_binaries_are_not_html(response: Response) -> None:
    result = extract_page(response)
    assert result.item is None and result.reason == "not-html"


def test_an_application_name_that_is_the_headline_is_not_the_site_name() -> None:
    html = (
        f'<html lang="ur"><head><meta charset="utf-8"><title>{TITLE}</title>'
        f'<meta name="application-name" content="{TITLE}"></head><body>'
        f"<h1>{TITLE}</h1>{LAYOUTS['paragraphs']}</body></html>"
    )
    result = extract_page(html_response("https://misaal.pk/story/123456/army-chief", html))
    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert result.item.title == TITLE


def test_the_headline_is_not_repeated_at_the_top_of_the_body() -> None:
    headline = "Army chief visits the Line of Control"
    paragraphs = [
        "The Chief of Army Staff visited forward positions along the Line of Control on Monday.",
        "He was briefed on the operational preparedness of the formation and met the troops.",
        "The visiting dignitary appreciated the professionalism and high morale of the troops.",
    ]
    html = (
        f"<html><head><title>{headline} | The Daily Example</title>"
        '<meta property="og:site_name" content="The Daily Example"></head><body>'
        f"<h1>{headline}</h1><article><p><b>{headline.upper()}:</b></p>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    result = extract_page(html_response("https://example.pk/news/2025/08/army-chief-loc", html))
    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert result.item.title == headline
    assert result.item.body == "\n\n".join(paragraphs)


def test_the_site_name_is_not_the_first_body_line() -> None:
    html = (
        f"{HEAD}<h1>{TITLE}</h1><div class='story'><p>روزنامہ مثال</p>"
        f"{LAYOUTS['paragraphs']}</div></body></html>"
    )
    result = extract_page(html_response("https://misaal.pk/story/123456/army-chief", html))
    assert result.item is not None, f"{result.reason}: {result.detail}"
    assert result.item.body == "\n\n".join(PARAGRAPHS)
