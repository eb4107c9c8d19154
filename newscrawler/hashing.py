"""The content hash: equal for two texts that say the same thing in different spellings."""

from __future__ import annotations

import hashlib

from newscrawler.text import search_form


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 (hex) of the search forms of the title and body: Arabic and Urdu letter forms,
    digits, invisible characters, case and spacing do not change it."""
    return hash_of_forms(search_form(title or ""), search_form(body or ""))


def hash_of_forms(title_form: str, body_form: str) -> str:
    """``content_hash`` from search forms a caller has already made."""
    return hashlib.sha256(f"{title_form}\n\n{body_form}".encode()).hexdigest()
