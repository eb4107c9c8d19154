"""The release key: which stories are the English and the Urdu version of one ISPR press
release. The archive stores it with each story (``clusters.release_key``) and pairs them by it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newscrawler.dates import KARACHI

#: Press-release numbers as ISPR prints them ("No PR-123/2025-ISPR", "PR 123 / 2025 - ISPR").
PR_NUMBER_RE = re.compile(r"PR[-\s]*(\d+)\s*/\s*(\d{4})", re.IGNORECASE)


def release_key(extras: Mapping[str, Any] | None, published_at: datetime | None) -> str | None:
    """``PR-123/2025@2025-07-26``: the press-release number and date of an ISPR release, the
    same for its English and Urdu versions; None for an article without a PR number. Release
    dates are Pakistani dates."""
    match = PR_NUMBER_RE.search(str((extras or {}).get("pr_number") or ""))
    if match is None:
        return None
    day = (extras or {}).get("release_date")
    if not day and published_at is not None:
        day = published_at.astimezone(KARACHI).date().isoformat()
    return f"PR-{int(match[1])}/{match[2]}@{day or 'undated'}"
