"""Article language from the script of its letters, cross-checked with the page's ``lang``.

Only letters count: digits, punctuation and URLs say nothing about the language. With
``share`` the fraction of Arabic-script letters among Arabic-script and Latin letters:

* ``share >= ARABIC_SCRIPT_MIN_SHARE`` (0.8): the Arabic-script language;
* ``share <= LATIN_SCRIPT_MAX_SHARE`` (0.2): the Latin-script language;
* in between: "mixed" when the Arabic-script part is Urdu, unless the page's ``lang`` names
  the language that has the majority; with Arabic or Persian the majority's language (an
  Indonesian page quoting the Qur'an at length is Indonesian);
* a text written mostly in another script (Cyrillic, Greek, CJK ...): py3langid's answer;
* fewer than ``MIN_LETTERS`` (20) letters: the page's ``lang``, else the majority script's
  language (Urdu, or English for Latin letters: too few letters to tell more); no letters at
  all and no ``lang``: "und".

The Arabic-script language is read from the letters Urdu, Persian and Arabic do not share:
Urdu writes ٹ ڈ ڑ ں ے ہ ھ, which are among its most frequent letters, even when typed on a
Persian or Arabic keyboard; Persian has پ چ ژ گ ک ی and none of them; Arabic has neither set.
The Latin-script language comes from py3langid (its model ships inside the package) run on the
Latin-script part of the text, except for text that is plainly English: at least
``ENGLISH_MIN_WORDS`` (40) words, "the" among them, at least ``ENGLISH_WORDS_MIN_SHARE`` (a
quarter) of them among the commonest English words (English prose: two words in five; other
Latin-script languages share a few of them, never a quarter) and at most
``ENGLISH_ACCENTED_MAX_SHARE`` (one in a hundred) of its letters accented: the few of a name
such as Erdoğan or a word such as café, where French prose has some seven in a hundred and
German two.
py3langid says English of every such text, and its model (some 100 MB in memory, half a second
to load) is then never loaded by a crawl of English and Urdu sites.

A ``lang`` that contradicts a clear script majority is ignored: many Urdu sites keep their
theme's default ``lang="en-US"``.
"""

from __future__ import annotations

import re

import py3langid

from newscrawler.text.chars import ARABIC_BLOCKS, PRESENTATION_RE, PRESENTATION_TABLE

ARABIC_SCRIPT_MIN_SHARE = 0.8
LATIN_SCRIPT_MAX_SHARE = 0.2
MIN_LETTERS = 20
#: Urdu-only letters per Arabic-script letter from which a text is Urdu (Urdu prose: ~0.1).
URDU_LETTERS_MIN_SHARE = 0.01
#: Characters of text given to py3langid: enough for a stable answer (the same as with 3000 on
#: 380 of 382 pages of the development corpus), at a bounded cost per page (its time grows
#: with the sample: 1500 characters take 40% of the time of 3000).
SAMPLE_CHARS = 1500
#: Words, and the share of them among ``_ENGLISH_WORDS``, from which a text is plainly English.
ENGLISH_MIN_WORDS = 40
ENGLISH_WORDS_MIN_SHARE = 0.25
#: Accented letters per letter up to which a text can be plainly English.
ENGLISH_ACCENTED_MAX_SHARE = 0.01

URDU = "ur"
PERSIAN = "fa"
ARABIC = "ar"
ENGLISH = "en"
MIXED = "mixed"
UNDETERMINED = "und"

#: Languages whose Arabic-script letters the Urdu letter rules (R7, R9-R18) are meant for.
URDU_TEXT_LANGUAGES = frozenset({URDU, MIXED})
#: Other languages written in Arabic script (a passage marked ``lang="ar"`` in an Urdu page).
OTHER_ARABIC_SCRIPT_LANGUAGES = frozenset({ARABIC, PERSIAN, "ps", "sd", "ku", "ckb", "ug"})

_LETTER_RE = re.compile(r"[^\W\d_]")
_LATIN_RANGES = "A-Za-z\u00c0-\u024f"


def _letters_class(ranges: str) -> str:
    """A character class of the letters (as ``_LETTER_RE`` has them) in ``ranges``, so that
    letters are counted a run at a time rather than one match each."""
    letters = [
        code
        for first, last in re.findall(r"(.)-(.)", ranges)
        for code in range(ord(first), ord(last) + 1)
        if _LETTER_RE.fullmatch(chr(code))
    ]
    spans: list[list[int]] = []
    for code in letters:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in spans)


_ARABIC_LETTERS_RE = re.compile(f"[{_letters_class(ARABIC_BLOCKS)}]+")
_LATIN_LETTERS_RE = re.compile(f"[{_letters_class(_LATIN_RANGES)}]+")
_ARABIC_RUN_RE = re.compile(f"[{ARABIC_BLOCKS}]+")
_URDU_ONLY_RE = re.compile("[\u0679\u0688\u0691\u06ba\u06d2\u06d3\u06c1\u06c2\u06be]+")
_PERSIAN_RE = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_ACCENTED_LATIN_RE = re.compile("[\u00c0-\u024f]")
#: The commonest English words, those news prose is made of whatever its subject.
# fmt: off
_ENGLISH_WORDS = frozenset((
    "the", "of", "and", "to", "in", "a", "is", "was", "for", "on", "that", "with", "by", "as",
    "at", "from", "said", "his", "her", "has", "had", "it", "its", "are", "be", "been", "an",
    "have", "were", "which", "this", "will", "would", "not", "he", "she", "they", "their", "who",
    "also", "after",
))
# fmt: on


def _count(runs: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in the runs that ``runs`` matches."""
    return sum(map(len, runs.findall(text)))


def _page_language(page_lang: str | None) -> str | None:
    """ "ur-PK" -> "ur", "en_US" -> "en"; None for a missing or malformed value."""
    primary = re.split(r"[-_]", (page_lang or "").strip().lower())[0]
    return primary if re.fullmatch("[a-z]{2,3}", primary) else None


def _arabic_script_language(body: str) -> str:
    """Urdu, Persian or Arabic, from the letters the three do not share (module doc)."""
    if PRESENTATION_RE.search(body):
        body = body.translate(PRESENTATION_TABLE)
    letters = _count(_ARABIC_LETTERS_RE, body)
    if _count(_URDU_ONLY_RE, body) >= max(1.0, letters * URDU_LETTERS_MIN_SHARE):
        return URDU
    if letters < MIN_LETTERS:
        return URDU  # too few letters to overrule the language this archive is about
    return PERSIAN if _PERSIAN_RE.search(body) else ARABIC


def _latin_script_language(body: str) -> str:
    """py3langid on the text without its Arabic-script runs (quotes would mislead it), unless
    that text is plainly English."""
    sample = _ARABIC_RUN_RE.sub(" ", body[: SAMPLE_CHARS * 2])[:SAMPLE_CHARS]
    if _plainly_english(sample):
        return ENGLISH
    return _classify(sample)


def _plainly_english(sample: str) -> bool:
    """Whether a Latin-script text is English beyond doubt (module doc)."""
    words = _WORD_RE.findall(sample.lower())
    if len(words) < ENGLISH_MIN_WORDS or "the" not in words:
        return False
    accented = len(_ACCENTED_LATIN_RE.findall(sample))
    if accented > ENGLISH_ACCENTED_MAX_SHARE * sum(map(len, words)):
        return False
    common = sum(1 for word in words if word in _ENGLISH_WORDS)
    return common >= ENGLISH_WORDS_MIN_SHARE * len(words)


def _other_script_language(body: str) -> str:
    """py3langid on a text that is mostly in neither Arabic nor Latin letters."""
    return _classify(body[:SAMPLE_CHARS])


def _classify(sample: str) -> str:
    """py3langid's language (its model is loaded by the first call)."""
    language: str = py3langid.classify(sample)[0]
    return language


def detect_language(body: str, *, page_lang: str | None = None) -> str:
    """Return an ISO 639-1 code, "mixed" or "und" for a text (rules in the module doc)."""
    arabic = _count(_ARABIC_LETTERS_RE, body)
    latin = _count(_LATIN_LETTERS_RE, body)
    declared = _page_language(page_lang)
    letters = arabic + latin
    if 2 * letters < len(body) and 2 * letters < len(_LETTER_RE.findall(body)):
        return _other_script_language(body)
    if letters == 0:
        return declared or UNDETERMINED
    share = arabic / letters
    if letters < MIN_LETTERS:
        return declared or (URDU if share >= 0.5 else ENGLISH)
    if share >= ARABIC_SCRIPT_MIN_SHARE:
        return _arabic_script_language(body)
    if share <= LATIN_SCRIPT_MAX_SHARE:
        return _latin_script_language(body)
    majority = _arabic_script_language(body) if share >= 0.5 else _latin_script_language(body)
    if declared == majority:
        return declared
    if share >= 0.5:
        return MIXED if majority == URDU else majority
    return MIXED if _arabic_script_language(body) == URDU else majority
