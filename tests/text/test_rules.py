"""One table-driven test per rule R1-R30 of the Urdu text specification.

Every case id starts with its rule ID, so ``pytest -k R12`` runs the cases of one rule.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newscrawler.text import chars, clean_display, search_form, text_flags


def display(text: str) -> str:
    return clean_display(text)


def search(text: str) -> str:
    return search_form(text)


def with_r22(text: str) -> str:
    return clean_display(text, space_after_punct=True)


def with_r23(text: str) -> str:
    return clean_display(text, urdu_latin_spacing=True)


def with_r24(text: str) -> str:
    return clean_display(text, initial_heh=True)


def with_lexicon(text: str) -> str:
    return clean_display(text, heh_lexicon=True)


Case = tuple[str, Callable[[str], str], str, str]

CASES: list[Case] = [
    # R1 line breaks
    ("R1-crlf", display, "ایک\r\nدو", "ایک\nدو"),
    ("R1-cr", display, "ایک\rدو", "ایک\nدو"),
    ("R1-crlf-paragraph", display, "ایک\r\n\r\nدو", "ایک\n\nدو"),
    ("R1-line-separator", display, "ایک\u2028دو", "ایک\nدو"),
    ("R1-paragraph-separator", display, "ایک\u2029دو", "ایک\nدو"),
    ("R1-nel", display, "ایک\x85دو", "ایک\nدو"),
    ("R1-vt-ff", display, "ایک\x0bدو\x0cتین", "ایک\nدو\nتین"),
    # R2 invisible format characters, an explicit list
    ("R2-zwsp", display, "پاک\u200bستان", "پاکستان"),
    ("R2-lrm-rlm-alm", display, "\u200eراولپنڈی\u200f\u061c", "راولپنڈی"),
    ("R2-embeddings", display, "\u202bآئی\u202c \u202aISPR\u202c \u202d\u202e", "آئی ISPR"),
    ("R2-isolates", display, "\u2066فوج\u2069 \u2067\u2068", "فوج"),
    ("R2-bom-wj-shy", display, "\ufeffفوج\u2060ی\u00ad", "فوجی"),
    ("R2-invisible-math", display, "a\u2061\u2062\u2063\u2064b", "ab"),
    ("R2-before-nfc", display, "ا\u200eٓ", "آ"),
    ("R2-keeps-number-signs", display, "\u0601۲۰۲۵ \u0600۱ \u06dd۳", "\u0601۲۰۲۵ \u0600۱ \u06dd۳"),
    # R3 controls
    ("R3-c0", display, "ف\x00و\x01ج\x1f", "فوج"),
    ("R3-del", display, "ف\x7fوج", "فوج"),
    ("R3-c1", display, "ف\x80و\x9fج", "فوج"),
    ("R3-tab-kept-as-space", display, "فوج\tپاک", "فوج پاک"),
    # R4 ZWNJ
    ("R4-between-letters", display, "ب\u200cب", "ب\u200cب"),
    ("R4-run-collapses", display, "ب\u200c\u200c\u200cب", "ب\u200cب"),
    ("R4-after-mark", display, "بَ\u200cب", "بَ\u200cب"),
    ("R4-next-to-space", display, "ب\u200c ب", "ب ب"),
    ("R4-latin", display, "a\u200cb", "ab"),
    ("R4-before-mark", display, "ا\u200cٓ", "آ"),
    ("R4-search-deletes", search, "ب\u200cب", "بب"),
    # R5 ZWJ
    ("R5-after-letter", display, "ب\u200d ہے", "ب\u200d ہے"),
    ("R5-run-collapses", display, "ب\u200d\u200dا", "ب\u200dا"),
    ("R5-emoji", display, "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("R5-latin", display, "a\u200db", "ab"),
    ("R5-line-start", display, "\u200dب", "ب"),
    ("R5-search-deletes", search, "ب\u200dا", "با"),
    # R6 NFC before and after the letter map
    ("R6-alef-madda", display, "ا\u0653ج", "آج"),
    ("R6-alef-hamza", display, "ا\u0654", "أ"),
    ("R6-waw-hamza", display, "و\u0654", "ؤ"),
    ("R6-arabic-yeh-hamza-composes-first", display, "ي\u0654", "ئ"),
    ("R6-heh-goal-hamza", display, "ہ\u0654", "ۂ"),
    ("R6-yeh-barree-hamza", display, "ے\u0654", "ۓ"),
    ("R6-arabic-heh-hamza-after-map", display, "ه\u0654", "ۂ"),
    # R7 presentation forms, per character
    ("R7-yeh-initial-medial", display, "ﻣﻴﮟ", "میں"),
    ("R7-heh-initial-medial", display, "ﺭﻫﺘﯽ ﻫﻮﺋﮯ", "رہتی ہوئے"),
    ("R7-lam-alef", display, "ﻻ", "لا"),
    ("R7-alef-hamza", display, "ﺃ", "أ"),
    ("R7-isolated-mark-keeps-mark", display, "ﹰ", "\u064b"),
    ("R7-medial-mark-drops-tatweel", display, "بﹱ", "ب\u064b"),
    ("R7-shadda-ligature", display, "بﱞ", "ب\u064c\u0651"),
    ("R7-keheh-gaf", display, "ﮐﮔ", "کگ"),
    # R8 word ligatures: kept in display, expanded in search
    ("R8-display-keeps", display, "محمد ﷺ نے ﷲ ﷽", "محمد ﷺ نے ﷲ ﷽"),
    ("R8-search-salla", search, "ﷺ", "صلی اللہ علیہ وسلم"),
    ("R8-search-allah", search, "ﷲ", "اللہ"),
    ("R8-search-bismillah-stays", search, "﷽", "﷽"),
    # R9-R18 letter map
    ("R9-kaf", display, "كتاب", "کتاب"),
    ("R10-yeh", display, "پاكستاني فوجي", "پاکستانی فوجی"),
    ("R11-alef-maksura", display, "عيسىٰ مصطفى", "عیسیٰ مصطفی"),
    ("R12-initial", display, "هم", "ہم"),
    ("R12-isolated", display, "وه يه", "وہ یہ"),
    ("R12-medial", display, "پهلے", "پہلے"),
    ("R12-final", display, "که", "کہ"),
    ("R12-lexicon", with_lexicon, "بهی تها پهر ساته کچه پهلے", "بھی تھا پھر ساتھ کچھ پہلے"),
    ("R12-lexicon-arabic-yeh", with_lexicon, "بهي", "بھی"),
    ("R12-lexicon-whole-words", with_lexicon, "بهیڑ", "بہیڑ"),
    ("R13-teh-marbuta", display, "زكاة", "زکاۃ"),
    ("R14-heh-yeh", display, "خانۀ", "خانۂ"),
    ("R15-yeh-hamza", display, "ی\u0654", "ئ"),
    ("R15-alef-maksura-hamza", display, "ى\u0654", "ئ"),
    ("R15-across-fatha", display, "ی\u064e\u0654", "ئ\u064e"),
    ("R16-rare-hamza", display, "ٸ ٲ ٳ", "ئ أ إ"),
    ("R17-tatweel", display, "کـــہا", "کہا"),
    ("R18-arabic-indic-digits", display, "٢٠٢٥", "۲۰۲۵"),
    ("R18-separators-kept", display, "۳٫۵ ۱٬۰۰۰", "۳٫۵ ۱٬۰۰۰"),
    # R19 digits to ASCII: search only
    ("R19-display-keeps", display, "۲۷ جولائی ۲۰۲۵", "۲۷ جولائی ۲۰۲۵"),
    ("R19-search-urdu", search, "۲۷ جولائی ۲۰۲۵", "27 جولائی 2025"),
    ("R19-search-arabic-indic", search, "٢٧", "27"),
    # R20 horizontal whitespace, paragraph breaks kept
    ("R20-nbsp", display, "پاک\u00a0فوج", "پاک فوج"),
    ("R20-unicode-spaces", display, "a\u2009b\u202fc\u3000d\u1680e\u205ff", "a b c d e f"),
    ("R20-runs", display, "a  \t b", "a b"),
    ("R20-line-edges", display, "a \n b", "a\nb"),
    ("R20-paragraphs-kept", display, "a\n\nb", "a\n\nb"),
    ("R20-many-breaks", display, "a\n \n\n\nb", "a\n\nb"),
    ("R20-trim", display, " \n a \n ", "a"),
    ("R20-search-one-space", search, "a\n\nb  c", "a b c"),
    # R21 no space before Urdu punctuation
    ("R21-full-stop", display, "کیا گیا ۔", "کیا گیا۔"),
    ("R21-comma-question-semicolon", display, "ہے ، کیا ؟ اور ؛", "ہے، کیا؟ اور؛"),
    ("R21-newline-kept", display, "ہے\n۔", "ہے\n۔"),
    ("R21-search", search, "ہے\n۔", "ہے۔"),
    # R22 space after Urdu punctuation: option
    ("R22-off-keeps-abbreviation", display, "آئی۔ایس۔پی۔آر", "آئی۔ایس۔پی۔آر"),
    ("R22-option", with_r22, "ہے۔وہ،اور", "ہے۔ وہ، اور"),
    ("R22-option-digits-untouched", with_r22, "۱۲۔۳۰", "۱۲۔۳۰"),
    ("R22-search", search, "ہے۔وہ", "ہے۔ وہ"),
    # R23 Urdu/Latin spacing: option
    ("R23-off", display, "دسمبر2025ء", "دسمبر2025ء"),
    ("R23-letter-digit", with_r23, "دسمبر2025ء", "دسمبر 2025ء"),
    ("R23-latin", with_r23, "پاکستانISPR", "پاکستان ISPR"),
    ("R23-latin-before", with_r23, "ISPRکے", "ISPR کے"),
    ("R23-hijri-kept", with_r23, "1446ھ", "1446ھ"),
    ("R23-ordinal-kept", with_r23, "10ویں 10واں ۳ٙوی", "10ویں 10واں ۳ٙوی"),
    ("R23-digit-word", with_r23, "5بجے 5واپس", "5 بجے 5 واپس"),
    ("R23-urdu-digits", with_r23, "جولائی۲۷", "جولائی ۲۷"),
    ("R23-url", with_r23, "دیکھیںhttps://ispr.gov.pk/پریس", "دیکھیں https://ispr.gov.pk/پریس"),
    ("R23-email", with_r23, "ای میل ispr@ispr.gov.pk", "ای میل ispr@ispr.gov.pk"),
    ("R23-hashtag", with_r23, "#پاکستان2025 #ا\u200cا۰", "#پاکستان2025 #ا\u200cا۰"),
    ("R23-search", search, "پاکستانISPR", "پاکستان ispr"),
    # R24 word-initial heh doachashmee: option
    ("R24-off", display, "ھم", "ھم"),
    ("R24-option", with_r24, "ھم ھے", "ہم ہے"),
    ("R24-medial-kept", with_r24, "بھی کچھ", "بھی کچھ"),
    ("R24-hijri-kept", with_r24, "۱۴۴۶ھ 1446ھ", "۱۴۴۶ھ 1446ھ"),
    ("R24-hamza-composes", with_r24, "ھٔا", "ۂا"),
    ("R24-after-joiner-kept", with_r24, "ا\u200dھا ب\u200cھی", "ا\u200dھا ب\u200cھی"),
    ("R24-search", search, "ھم", "ہم"),
    # R25 diacritics: search only; U+0653-U+0655 stay inside their letters
    ("R25-display-keeps", display, "اعلیٰ لہٰذا شیرِ", "اعلیٰ لہٰذا شیرِ"),
    ("R25-search", search, "اعلیٰ لہٰذا شیرِ پاکستانؒ", "اعلی لہذا شیر پاکستان"),
    ("R25-composed-letters-kept", search, "آئی ؤ ۂ ۓ", "آئی ؤ ۂ ۓ"),
    # R26 NFKC: search only
    ("R26-display-keeps", display, "ﬁ ½ … ²", "ﬁ ½ … ²"),
    ("R26-search", search, "ﬁ ½ … ²", "fi 1⁄2 ... 2"),
    # R27 casefold: search only
    ("R27-display-keeps", display, "ISPR Rawalpindi", "ISPR Rawalpindi"),
    ("R27-search", search, "ISPR Rawalpindi", "ispr rawalpindi"),
    # R28 letter variants are never folded
    ("R28-display", display, "آ أ ۂ ۓ ؤ ئ", "آ أ ۂ ۓ ؤ ئ"),
    ("R28-search", search, "آج ؤ ئ", "آج ؤ ئ"),
    # R29 ASCII punctuation is never turned into Urdu punctuation
    ("R29-display", display, "2025-07-27, 3.5? a-b.", "2025-07-27, 3.5? a-b."),
    ("R29-search", search, "2025-07-27, 3.5?", "2025-07-27, 3.5?"),
    # R30 mojibake is detected (text_flags), never silently repaired
    ("R30-not-repaired", display, "Ø§Ø±Ø¯Ùˆ", "Ø§Ø±Ø¯Ùˆ"),
]


@pytest.mark.parametrize(
    ("function", "text", "expected"),
    [pytest.param(f, t, e, id=rule) for rule, f, t, e in CASES],
)
def test_rule(function: Callable[[str], str], text: str, expected: str) -> None:
    assert function(text) == expected


def test_every_rule_has_cases() -> None:
    covered = {case[0].split("-")[0] for case in CASES}
    assert {f"R{n}" for n in range(1, 31)} <= covered


@pytest.mark.parametrize(
    ("text", "suspected"),
    [
        pytest.param("Ø§Ø±Ø¯Ùˆ Ù…ÛŒÚº", True, id="R30-cp1252"),
        pytest.param("Ø§Ø±Ø¯Ù\x88", True, id="R30-latin1"),
        pytest.param("اردو میں خبریں", False, id="R30-clean-urdu"),
        pytest.param("Østerbro Ø", False, id="R30-danish"),
    ],
)
def test_r30_mojibake_flag(text: str, suspected: bool) -> None:
    assert text_flags(text)["mojibake_suspected"] is suspected


@pytest.mark.parametrize(
    ("text", "count", "ambiguous", "typed"),
    [
        pytest.param("وه ده هم", 3, 0, True, id="R12-initial-isolated"),
        pytest.param("بهی ته کهیں", 3, 3, True, id="R12-medial-final-ambiguous"),
        pytest.param("وه یه هم بھی", 3, 1, False, id="R12-doachashmee-present"),
        pytest.param("ﻫﻮﺋﮯ ﺑﻬﯽ", 2, 1, False, id="R12-presentation-forms"),
        pytest.param("پاکستان", 0, 0, False, id="R12-none"),
    ],
)
def test_r12_heh_flags(text: str, count: int, ambiguous: int, typed: bool) -> None:
    flags = text_flags(text)
    assert flags["arabic_heh_count"] == count
    assert flags["arabic_heh_ambiguous_count"] == ambiguous
    assert flags["arabic_heh_typed"] is typed


def test_r7_presentation_form_count() -> None:
    assert text_flags("ﻣﻴﮟ اور ﷺ")["presentation_form_count"] == 3
    assert text_flags("میں")["presentation_form_count"] == 0


def test_r3_c1_and_replacement_counts() -> None:
    flags = text_flags("a\x85b\x9f \ufffd\ufffd")
    assert flags["c1_control_count"] == 2
    assert flags["replacement_char_count"] == 2


def test_single_line_folds_breaks() -> None:
    assert clean_display("آئی ایس\nپی آر\n\n۔", single_line=True) == "آئی ایس پی آر۔"


@pytest.mark.parametrize(
    "table",
    [chars.FIRST_PASS_TABLE, chars.PRESENTATION_TABLE, chars.LETTER_MAP, chars.SEARCH_TABLE],
    ids=["R1-R3-R17-R20", "R7", "R9-R18", "R19-R25"],
)
def test_tables_never_map_to_another_key(table: dict[int, str | None]) -> None:
    """The cleaning replaces characters one after another: no output may be another input."""
    produced = {char for value in table.values() if value for char in value}
    assert not produced & {chr(cp) for cp in table}
