"""Generated news articles, and the site class that serves them."""

from __future__ import annotations

import hashlib
import random
import time
from collections import deque
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

from newscrawler.samples.server import Page, SampleSite

_EN_WORDS = [
    "army",
    "navy",
    "air",
    "force",
    "delegation",
    "minister",
    "visit",
    "border",
    "security",
    "training",
    "exercise",
    "commander",
    "troops",
    "ceremony",
    "cooperation",
    "region",
    "peace",
    "operation",
    "flood",
    "relief",
    "province",
    "parliament",
    "budget",
    "economy",
    "talks",
    "agreement",
    "officials",
    "statement",
    "conference",
]
_UR_WORDS = [
    "فوج",
    "بحریہ",
    "فضائیہ",
    "وفد",
    "وزیر",
    "دورہ",
    "سرحد",
    "سلامتی",
    "تربیت",
    "مشق",
    "کمانڈر",
    "جوان",
    "تقریب",
    "تعاون",
    "خطہ",
    "امن",
    "آپریشن",
    "سیلاب",
    "امداد",
    "صوبہ",
    "پارلیمان",
    "بجٹ",
    "معیشت",
    "مذاکرات",
    "معاہدہ",
    "حکام",
    "بیان",
    "کانفرنس",
]
#: What joins the news words of an English sentence: English prose is two words in five of
#: these, and a crawl reads such a text as English without a language model.
_EN_JOINS = ["of the", "and the", "in the", "for the", "with the", "said that the", "at the"]
FIRST_DAY = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Story:
    """One generated article: what its page says, for building and for checking."""

    number: int
    language: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    category: str
    tag: str

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def slug(self) -> str:
        return "-".join(self.title.lower().split())


def generate_stories(
    count: int, *, seed: int = 11, categories: tuple[str, ...] = ()
) -> list[Story]:
    """``count`` distinct stories, one in three in Urdu, one every three hours from 2025-01-01
    (5,000 stories stay in the past: a date in the future is no publication date)."""
    rng = random.Random(seed)
    cats = categories or ("pakistan", "world", "sports")
    return [_story(rng, n, cats) for n in range(1, count + 1)]


def _story(rng: random.Random, n: int, categories: tuple[str, ...]) -> Story:
    urdu = n % 3 == 0
    words = _UR_WORDS if urdu else _EN_WORDS
    stop = "۔" if urdu else "."

    def sentence(length: int) -> str:
        chosen = [rng.choice(words) for _ in range(length)]
        if urdu:
            return " ".join(chosen) + stop
        pairs = [" ".join(chosen[i : i + 2]) for i in range(0, length, 2)]
        joined = pairs[0]
        for pair in pairs[1:]:
            joined += f" {rng.choice(_EN_JOINS)} {pair}"
        return f"The {joined}{stop}"

    title = " ".join(rng.choice(words) for _ in range(5)) + f" {n}"
    if not urdu:
        title = title.capitalize()
    paragraphs = tuple(" ".join(sentence(rng.randint(8, 14)) for _ in range(3)) for _ in range(4))
    return Story(
        number=n,
        language="ur" if urdu else "en",
        title=title,
        paragraphs=paragraphs,
        published=FIRST_DAY + timedelta(hours=3 * n + n % 3),
        category=categories[n % len(categories)],
        tag=f"topic-{n % 4}",
    )


class NewsSite(SampleSite):
    """A ``SampleSite`` that looks pages up by their decoded path (``%d9%be``, ``%D9%BE`` and
    ``پ`` are one page, as on a real server) and can script a path's successive answers. With
    ``validators`` every page it is given carries an ETag and answers conditional GETs."""

    def __init__(self, pages: dict[str, Page] | None = None, *, validators: bool = False) -> None:
        super().__init__()
        self.validators = validators
        self._scripts: dict[str, deque[Page]] = {}
        #: When each path was asked for (monotonic seconds), for tests of request pacing.
        self.times: dict[str, list[float]] = {}
        for path, page in (pages or {}).items():
            self.add(path, page)

    def add(self, path: str, page: Page | str) -> None:
        if self.validators:
            page = page if isinstance(page, Page) else Page(page.encode("utf-8"))
            etag = '"' + hashlib.sha1(page.body, usedforsecurity=False).hexdigest()[:16] + '"'
            page = replace(page, headers={"ETag": etag, **page.headers})
        super().add(_key(path), page)

    def remove(self, path: str) -> None:
        super().remove(_key(path))

    def script(self, path: str, answers: list[Page]) -> None:
        """Answer ``path`` with ``answers`` in turn; the last one stays."""
        self._scripts[_key(path)] = deque(answers)

    def lookup(self, path: str) -> Page:
        key = _key(path)
        self.times.setdefault(key, []).append(time.monotonic())
        answers = self._scripts.get(key)
        if answers:
            return answers.popleft() if len(answers) > 1 else answers[0]
        return super().lookup(key)

    def absolute(self, path: str) -> str:
        return f"{self.url}{path}"


def _key(path: str) -> str:
    parts = urlsplit(path)
    key = unquote(parts.path)
    return f"{key}?{unquote(parts.query)}" if parts.query else key


def html_page(title: str, body: str, *, head: str = "", lang: str = "en") -> str:
    """A small HTML document."""
    direction = ' dir="rtl"' if lang == "ur" else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"{direction}><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head>\n<body>{body}</body></html>\n"
    )
