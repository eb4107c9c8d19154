"""The content hash: equal for two texts that say the same thing in different spellings."""

from __future__ import annotations

import hashlib

from newscrawler.text import search_form


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 (hex) of the search form of the title and body together: Arabic and Urdu letter
    forms, digits, invisible characters, case and spacing do not change it."""
    text = f"{title or ''}\n\n{body or ''}"
    return hashlib.sha256(search_form(text).encode("utf-8")).hexdigest()
