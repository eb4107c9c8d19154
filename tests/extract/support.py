"""Stored pages, ``pages/<profile>/<name>.html`` beside ``<name>.json``, and how one is read:
one code path for the tests that compare a page with its JSON and for the script that
rewrites the JSON (``python -m tests.extract.regenerate``)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.http import HtmlResponse

from newscrawler.extract import ExtractionResult, extract_page
from newscrawler.profiles import Profile, find_profile

PAGES = Path(__file__).with_name("pages")
CASES = sorted(PAGES.glob("*/*.json"))
#: The crawl time of the stored pages unless the case says otherwise.
DEFAULT_NOW = "2025-08-15T12:00:00+05:00"
#: The item's fields a page's JSON expects, in the order they are written.
EXPECTED_FIELDS = (
    "url",
    "site",
    "title",
    "body",
    "published_at",
    "modified_at",
    "authors",
    "images",
    "aliases",
    "extras",
)
DATE_FIELDS = ("published_at", "modified_at")


class StoredPage(NamedTuple):
    response: HtmlResponse
    #: The page's JSON: how it was fetched, and what it is expected to give.
    spec: dict[str, Any]
    #: The crawl time relative dates on the page are read against.
    now: datetime
    result: ExtractionResult


def page_name(case: Path) -> str:
    """``<profile>/<name>``: how tests and the regenerating script name a stored page."""
    return f"{case.parent.name}/{case.stem}"


def page_response(case: Path) -> tuple[HtmlResponse, dict[str, Any]]:
    spec = json.loads(case.read_text("utf-8"))
    headers = {"Content-Type": spec.get("content_type", "text/html; charset=utf-8")}
    request = Request(spec["url"], meta={"redirect_urls": spec.get("redirect_urls", [])})
    response = HtmlResponse(
        url=spec["url"],
        body=case.with_suffix(".html").read_bytes(),
        encoding=spec.get("encoding", "utf-8"),
        status=spec.get("status", 200),
        headers=headers,
        request=request,
    )
    return response, spec


def profile_for(case: Path) -> Profile | None:
    folder = case.parent.name
    return None if folder == "generic" else find_profile(folder)


def read_stored_page(case: Path) -> StoredPage:
    """The page of ``case`` extracted as its JSON says it was fetched, with its profile and
    the titles crawls learned its site puts on every page (``site_titles``)."""
    response, spec = page_response(case)
    now = datetime.fromisoformat(spec.get("now", DEFAULT_NOW))
    site_titles = spec.get("site_titles", ())
    result = extract_page(response, profile_for(case), now=now, site_titles=site_titles)
    return StoredPage(response, spec, now, result)


def expected_of(result: ExtractionResult) -> dict[str, Any]:
    """What a page's JSON holds as ``expected`` for ``result``: the item's fields, dates in
    ISO form, or ``{"reason": ...}`` for a page that holds no article."""
    if result.item is None:
        return {"reason": str(result.reason)}
    item = ItemAdapter(result.item)
    return {
        name: iso(item[name]) if name in DATE_FIELDS else item[name] for name in EXPECTED_FIELDS
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
