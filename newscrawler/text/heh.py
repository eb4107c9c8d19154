"""Optional repair of Urdu words typed with Arabic heh (spec section 3, before R12).

On a Persian/Arabic keyboard ه stands for both ہ and ھ. R12 maps every ه to ہ, which is right
for ہ-words but misspells the aspirated ones (بهی becomes بہی). This lexicon restores ھ in
frequent words whose spelling does not vary. It is applied to raw U+0647 forms, and only to
documents that ``text_flags`` marks as Arabic-heh-typed.
"""

from __future__ import annotations

import re

from newscrawler.text.chars import ARABIC_HEH, ARABIC_LETTERS, HEH_DOACHASHMEE

#: Urdu spellings whose every ه would have meant ھ. Never list words whose spelling itself
#: varies (انہوں/انھوں).
LEXICON = (
    "بھی",
    "تھا",
    "تھی",
    "تھے",
    "تھیں",
    "پھر",
    "کچھ",
    "ساتھ",
    "مجھے",
    "تجھے",
    "مجھ",
    "دیکھا",
    "دیکھیں",
    "دیکھنے",
    "لکھا",
    "رکھا",
    "رکھتے",
    "کھیل",
    "بھارت",
    "اٹھا",
    "ہاتھ",
    "سمجھا",
    "بھائی",
)

#: Letters the typist's keyboard may have used instead of the Urdu ones in the same word.
_VARIANTS = {"ی": "[یيى]", "ک": "[کك]", HEH_DOACHASHMEE: ARABIC_HEH, "ہ": "[ہه]"}


def _raw_pattern(word: str) -> str:
    return "".join(_VARIANTS.get(char, re.escape(char)) for char in word)


_WORD_PATTERNS = [(re.compile(_raw_pattern(word)), word) for word in LEXICON]
_LEXICON_RE = re.compile(
    f"(?<![{ARABIC_LETTERS}])(?:"
    + "|".join(_raw_pattern(w) for w in sorted(LEXICON, key=len, reverse=True))
    + f")(?![{ARABIC_LETTERS}])"
)


def _restore(match: re.Match[str]) -> str:
    """Put ھ back where the lexicon word has it; other letters are left to R9-R12."""
    found = match.group()
    word = next(word for pattern, word in _WORD_PATTERNS if pattern.fullmatch(found))
    return "".join(
        HEH_DOACHASHMEE if want == HEH_DOACHASHMEE else have
        for have, want in zip(found, word, strict=True)
    )


def repair_arabic_heh(text: str) -> str:
    """Rewrite lexicon words typed with ه so that R12 does not turn their ھ into ہ."""
    if ARABIC_HEH not in text:
        return text
    return _LEXICON_RE.sub(_restore, text)
