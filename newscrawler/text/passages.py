"""Arabic passages inside Urdu text: Qur'an verses, hadith, du'as quoted in their own letters.

The Urdu letter map (R9-R18) is right for Urdu words only: rewriting a quoted verse turns ي
into ی and ة into ۃ, which no Arabic reader writes. A passage is a run of two or more
Arabic-script words, none holding a letter that Arabic does not use (ٹ ڈ ڑ ں ے ہ ھ پ چ ژ گ ک
ی and their composed forms: such a word is Urdu), separated by spaces, punctuation or digits
(verse numbers), that is also

* vocalised: at least ``VOCALISED_MIN_SHARE`` harakat per letter (Urdu marks a word now and
  then; the Qur'an marks nearly every letter), or
* written in Arabic letters: three or more words, a third of them and at least two with ة ى ك
  or ي, in a text
  whose Urdu words are spelt with ک and ی (a text typed on an Arabic keyboard writes كے and
  ميں, so there these letters tell nothing).
"""

from __future__ import annotations

import re

from newscrawler.text.chars import ARABIC_LETTERS, ARABIC_MARKS

#: Harakat (fathatan ... sukun) per Arabic letter from which a run is vocalised Arabic.
VOCALISED_MIN_SHARE = 0.5
#: Words, and words with an Arabic-only letter, from which an unvocalised run is Arabic, if
#: those are a third of its words.
ARABIC_LETTER_MIN_WORDS = 3
ARABIC_LETTER_MIN_MARKED = 2

#: Letters of Urdu words that Arabic does not write.
URDU_WORD_LETTERS = (
    "\u0679\u0688\u0691\u06ba\u06d2\u06d3\u06c1\u06c2\u06be\u06c3"  # ٹ ڈ ڑ ں ے ۓ ہ ۂ ھ ۃ
    "\u067e\u0686\u0698\u06af\u06a9\u06cc"  # پ چ ژ گ ک ی, which Persian shares
)
#: Arabic letters that Urdu spells otherwise (R9-R13): ة ى ك ي.
ARABIC_ONLY_LETTERS = "\u0629\u0649\u0643\u064a"
HARAKAT = "\u064b-\u0652"

_NON_URDU_LETTERS = "".join(c for c in ARABIC_LETTERS if c not in URDU_WORD_LETTERS)
_WORD_CHARS = ARABIC_LETTERS + ARABIC_MARKS + "\u200c\u200d"
#: One Arabic-script word without an Urdu letter, not part of a longer word.
_WORD = (
    f"(?<![{_WORD_CHARS}])[{_NON_URDU_LETTERS}][{_NON_URDU_LETTERS}{ARABIC_MARKS}\u200c\u200d]*"
    f"(?![{_WORD_CHARS}])"
)
#: Two or more such words with only spaces, punctuation and digits between them.
_RUN_RE = re.compile(f"{_WORD}(?:(?:[^\\w]|\\d)+{_WORD})+")
_WORD_RE = re.compile(_WORD)
#: What can make a run a passage: without one of these there is nothing to look at.
_EVIDENCE_RE = re.compile(f"[{HARAKAT}{ARABIC_ONLY_LETTERS}]")
_HARAKAT_RE = re.compile(f"[{HARAKAT}]")
_LETTER_RE = re.compile(f"[{ARABIC_LETTERS}]")
_ARABIC_ONLY_RE = re.compile(f"[{ARABIC_ONLY_LETTERS}]")
_URDU_LETTER_RE = re.compile(f"[{URDU_WORD_LETTERS}]")
_WORD_CHAR_SET = frozenset(_WORD_CHARS)


def _typed_on_arabic_keyboard(text: str) -> bool:
    """Whether an Urdu word of ``text`` is spelt with ك or ي (كے, ميں).

    Walks out from each such letter to its word's edges: they are few in text typed with
    Urdu letters, and in text that is not, the first one usually answers.
    """
    for found in _ARABIC_ONLY_RE.finditer(text):
        start = end = found.start()
        while start and text[start - 1] in _WORD_CHAR_SET:
            start -= 1
        while end < len(text) and text[end] in _WORD_CHAR_SET:
            end += 1
        if _URDU_LETTER_RE.search(text, start, end):
            return True
    return False


def _is_vocalised(run: str) -> bool:
    return len(_HARAKAT_RE.findall(run)) >= VOCALISED_MIN_SHARE * len(_LETTER_RE.findall(run))


def _is_in_arabic_letters(run: str) -> bool:
    words = _WORD_RE.findall(run)
    marked = sum(1 for word in words if _ARABIC_ONLY_RE.search(word))
    return (
        len(words) >= ARABIC_LETTER_MIN_WORDS
        and marked >= ARABIC_LETTER_MIN_MARKED
        and 3 * marked >= len(words)
    )


def arabic_passages(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the Arabic passages of an NFC Urdu text (module doc)."""
    if not _EVIDENCE_RE.search(text):
        return []
    letters_tell = not _typed_on_arabic_keyboard(text)
    if not letters_tell and not _HARAKAT_RE.search(text):
        return []  # typed on an Arabic keyboard, and nothing vocalised
    spans = []
    for run in _RUN_RE.finditer(text):
        found = run.group()
        if _is_vocalised(found) or (letters_tell and _is_in_arabic_letters(found)):
            spans.append(run.span())
    return spans
