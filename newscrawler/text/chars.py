"""Character classes, translation tables and compiled patterns for the Urdu text rules.

Everything here is built once at import time so the cleaning functions only run
``str.translate`` and precompiled regular expressions (no per-character Python loops).
Rule IDs (R1...) refer to ``shared/reference/urdu-text.md``.
"""

from __future__ import annotations

import re
import unicodedata

# --- Character ranges ----------------------------------------------------------------------

#: Arabic-script blocks: Arabic, Arabic Supplement, Arabic Extended-A, presentation forms.
ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe"

#: Presentation forms that R7 rewrites (the ligatures U+FDF0-U+FDFF are R8 and stay).
PRESENTATION_RANGES = ((0xFB50, 0xFDEF), (0xFE70, 0xFEFE))

ZWNJ = "\u200c"
ZWJ = "\u200d"
HAMZA_ABOVE = "\u0654"
ARABIC_HEH = "\u0647"
HEH_GOAL = "\u06c1"
HEH_DOACHASHMEE = "\u06be"
TATWEEL = "\u0640"
REPLACEMENT_CHAR = "\ufffd"

#: Urdu sentence punctuation: full stop, comma, question mark, semicolon (R21, R22).
URDU_PUNCT = "\u06d4\u060c\u061f\u061b"


def _cps(*ranges: tuple[int, int]) -> list[int]:
    return [cp for first, last in ranges for cp in range(first, last + 1)]


def _arabic_chars(predicate_prefixes: tuple[str, ...]) -> str:
    """All assigned Arabic-script characters whose general category starts with a prefix."""
    chars = [
        chr(cp)
        for cp in _cps((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))
        if unicodedata.category(chr(cp)).startswith(predicate_prefixes)
    ]
    return "".join(chars)


#: Arabic-script letters (category L*) and combining marks (M*), without presentation forms.
ARABIC_LETTERS = _arabic_chars(("L",))
ARABIC_MARKS = _arabic_chars(("M",))

# --- R1, R2, R3, R17, R20: one translation table for single-character deletions/mappings ---------

#: R1: line-break characters that become "\n" ("\r\n" is replaced before the table runs).
LINE_BREAKS = "\r\u2028\u2029\u0085\u000b\u000c"

#: R2: invisible format characters, an explicit list (never "all of Cf": U+0600-U+0605 stay).
INVISIBLES = (
    "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u2060\ufeff\u00ad\u2061\u2062\u2063\u2064"
)

#: R3: C0 controls except TAB and LF, DEL, and C1 controls (U+0085 is a line break, R1).
CONTROLS = "".join(
    chr(cp)
    for cp in _cps((0x00, 0x1F), (0x7F, 0x9F))
    if chr(cp) not in "\t\n" and chr(cp) not in LINE_BREAKS
)

#: R20: horizontal spaces that become U+0020.
SPACES = "\t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"

#: R1 + R2 + R3 + R17 (tatweel) + R20 in one pass. Tatweel goes here, not with the letter map,
#: so that the joiner rule (R4/R5) already sees the neighbours the final text will have.
FIRST_PASS_TABLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, LINE_BREAKS), "\n"),
    **dict.fromkeys(map(ord, INVISIBLES + CONTROLS + TATWEEL)),
    **dict.fromkeys(map(ord, SPACES), " "),
}
FIRST_PASS_RE = re.compile(
    "[" + re.escape(LINE_BREAKS + INVISIBLES + CONTROLS + TATWEEL + SPACES) + "]"
)


# --- R7: presentation forms -----------------------------------------------------------------


def _presentation_target(char: str) -> str:
    """Per-character NFKC; isolated/medial forms of marks keep only the mark (R7).

    NFKC writes those as U+0020 or U+0640 plus the mark (U+FE70-U+FE7F, and the shadda
    ligatures U+FC5E-U+FC63, U+FCF2-U+FCF4); the space or tatweel is a rendering carrier.
    """
    target = unicodedata.normalize("NFKC", char)
    if len(target) > 1 and target[0] in " " + TATWEEL:
        target = target[1:]
    return target


PRESENTATION_TABLE: dict[int, str | None] = {
    cp: target
    for cp in _cps(*PRESENTATION_RANGES)
    if (target := _presentation_target(chr(cp))) != chr(cp)
}
PRESENTATION_RE = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(PRESENTATION_TABLE)) + "]"
)

# --- R9-R18: Arabic -> Urdu letters and digits ---------------------------------------------

LETTER_MAP: dict[int, str | None] = {
    0x0643: "\u06a9",  # R9  ك -> ک
    0x064A: "\u06cc",  # R10 ي -> ی
    0x0649: "\u06cc",  # R11 ى -> ی
    0x0647: HEH_GOAL,  # R12 ه -> ہ (ambiguous medially/finally: flagged, see flags.py)
    0x0629: "\u06c3",  # R13 ة -> ۃ
    0x06C0: "\u06c2",  # R14 ۀ -> ۂ
    0x0678: "\u0626",  # R16 ٸ -> ئ
    0x0672: "\u0623",  # R16 ٲ -> أ
    0x0673: "\u0625",  # R16 ٳ -> إ
    **{0x0660 + i: chr(0x06F0 + i) for i in range(10)},  # R18 ٠-٩ -> ۰-۹
}
LETTER_MAP_RE = re.compile("[" + "".join(chr(cp) for cp in LETTER_MAP) + "]")

#: Marks that do not block canonical composition with U+0654 (0 < ccc < 230).
_NON_BLOCKING = "".join(c for c in ARABIC_MARKS if 0 < unicodedata.combining(c) < 230)

#: R15: ی + hamza above -> ئ, also across non-blocking marks, as NFC would compose ي + ٔ.
#: U+06D5 ە + ٔ is NFC's ۀ, which R14 turns into ۂ: handled here so that no later NFC can
#: produce a ۀ after the map has run.
YEH_HAMZA_RE = re.compile(f"([\u06cc\u06d5])([{_NON_BLOCKING}]*)\u0654")
YEH_HAMZA_TARGET = {"\u06cc": "\u0626", "\u06d5": "\u06c2"}

# --- R4/R5: joiners ----------------------------------------------------------------------------

JOINER_RUN_RE = re.compile("[\u200c\u200d]+")

#: Characters a ZWNJ/ZWJ may follow to be kept: an Arabic letter, or a mark on one.
JOINER_LEFT = frozenset(ARABIC_LETTERS + ARABIC_MARKS)
#: Characters a ZWNJ may precede to be kept.
JOINER_RIGHT = frozenset(ARABIC_LETTERS)

#: Emoji for R5 ZWJ sequences: pictographs, symbols, skin-tone modifiers, VS16.
EMOJI_RE = re.compile("[\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]")

# --- R20, R21: whitespace and punctuation spacing ----------------------------------------------

SPACE_RUN_RE = re.compile(" {2,}")
LINE_EDGE_RE = re.compile(" *\n *")
PARAGRAPH_RUN_RE = re.compile("\n{3,}")
SPACE_BEFORE_PUNCT_RE = re.compile(f" +(?=[{URDU_PUNCT}])")  # R21: spaces only, not newlines

# --- Options: R22, R23, R24 ---------------------------------------------------------------------

#: R22: an Arabic-script or Latin letter right after ۔ ، ؟ ؛ (not a digit: ۱۲۔۳۰ stays).
SPACE_AFTER_PUNCT_RE = re.compile(f"([{URDU_PUNCT}])(?=[{ARABIC_LETTERS}A-Za-z])")

_LATIN_OR_DIGIT = "A-Za-z0-9\u06f0-\u06f9"
#: Digit suffixes R23 never splits off: year sign ء, Hijri sign ھ, ordinals (10ویں, 10واں).
#: Diacritics may sit between their letters (the search form drops them).
_DIGIT_SUFFIX = (
    "(?:" + "|".join(f"[{ARABIC_MARKS}]*".join(word) for word in ("ء", "ھ", "وی", "واں")) + ")"
)
#: R23: protected tokens first (URL, e-mail, hashtag), then the two kinds of glued boundary.
URDU_LATIN_RE = re.compile(
    r"(?P<keep>(?:https?://|www\.)\S+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    f"|#[\\w{ARABIC_MARKS}\u200c\u200d]+)"
    f"|(?P<arabic>[{ARABIC_LETTERS}][{ARABIC_MARKS}]*)(?=[{_LATIN_OR_DIGIT}])"
    f"|(?P<latin>[A-Za-z])(?=[{ARABIC_LETTERS}])"
    f"|(?P<digit>[0-9\u06f0-\u06f9])(?!{_DIGIT_SUFFIX})(?=[{ARABIC_LETTERS}])"
)

#: Where R23 can act: runs of Latin letters or digits, and the ends of their tokens.
LATIN_RUN_RE = re.compile(f"[{_LATIN_OR_DIGIT}]+")
#: Any Arabic-script letter: R23 has nothing to do in a text or token without one.
ARABIC_LETTER_RE = re.compile(f"[{ARABIC_LETTERS}]")
SPACE_OR_BREAK_RE = re.compile("[ \n]")

#: R24: ھ that starts a word: not after Arabic-script text, a joiner, or a letter or number
#: glued to it (after a digit it is the Hijri sign: ۱۴۴۶ھ, 1446ھ).
INITIAL_HEH_RE = re.compile(
    f"(?<![\\w{ARABIC_BLOCKS}\u200c\u200d])\u06be(?=[{ARABIC_MARKS}]*[{ARABIC_LETTERS}])"
)

# --- Search form: R19, R25 -----------------------------------------------------------------------

#: R25: diacritics deleted in the search form. U+0653-U+0655 stay (they are part of آ أ ؤ ئ ۂ).
DIACRITICS = "".join(
    chr(cp)
    for cp in _cps(
        (0x064B, 0x0652),
        (0x0656, 0x065F),
        (0x0670, 0x0670),
        (0x0610, 0x061A),
        (0x06D6, 0x06DC),
        (0x06DF, 0x06E4),
        (0x06E7, 0x06E8),
        (0x06EA, 0x06ED),
    )
)

#: Search-only deletions and mappings: R4/R5 joiners out, R25 diacritics out, R19 digits.
SEARCH_TABLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, ZWNJ + ZWJ + DIACRITICS)),
    **{0x06F0 + i: str(i) for i in range(10)},  # R19
    **{0x0660 + i: str(i) for i in range(10)},  # R19
}
SEARCH_RE = re.compile("[" + "".join(chr(cp) for cp in SEARCH_TABLE) + "]")

# --- R30: mojibake -------------------------------------------------------------------------------

#: Second bytes 0x80-0xBF of a UTF-8 Arabic letter after a cp1252 or latin-1 misdecode.
_CONTINUATION = sorted(
    {chr(b) for b in range(0x80, 0xC0)}
    | {bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0)} - {""}
)
#: R30: Ø Ù Ú Û (UTF-8 lead bytes 0xD8-0xDB) followed by a continuation byte.
MOJIBAKE_RE = re.compile("[\u00d8\u00d9\u00da\u00db][" + re.escape("".join(_CONTINUATION)) + "]")
