"""The content hash: equal for two texts that say the same thing in different spellings."""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from typing import Any

from newscrawler.text import search_form


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 (hex) of the search forms of the title and body: Arabic and Urdu letter forms,
    digits, invisible characters, case and spacing do not change it."""
    return _hash_of_forms(search_form(title or ""), search_form(body or ""))


def fill_search_forms(record: MutableMapping[str, Any]) -> None:
    """Give an article (item or record) the search forms of its title and body
    (``search_title``, ``search_body``: the text the archive's full-text index holds), and the
    content hash made of the same forms when it has none.

    Deduplication and the archive both call this, so an article's forms and hash are the same
    whichever makes them; one that has its forms keeps them (a body's form takes ~0.3 µs a
    character: made once a crawl, by the first of the two)."""
    if record.get("search_title") is not None and record.get("search_body") is not None:
        if not record.get("content_hash"):
            record["content_hash"] = _hash_of_forms(record["search_title"], record["search_body"])
        return
    title_form = search_form(record.get("title") or "")
    body_form = search_form(record.get("body") or "")
    record["search_title"], record["search_body"] = title_form, body_form
    if not record.get("content_hash"):
        record["content_hash"] = _hash_of_forms(title_form, body_form)


def _hash_of_forms(title_form: str, body_form: str) -> str:
    return hashlib.sha256(f"{title_form}\n\n{body_form}".encode()).hexdigest()
