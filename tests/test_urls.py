"""One canonical URL per article: tracking, fragments, hex case, ports, AMP, rel=canonical."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse

from newscrawler.urls import canonical_from_page, canonicalize_url, url_aliases

SLUG = "پاکستان-کی-میزبانی"
LOWER_HEX = quote(SLUG).lower()
UPPER_HEX = quote(SLUG)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://a.pk/news/1?utm_source=fb&utm_medium=social&id=2", "https://a.pk/news/1?id=2"),
        ("https://a.pk/x?fbclid=Iw&gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5", "https://a.pk/x"),
        ("https://a.pk/x?_ga=2.1&igshid=abc&b=2&a=1", "https://a.pk/x?a=1&b=2"),
        ("https://a.pk/x?ref=twitter", "https://a.pk/x"),
        ("https://a.pk/x?ref=12", "https://a.pk/x?ref=12"),  # a number is data, not a referrer
        ("https://a.pk/x?ref_src=twsrc", "https://a.pk/x"),
        ("https://a.pk/story#comments", "https://a.pk/story"),
        ("HTTPS://A.PK:443/Story", "https://a.pk/Story"),
        ("http://a.pk:80/", "http://a.pk/"),
        ("http://a.pk:8080/", "http://a.pk:8080/"),
        ("https://a.pk", "https://a.pk/"),
        (f"https://a.pk/{LOWER_HEX}/", f"https://a.pk/{UPPER_HEX}/"),
        (f"https://a.pk/{SLUG}/", f"https://a.pk/{UPPER_HEX}/"),
        ("https://a.pk/%7euser/%2f", "https://a.pk/~user/%2F"),
        ("https://a.pk/2025/07/story/amp/", "https://a.pk/2025/07/story/"),
        ("https://paktv.live/archives/7033/amp", "https://paktv.live/archives/7033/"),
        ("https://a.pk/story/?amp=1", "https://a.pk/story/"),
        ("https://a.pk/amp", "https://a.pk/amp"),  # a page named amp, not an AMP variant
        ("https://a.pk/x;jsessionid=AB12?id=3&PHPSESSID=9", "https://a.pk/x?id=3"),
        ("https://a.pk/?p=83562&share=facebook", "https://a.pk/?p=83562"),
    ],
)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_wordpress_and_browser_forms_of_an_urdu_slug_are_one_url() -> None:
    forms = {
        f"https://poslanews.com/{LOWER_HEX}/",
        f"https://poslanews.com/{UPPER_HEX}/",
        f"https://poslanews.com/{SLUG}/",
        f"https://poslanews.com/{UPPER_HEX}/?utm_source=whatsapp#respond",
    }
    assert len({canonicalize_url(form) for form in forms}) == 1


#: URL pieces: ASCII, reserved characters, Urdu and Latin-1 letters, percent escapes in both cases.
_URL_TEXT = st.lists(
    st.sampled_from([*"abcXYZ019-._~%/:@!$&'()*+,;=?# ", "پ", "ک", "é", "%d9", "%BE", "%2f", "%"]),
    max_size=20,
).map("".join)


@example(scheme="http", host="a.pk", path="", query=[("ref", "a ")], fragment="")
@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    host=st.sampled_from(["a.pk", "WWW.Example.COM", "127.0.0.1:8080", "b.pk:443", "c.pk:80"]),
    path=_URL_TEXT,
    query=st.lists(
        st.tuples(
            st.sampled_from(["utm_source", "id", "ref", "p", "q", "fbclid", "a b", "amp"]),
            _URL_TEXT,
        ),
        max_size=4,
    ),
    fragment=_URL_TEXT,
)
def test_canonicalize_url_is_idempotent(
    scheme: str, host: str, path: str, query: list[tuple[str, str]], fragment: str
) -> None:
    url = f"{scheme}://{host}/{path}?{'&'.join(f'{k}={v}' for k, v in query)}#{fragment}"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    parts = urlsplit(once)
    assert not parts.fragment and "#" not in once
    assert not {"utm_source", "fbclid"} & {key for key, _ in parse_qsl(parts.query)}


def page(url: str, canonical: str | None, **request_meta: object) -> HtmlResponse:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = f"<html><head>{link}</head><body><p>x</p></body></html>".encode()
    request = Request(url, meta=dict(request_meta))
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=request)


def test_rel_canonical_on_the_site_is_honoured() -> None:
    response = page("https://poslanews.com/?p=83562", f"https://poslanews.com/{LOWER_HEX}/")
    assert canonical_from_page(response, ["poslanews.com"]) == f"https://poslanews.com/{UPPER_HEX}/"


def test_rel_canonical_to_a_www_alias_or_relative_path_is_on_the_site() -> None:
    response = page("https://a.pk/news/1?utm_source=x", "/news/1-slug")
    assert canonical_from_page(response) == "https://a.pk/news/1-slug"
    response = page("https://a.pk/news/1", "https://www.a.pk/news/1")
    assert canonical_from_page(response, ["a.pk"]) == "https://www.a.pk/news/1"


@pytest.mark.parametrize(
    "declared",
    [
        "https://aggregator.example/story/1",  # another site claiming the article
        "https://a.pk/",  # a theme pointing every page at the home page
        "javascript:void(0)",
        "ftp://a.pk/news/1",
    ],
)
def test_rel_canonical_off_the_site_is_ignored(declared: str) -> None:
    response = page("https://a.pk/news/1?fbclid=x#top", declared)
    assert canonical_from_page(response, ["a.pk", "www.a.pk"]) == "https://a.pk/news/1"


def test_aliases_hold_redirect_sources_and_other_forms_once() -> None:
    final = f"https://poslanews.com/{UPPER_HEX}"
    response = page(
        final + "?utm_source=fb",
        f"https://poslanews.com/{LOWER_HEX}/",
        redirect_urls=["http://poslanews.com/?p=83562", "https://poslanews.com/?p=83562"],
    )
    canonical = canonical_from_page(response, ["poslanews.com"])
    assert url_aliases(response, canonical) == [
        "http://poslanews.com/?p=83562",
        "https://poslanews.com/?p=83562",
        final,
    ]


def test_a_response_without_request_has_only_its_own_url_as_alias() -> None:
    response = HtmlResponse(url="https://a.pk/x?id=1#f", body=b"<p>x</p>", encoding="utf-8")
    assert url_aliases(response, "https://a.pk/y") == ["https://a.pk/x?id=1"]
    assert url_aliases(response, "https://a.pk/x?id=1") == []
