"""Decoding: the HTTP charset is honoured unless the bytes prove it wrong; windows-1256 works."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawler.encoding import REPAIRED_STAT, REPLACED_STAT, choose_encoding, decoded_response
from newscrawler.extract import extract_page
from newscrawler.samples.server import Page, SampleSite
from storage.archive import Archive
from tests.support import newscrawler_command

TITLE = "آرمی چیف کا لائن آف کنٹرول کا دورہ"
#: Legacy windows-1256 pages type Arabic yeh (ي) for Urdu yeh and "." for the full stop:
#: windows-1256 has neither ی nor ۔.
TITLE_1256 = TITLE.replace("ی", "ي")
PARAGRAPHS = (
    "راولپنڈي: آرمي چيف نے لائن آف کنٹرول کا دورہ کيا اور اگلے مورچوں پر جوانوں سے ملاقات کي.",
    "انہيں علاقے کي سکيورٹي صورتحال اور آپريشنل تياريوں پر تفصيلي بريفنگ دي گئي.",
    "آرمي چيف نے جوانوں کے بلند حوصلے اور پيشہ ورانہ مہارت کو سراہا.",
)


def article_html(title: str, meta: str) -> str:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        f'<html lang="ur"><head>{meta}<title>{title}</title>'
        '<meta property="og:type" content="article"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


META_UTF8 = '<meta charset="utf-8">'
META_1256 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'


def response(body: bytes, content_type: str | None) -> HtmlResponse:
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url="https://a.pk/news/12345", body=body, headers=headers)


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_utf8_served_as_latin1_is_repaired_and_counted() -> None:
    page = response(article_html(TITLE, META_UTF8).encode(), "text/html; charset=iso-8859-1")
    assert "Ø" in page.text  # what Scrapy alone would archive: Ø§Ø±Ø¯Ùˆ-style mojibake
    collector = stats()

    fixed = decoded_response(page, collector)

    assert fixed.encoding == "utf-8" and TITLE in fixed.text
    assert collector.get_value(REPAIRED_STAT) == 1
    result = extract_page(fixed)
    assert result.item is not None and result.item.title == TITLE


def test_utf8_bytes_win_over_a_latin1_header_even_without_a_meta_charset() -> None:
    decision = choose_encoding(article_html(TITLE, "").encode(), "text/html; charset=ISO-8859-1")
    assert (decision.encoding, decision.source, decision.overruled) == (
        "utf-8",
        "utf-8 bytes",
        "cp1252",
    )


def test_windows_1256_with_a_correct_header_is_left_alone() -> None:
    body = article_html(TITLE_1256, META_1256).encode("cp1256")
    page = response(body, "text/html; charset=windows-1256")
    collector = stats()

    same = decoded_response(page, collector)

    assert same is page and TITLE_1256 in same.text
    assert collector.get_value(REPAIRED_STAT) is None


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=iso-8859-1", "text/html; charset=utf-8", "text/html"],
)
def test_windows_1256_under_a_wrong_or_missing_header_follows_its_meta(content_type: str) -> None:
    body = article_html(TITLE_1256, META_1256).encode("cp1256")
    fixed = decoded_response(response(body, content_type))
    assert fixed.encoding == "cp1256"
    result = extract_page(fixed)
    assert result.item is not None and result.item.title == TITLE_1256


def test_undeclared_windows_1256_bytes_are_recognised_as_arabic_script() -> None:
    body = article_html(TITLE_1256, "").encode("cp1256")
    decision = choose_encoding(body, "text/html; charset=utf-8")
    assert (decision.encoding, decision.source) == ("cp1256", "arabic bytes")


@pytest.mark.parametrize(
    ("body", "content_type", "encoding"),
    [
        ("<p>café à Lahore</p>".encode("cp1252"), "text/html; charset=iso-8859-1", "cp1252"),
        (b"<p>plain ASCII</p>", "text/html; charset=iso-8859-1", "cp1252"),
        ("\ufeff<p>اردو</p>".encode("utf-16-le"), "text/html; charset=iso-8859-1", "utf-16-le"),
        ("\ufeff<p>اردو</p>".encode(), "text/html; charset=windows-1256", "utf-8"),
        ("<p>اردو</p>".encode(), None, "utf-8"),
        ("<p>اردو</p>".encode(), "text/html; charset=windows-1256", "utf-8"),
        # A meta charset the bytes do not decode in does not overrule the header.
        (f"{META_UTF8}<p>café</p>".encode("cp1252"), "text/html; charset=iso-8859-1", "cp1252"),
        (f"{META_1256}<p>plain</p>".encode(), "text/html; charset=iso-8859-1", "cp1252"),
    ],
)
def test_honest_declarations_stand_and_a_bom_wins(
    body: bytes, content_type: str | None, encoding: str
) -> None:
    assert choose_encoding(body, content_type).encoding == encoding


def with_stray_byte(html: str) -> bytes:
    """The page's UTF-8 with one byte no UTF-8 text holds, between two words of its second
    paragraph."""
    body = html.encode()
    between = body.index(b" ", body.index(PARAGRAPHS[1].encode()))
    return body[:between] + b"\xff" + body[between:]


def inside_a_letter(html: str) -> bytes:
    """The page's UTF-8 with a stray byte inside one letter of its title: three U+FFFD."""
    body = html.encode()
    letter = body.index(TITLE.encode()) + 1
    return body[:letter] + b"\xff" + body[letter:]


def cut_short(html: str) -> bytes:
    """The page's UTF-8 cut off in the middle of its last Urdu letter, as a dropped connection
    or a server's size limit leaves it."""
    body = html.encode()
    last_letter = next(char for char in reversed(PARAGRAPHS[-1]) if ord(char) > 127)
    return body[: body.rindex(last_letter.encode()) + 1]


@pytest.mark.parametrize("damage", [with_stray_byte, cut_short])
@pytest.mark.parametrize(
    ("meta", "content_type"),
    [(META_UTF8, "text/html; charset=utf-8"), (META_UTF8, None), ("", None)],
)
def test_one_bad_byte_leaves_a_utf8_page_utf8(
    damage: Callable[[str], bytes], meta: str, content_type: str | None
) -> None:
    page = response(damage(article_html(TITLE, meta)), content_type)
    collector = stats()

    decoded = decoded_response(page, collector)

    assert decoded.encoding == "utf-8"
    assert TITLE in decoded.text and decoded.text.count("\ufffd") == 1
    assert collector.get_value(REPLACED_STAT) == 1
    result = extract_page(decoded)
    assert result.item is not None and result.item.title == TITLE


def test_utf8_with_a_stray_byte_wins_over_a_server_default_header() -> None:
    decision = choose_encoding(
        with_stray_byte(article_html(TITLE, META_UTF8)), "text/html; charset=iso-8859-1"
    )
    assert (decision.encoding, decision.overruled, decision.replaced) == ("utf-8", "cp1252", 1)


def test_a_stray_byte_inside_a_letter_is_one_broken_place() -> None:
    decision = choose_encoding(
        inside_a_letter(article_html(TITLE, META_UTF8)), "text/html; charset=utf-8"
    )
    assert (decision.encoding, decision.replaced) == ("utf-8", 3)


def test_windows_1256_bytes_are_no_broken_utf8() -> None:
    """Legacy Arabic-script bytes are almost never valid UTF-8: not taken for damaged UTF-8."""
    body = article_html(TITLE_1256, "").encode("cp1256")
    decision = choose_encoding(body, "text/html; charset=utf-8")
    assert (decision.encoding, decision.replaced) == ("cp1256", 0)


def test_non_text_responses_pass_unchanged() -> None:
    binary = Response(url="https://a.pk/x.pdf", body=b"%PDF-1.7")
    assert decoded_response(binary) is binary


def test_a_scrape_archives_mis_declared_pages_in_their_real_encoding(tmp_path: Path) -> None:
    """Through the real crawler: header lies, windows-1256 honest and lying, into SQLite."""
    site = SampleSite()
    site.add(
        "/news/10001",
        Page(article_html(TITLE, META_UTF8).encode(), content_type="text/html; charset=iso-8859-1"),
    )
    site.add(
        "/news/10002",
        Page(
            article_html(TITLE_1256, META_1256).encode("cp1256"),
            content_type="text/html; charset=windows-1256",
        ),
    )
    site.add(
        "/news/10003",
        Page(
            article_html(TITLE_1256, META_1256).encode("cp1256"),
            content_type="text/html; charset=iso-8859-1",
        ),
    )
    database = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with site:
        urls = [f"{site.url}/news/{n}" for n in (10001, 10002, 10003)]
        done = newscrawler_command("scrape", *urls, "--db", database, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    with Archive.open(database) as archive:
        articles = list(archive.iter_articles())
        aliases = archive.aliases(articles[0]["id"])
    # Decoded right, the three pages say the same thing (the cleaning pipeline maps the legacy
    # Arabic yeh to Urdu yeh): one article, the other two URLs its aliases. A wrong decoding
    # would have made a second article with another text.
    assert [row["title"] for row in articles] == [TITLE]
    assert articles[0]["url"] == urls[0]
    assert aliases == urls[1:]
