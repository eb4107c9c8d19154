"""When an archived article is due for a re-check: more often while it is young.

A schedule is a list of tiers, ``AGE:INTERVAL`` separated by commas, the last one with age
``*``: an article younger than AGE is re-checked once INTERVAL has passed since it was last
checked. Durations are a number and a unit (``s``, ``m``, ``h``, ``d``, ``w``) or ``0``; an
interval of ``never`` stops re-checks. ``2d:1h,14d:1d,*:7d``, for instance, re-checks an
article at most hourly for its first two days, daily until two weeks, weekly after that. An
article's age counts from its publication date; one whose date is unknown is treated as old
(last tier). The crawl's schedule is ``NEWSCRAWLER_RECHECK_SCHEDULE`` (docs/settings.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_UNITS = {
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_DURATION = re.compile(r"^(\d+)([smhdw])$")


@dataclass(frozen=True)
class Tier:
    #: Articles younger than this (None: any age) ...
    younger_than: timedelta | None
    #: ... are re-checked once this has passed since the last check (None: never).
    every: timedelta | None


class RecheckSchedule:
    """Tiers by article age; see the module documentation for the notation."""

    def __init__(self, tiers: tuple[Tier, ...]) -> None:
        if not tiers or tiers[-1].younger_than is not None:
            raise ValueError("a re-check schedule ends with a '*:INTERVAL' tier")
        self.tiers = tiers

    @classmethod
    def parse(cls, text: str) -> RecheckSchedule:
        tiers = []
        for part in (p.strip() for p in text.split(",")):
            age, sep, every = part.partition(":")
            if not sep:
                raise ValueError(f"re-check tier {part!r} is not AGE:INTERVAL")
            younger_than = None if age.strip() == "*" else parse_duration(age)
            tiers.append(
                Tier(younger_than, None if every.strip() == "never" else parse_duration(every))
            )
        return cls(tuple(tiers))

    def tier(self, published_at: datetime | None, now: datetime) -> Tier:
        if published_at is not None:
            age = now - published_at
            for tier in self.tiers[:-1]:
                assert tier.younger_than is not None
                if age < tier.younger_than:
                    return tier
        return self.tiers[-1]

    def is_due(self, *, published_at: datetime | None, checked_at: datetime, now: datetime) -> bool:
        every = self.tier(published_at, now).every
        return every is not None and now - checked_at >= every


def parse_duration(text: str) -> timedelta:
    text = text.strip()
    if text == "0":
        return timedelta(0)
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration such as 30m, 6h, 2d or 1w")
    return int(match.group(1)) * _UNITS[match.group(2)]
