"""The content hash: equal for two texts that say the same thing in different spellings."""

from __future__ import annotations

import hashlib
import unicodedata


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 (hex) of the matching form of the title and body together."""
    text = f"{title or ''}\n\n{body or ''}"
    matching = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(matching.encode("utf-8")).hexdigest()
