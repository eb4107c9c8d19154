"""Article language from the script of its letters, cross-checked with the page's ``lang``.

Only letters count: digits, punctuation and URLs say nothing about the language. With
``share`` the fraction of Arabic-script letters among Arabic-script and Latin letters:

* ``share >= URDU_MIN_SHARE`` (0.8): "ur". Urdu news carries English names and acronyms
  (ISPR, COAS, PR-123/2025-ISPR), rarely a fifth of its letters;
* ``share <= ENGLISH_MAX_SHARE`` (0.2): "en";
* in between: "mixed", unless the page's ``lang`` names the language that has the majority
  (``lang="ur"`` and share >= 0.5, or ``lang="en"`` and share < 0.5);
* fewer than ``MIN_LETTERS`` (20) letters: the page's ``lang`` if it is ur or en, else the
  majority script; no letters at all and no usable ``lang``: "und".

A ``lang`` that contradicts a clear script majority is ignored: many Urdu sites keep their
theme's default ``lang="en-US"``.
"""

from __future__ import annotations

import re

from newscrawler.text.chars import ARABIC_BLOCKS

URDU_MIN_SHARE = 0.8
ENGLISH_MAX_SHARE = 0.2
MIN_LETTERS = 20

URDU = "ur"
ENGLISH = "en"
MIXED = "mixed"
UNDETERMINED = "und"

_ARABIC_LETTER_RE = re.compile(f"[{ARABIC_BLOCKS}](?<![\\W\\d_])")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f](?<![\W\d_])")


def _page_language(page_lang: str | None) -> str | None:
    """ "ur-PK" -> "ur", "en_US" -> "en"; None for other or missing values."""
    primary = re.split(r"[-_]", (page_lang or "").strip().lower())[0]
    return primary if primary in {URDU, ENGLISH} else None


def detect_language(body: str, *, page_lang: str | None = None) -> str:
    """Return "ur", "en", "mixed" or "und" for a cleaned text (thresholds in the module doc)."""
    arabic = len(_ARABIC_LETTER_RE.findall(body))
    latin = len(_LATIN_LETTER_RE.findall(body))
    declared = _page_language(page_lang)
    letters = arabic + latin
    if letters == 0:
        return declared or UNDETERMINED
    share = arabic / letters
    if letters < MIN_LETTERS:
        return declared or (URDU if share >= 0.5 else ENGLISH)
    if share >= URDU_MIN_SHARE:
        return URDU
    if share <= ENGLISH_MAX_SHARE:
        return ENGLISH
    if (declared == URDU and share >= 0.5) or (declared == ENGLISH and share < 0.5):
        return declared
    return MIXED
