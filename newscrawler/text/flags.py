"""Per-document facts about raw text: what the cleaning saw and could not decide (R12, R30)."""

from __future__ import annotations

import re
from typing import TypedDict

from newscrawler.text import chars

#: R30: fewer hits than this are read as chance (Ø followed by a symbol in Danish text).
MOJIBAKE_MIN_HITS = 3
#: Spec section 3: this many Arabic hehs and no ھ means a Persian/Arabic keyboard was used.
ARABIC_HEH_TYPED_MIN = 3

_C1_RE = re.compile("[\u0080-\u009f]")
#: Arabic heh U+0647 and its presentation forms (isolated, final, initial, medial).
_ARABIC_HEH_RE = re.compile("[\u0647\ufee9-\ufeec]")
#: ه after a letter that joins to the left: medial or final position, ہ or ھ (R12 ambiguity).
#: The class is the Urdu dual-joining letters; ا د ذ ر ز ژ و ے and the like do not join.
_DUAL_JOINING = "بپتٹثجچحخسشصضطظعغفقکگلمنںہھیيكىئهة"
_AMBIGUOUS_HEH_RE = re.compile(f"(?<=[{_DUAL_JOINING}])\u0647|\ufeec")
#: ھ in any form: a document that has it was typed on an Urdu keyboard.
_DOACHASHMEE_RE = re.compile("[\u06be\ufbaa-\ufbad]")


class TextFlags(TypedDict):
    """Facts stored with an article in ``text_flags``."""

    mojibake_suspected: bool
    mojibake_count: int
    c1_control_count: int
    replacement_char_count: int
    arabic_heh_count: int
    arabic_heh_ambiguous_count: int
    arabic_heh_typed: bool
    presentation_form_count: int


def text_flags(raw: str) -> TextFlags:
    """Inspect the raw text (before cleaning, which removes some of the evidence).

    * ``mojibake_suspected``: R30, UTF-8 Urdu read as cp1252/latin-1 (``Ø§Ø±Ø¯Ùˆ``); repair
      belongs to the decoding layer, so this is only reported.
    * ``c1_control_count``: R3, C1 controls, another sign of a wrong decoding.
    * ``replacement_char_count``: U+FFFD, bytes the decoder could not read.
    * ``arabic_heh_count`` / ``arabic_heh_ambiguous_count``: R12, every ه and those in medial
      or final position, where ہ and ھ cannot be told apart.
    * ``arabic_heh_typed``: many ه and no ھ: the heh lexicon may be applied.
    * ``presentation_form_count``: R7, glyph forms rewritten to letters.
    """
    mojibake = len(chars.MOJIBAKE_RE.findall(raw))
    heh = len(_ARABIC_HEH_RE.findall(raw))
    return TextFlags(
        mojibake_suspected=mojibake >= MOJIBAKE_MIN_HITS,
        mojibake_count=mojibake,
        c1_control_count=len(_C1_RE.findall(raw)),
        replacement_char_count=raw.count(chars.REPLACEMENT_CHAR),
        arabic_heh_count=heh,
        arabic_heh_ambiguous_count=len(_AMBIGUOUS_HEH_RE.findall(raw)) if heh else 0,
        arabic_heh_typed=heh >= ARABIC_HEH_TYPED_MIN and not _DOACHASHMEE_RE.search(raw),
        presentation_form_count=len(chars.PRESENTATION_RE.findall(raw)),
    )
