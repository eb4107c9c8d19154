"""Two local sites that carry the same stories: an ISPR-like site and a WordPress republisher."""

from __future__ import annotations

import random

from newscrawler.samples import labelled
from newscrawler.samples.ispr import Release
from newscrawler.samples.news import Story

REPUBLISHER = """\
extends = "wordpress"
name = "republisher"
site = "republisher"
hosts = ["127.0.0.1"]
base_url = "{url}/"
"""


def ispr_release(release: labelled.Release, number: int) -> Release:
    return Release(7000 + number, release.language, release.title, release.paragraphs,
                   release.released.date())  # fmt: skip


def republished(release: labelled.Release, number: int, rng: random.Random) -> Story:
    copy = labelled.republish(rng, release, "republisher", slug=release.story)
    return Story(
        number=number,
        language=release.language,
        title=f"{copy.title} {number}",  # distinct slugs for twins with one headline
        paragraphs=tuple(copy.body.split("\n\n")),
        published=copy.published_at,
        category="pakistan",
        tag="ispr",
    )
