"""Signals the re-fetch middleware sends and the archive sink records, so the sink stays the one
writer of the archive."""

from __future__ import annotations

#: An archived article answered 304 Not Modified. Arguments: ``url``, ``seen_at``.
article_not_modified = object()

#: An archived article answered 404 or 410. Arguments: ``url``, ``http_status``, ``detected_at``.
article_removed = object()
