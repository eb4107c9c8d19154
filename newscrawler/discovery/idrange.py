"""Enumeration of numbered pages (``detail?id=N``): which ids to ask for, when to stop, and
which ids turned out missing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d*)\s*$")


class Outcome(StrEnum):
    FOUND = "found"
    #: No article at this id: a 404, or a page without one.
    MISSING = "missing"
    #: A challenge or block page: whether an article is there is unknown.
    BLOCKED = "blocked"
    #: A timeout, a connection error or a server error after retries.
    FAILED = "failed"


def parse_id_range(text: str) -> tuple[int, int | None]:
    """``"7000-7100"`` → (7000, 7100); ``"7000-"`` → (7000, None), open-ended."""
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"not an id range (START-STOP or START-): {text!r}")
    start, stop = int(match.group(1)), int(match.group(2)) if match.group(2) else None
    if stop is not None and stop < start:
        raise ValueError(f"id range ends before it starts: {text!r}")
    return start, stop


@dataclass
class IdEnumeration:
    """Ids from ``start`` up to ``stop`` (inclusive), or, open-ended, until ``max_misses``
    ids in a row after the highest found one have no article.

    ``take`` hands out the next id to request; ``record`` takes its answer. Ids still
    unanswered keep an open enumeration going, since any of them may turn out found.
    """

    start: int
    stop: int | None
    max_misses: int
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    highest_found: int | None = None
    in_flight: int = 0
    _next: int = field(init=False)

    def __post_init__(self) -> None:
        self._next = self.start

    def take(self) -> int | None:
        """The next id to ask for, or None when the enumeration has gone far enough."""
        if self.stop is not None and self._next > self.stop:
            return None
        if self.stop is None:
            floor = self.start - 1 if self.highest_found is None else self.highest_found
            if self._next - floor > self.max_misses:
                return None
        taken, self._next = self._next, self._next + 1
        self.in_flight += 1
        return taken

    def record(self, page_id: int, outcome: Outcome) -> None:
        if page_id not in self.outcomes:
            self.in_flight -= 1
        self.outcomes[page_id] = outcome
        if outcome is Outcome.FOUND and (self.highest_found or 0) < page_id:
            self.highest_found = page_id

    def ids(self, outcome: Outcome) -> list[int]:
        """The ids with ``outcome``; for an open range, only those below the highest found id
        (ids past the newest page are not missing, only not published yet)."""
        limit = self.stop if self.stop is not None else self.highest_found
        if limit is None:
            return []
        return sorted(i for i, o in self.outcomes.items() if o is outcome and i <= limit)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o is outcome)

    def range_text(self) -> str:
        """The ids asked for, as ``START-LAST``."""
        return f"{self.start}-{self._next - 1}"


def format_ranges(ids: Iterable[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` → ``"1-3,7,9-10"``."""
    spans: list[list[int]] = []
    for page_id in sorted(set(ids)):
        if spans and page_id == spans[-1][1] + 1:
            spans[-1][1] = page_id
        else:
            spans.append([page_id, page_id])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
