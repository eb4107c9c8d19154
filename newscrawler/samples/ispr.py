"""An ISPR-like press-release site: generated releases, their listing pages, and a server.

Run ``python -m newscrawler.samples.ispr --articles 500`` to serve a generated site from a
separate process (the benchmarks do).
"""

from __future__ import annotations

import argparse
import html
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from newscrawler.samples.server import SampleSite

_EN_SUBJECTS = [
    "Chief of Army Staff",
    "Chairman Joint Chiefs of Staff Committee",
    "Corps Commander Peshawar",
    "Chief of the Naval Staff",
    "Chief of the Air Staff",
    "A delegation of the Royal Saudi Land Forces",
]
_EN_VERBS = ["visited", "inspected", "inaugurated", "addressed", "reviewed", "met troops at"]
_EN_PLACES = [
    "the Line of Control",
    "North Waziristan",
    "Gwadar Port",
    "the National Defence University",
    "Rawalpindi",
    "Siachen",
    "Karachi Dockyard",
    "Quetta Garrison",
]
_EN_FILLER = [
    "He was briefed on the operational preparedness of the formation.",
    "The visiting dignitary appreciated the professionalism of the troops.",
    "Matters of mutual interest and regional security were discussed.",
    "He lauded the sacrifices rendered by the officers and men in the fight against terrorism.",
    "Earlier, on arrival, he was received by the commander concerned.",
    "The participants reaffirmed their resolve to strengthen bilateral cooperation.",
    "He also laid a floral wreath at the memorial of martyrs.",
    "Training exercises, logistics and welfare projects came under review.",
]
_UR_SUBJECTS = ["آرمی چیف", "چیئرمین جوائنٹ چیفس آف اسٹاف کمیٹی", "کور کمانڈر پشاور", "نیول چیف"]
_UR_PLACES = ["لائن آف کنٹرول", "شمالی وزیرستان", "گوادر", "سیاچن", "کوئٹہ", "کراچی"]
_UR_FILLER = [
    "آئی ایس پی آر کے مطابق انہیں علاقے کی سکیورٹی صورتحال پر بریفنگ دی گئی۔",
    "انہوں نے جوانوں کے بلند حوصلے اور پیشہ ورانہ مہارت کو سراہا۔",
    "اس موقع پر دہشت گردی کے خلاف جنگ میں قربانیوں کو خراج عقیدت پیش کیا گیا۔",
    "ملاقات میں باہمی دلچسپی کے امور اور علاقائی سلامتی پر تبادلہ خیال کیا گیا۔",
    "انہوں نے شہداء کی یادگار پر پھولوں کی چادر چڑھائی۔",
    "دونوں جانب سے دوطرفہ تعاون کو مزید مضبوط بنانے کے عزم کا اعادہ کیا گیا۔",
]
_UR_MONTHS = [
    "جنوری",
    "فروری",
    "مارچ",
    "اپریل",
    "مئی",
    "جون",
    "جولائی",
    "اگست",
    "ستمبر",
    "اکتوبر",
    "نومبر",
    "دسمبر",
]

FIRST_RELEASE_ID = 7000
FIRST_RELEASE_DATE = date(2025, 1, 1)


@dataclass(frozen=True)
class Release:
    """One generated press release: what the page says, for building and for checking."""

    id: int
    language: str
    title: str
    paragraphs: tuple[str, ...]
    released: date

    @property
    def path(self) -> str:
        return f"/press-release-detail.php?id={self.id}"

    @property
    def pr_number(self) -> str:
        return f"PR-{self.id - FIRST_RELEASE_ID + 1}/{self.released.year}-ISPR"

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def generate_releases(count: int, *, seed: int = 7) -> list[Release]:
    """``count`` releases with distinct ids, one in four in Urdu, one per day from 2025-01-01."""
    rng = random.Random(seed)
    return [_release(rng, FIRST_RELEASE_ID + n, n) for n in range(count)]


def _release(rng: random.Random, release_id: int, n: int) -> Release:
    released = FIRST_RELEASE_DATE + timedelta(days=n % 600)
    if n % 4 == 3:
        subject, place = rng.choice(_UR_SUBJECTS), rng.choice(_UR_PLACES)
        title = f"{subject} کا {place} کا دورہ"
        opening = f"{subject} نے {place} کا دورہ کیا جہاں ریلیز نمبر {release_id} جاری ہوئی۔"
        filler = rng.sample(_UR_FILLER, 3)
        return Release(release_id, "ur", title, (opening, *filler), released)
    subject, verb, place = rng.choice(_EN_SUBJECTS), rng.choice(_EN_VERBS), rng.choice(_EN_PLACES)
    title = f"{subject.upper()} {verb.upper()} {place.upper()}"
    opening = (
        f"{subject} {verb} {place} today, release {release_id} of Inter Services Public "
        f"Relations said."
    )
    filler = rng.sample(_EN_FILLER, 3)
    return Release(release_id, "en", title, (opening, *filler), released)


def release_page(release: Release) -> str:
    """A detail page in the markup of ispr.gov.pk (single-quoted content class included)."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in release.paragraphs)
    if release.language == "ur":
        d = release.released
        dateline = f"راولپنڈی - {d.day} {_UR_MONTHS[d.month - 1]} {d.year}ء"
        lang = "ur"
    else:
        dateline = f"Rawalpindi - {release.released.strftime('%B %-d, %Y')}"
        lang = "en"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>ISPR | Press Release</title></head>
<body>
<header class="site-header"><nav><a href="/">Home</a>
<a href="/press-release-archive.php?cat=army">Press Releases</a></nav></header>
<div class="media">
<h4 class="media-heading">No {html.escape(release.pr_number)}</h4>
<h4 class="media-date">{html.escape(dateline)}</h4>
<div class='content-text'>
<p>{html.escape(release.title)}</p>
{paragraphs}
<p>-0-0-0-0-0-</p>
</div>
</div>
<aside><h3>READERS CORNER</h3><ul><li><a href="/page-army">Army</a></li></ul></aside>
<footer>Inter Services Public Relations, Hilal Road, Rawalpindi</footer>
</body></html>
"""


def listing_page(releases: list[Release], page: int, *, per_page: int) -> str:
    """Page ``page`` (1-based) of the newest-first archive listing."""
    newest_first = sorted(releases, key=lambda r: r.id, reverse=True)
    chunk = newest_first[(page - 1) * per_page : page * per_page]
    items = "".join(
        f'<li class="press-item"><a href="{r.path}">{html.escape(r.title)}</a></li>' for r in chunk
    )
    more = page * per_page < len(newest_first)
    next_link = (
        f'<a class="next" rel="next" href="{listing_path(page + 1)}">Next</a>' if more else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ISPR | Press Releases</title></head>
<body><h2>Press Releases</h2><ul class="press-list">{items}</ul>
<div class="pagination">{next_link}</div></body></html>
"""


def listing_path(page: int) -> str:
    return "/press-release-archive.php?cat=army" + (f"&page={page}" if page > 1 else "")


def ispr_like_pages(releases: list[Release], *, per_page: int = 10) -> Iterator[tuple[str, str]]:
    pages = max(1, -(-len(releases) // per_page))
    for page in range(1, pages + 1):
        yield listing_path(page), listing_page(releases, page, per_page=per_page)
    # The site's other service listings exist too; this sample's releases are all army's.
    for service in ("navy", "airforce"):
        yield f"/press-release-archive.php?cat={service}", listing_page([], 1, per_page=per_page)
    for release in releases:
        yield release.path, release_page(release)
    yield "/", '<html><body><a href="/press-release-archive.php?cat=army">Press</a></body></html>'


def ispr_like_site(count: int, *, per_page: int = 10, seed: int = 7) -> SampleSite:
    site = SampleSite()
    for path, page in ispr_like_pages(generate_releases(count, seed=seed), per_page=per_page):
        site.add(path, page)
    return site


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a generated ISPR-like site on 127.0.0.1")
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--per-page", type=int, default=10, help="releases per listing page")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    site = ispr_like_site(args.articles, per_page=args.per_page).start(args.port)
    print(site.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
