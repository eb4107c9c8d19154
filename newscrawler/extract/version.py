"""Which extraction read an article: stored with it (``articles.extracted_with``), so that a
reprocess knows the rows an upgraded extractor or an edited profile would read otherwise."""

from __future__ import annotations

import hashlib

from newscrawler.profiles import Profile

#: Raised whenever a change to the extraction code changes what it reads from a page.
EXTRACTOR_VERSION = 1


def extraction_version(profile: Profile | None) -> str:
    """``x<EXTRACTOR_VERSION>/auto`` in auto mode; with a profile, its name and a digest of
    the rules that read fields (``x1/ispr@3f2a9c1b04de``): a profile edit changes it."""
    if profile is None:
        return f"x{EXTRACTOR_VERSION}/auto"
    rules = repr(
        (profile.site, profile.language, profile.fields, profile.discovery.article_selectors)
    )
    return f"x{EXTRACTOR_VERSION}/{profile.name}@{hashlib.sha256(rules.encode()).hexdigest()[:12]}"
