"""Property tests: both text forms are idempotent and the search form is rebuilt from display."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawler.text import chars, clean_display, search_form
from newscrawler.text.normalize import _urdu_latin, _urdu_latin_spacing

#: Urdu and Arabic letters, composable marks, diacritics, digits of three scripts, invisible
#: and bidi controls, joiners, spaces, line breaks, presentation forms, ligatures, emoji, Latin.
ALPHABET = list(
    "اآبپتٹجچکگلمنںوہھیےئۓۂؤأإءيكىهةۀەٸٲٳ"
    "٠١٢٩۰۱۲۹0129"
    "۔،؟؛٫٬.,-:/@#"
    "\u0653\u0654\u0655\u0670\u064b\u064e\u0650\u0651\u0652\u0610\u0657\u0600\u0601"
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202e\u2066\u2069\ufeff\u00a0\u00ad\u0640"
    " \t\n\r\u2028\x85\x0b\x01\x7f\x9f\u3000"
    "ﻣﻴﮟﻫﻬﺭﹰﹱﱞﳲﺃﻻﷺﷲ﷽"
    "\U0001f468\u2640\ufe0f"
    "abcAZßİΐ½²…ﬁ"
)
mixed_text = st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join)
any_text = mixed_text | st.text(max_size=30)
options = st.fixed_dictionaries(
    {
        "space_after_punct": st.booleans(),
        "urdu_latin_spacing": st.booleans(),
        "initial_heh": st.booleans(),
        "single_line": st.booleans(),
    }
)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_display_is_idempotent(text: str) -> None:
    once = clean_display(text)
    assert clean_display(once) == once


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_search_is_idempotent(text: str) -> None:
    once = search_form(text)
    assert search_form(once) == once


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_search_of_display_equals_search(text: str) -> None:
    assert search_form(clean_display(text)) == search_form(text)


@settings(max_examples=300, deadline=None)
@given(mixed_text, options)
def test_display_options_are_idempotent_and_keep_the_search_form(
    text: str, chosen: dict[str, bool]
) -> None:
    once = clean_display(text, **chosen)
    assert clean_display(once, **chosen) == once
    assert search_form(once) == search_form(text)


@settings(max_examples=300, deadline=None)
@given(mixed_text)
def test_display_output_has_no_removed_characters(text: str) -> None:
    cleaned = clean_display(text)
    forbidden = set("\u200b\u200e\u200f\u061c\u202a\u202e\u2066\u2069\ufeff\u00a0\u00ad\u0640")
    forbidden |= set("\r\x85\x0b\x01\x7f\x9f\t\u3000\u2028يكىهةۀٸ٠١٢٩ﻣﻴﮟﻫﻬﺭﹰﹱﱞﳲﺃﻻ")
    assert not forbidden & set(cleaned)
    assert "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip(" \n")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*ALPHABET, " ", "https://", "www.", "a@b.example", "#"])).map("".join)
)
def test_urdu_latin_spacing_by_token_equals_the_rule_over_the_whole_text(text: str) -> None:
    """R23 is applied only to the tokens that can change (those with a Latin letter or digit
    and an Arabic-script letter); the result is that of its pattern over the whole text."""
    assert _urdu_latin_spacing(text) == chars.URDU_LATIN_RE.sub(_urdu_latin, text)


@settings(max_examples=300, deadline=None)
@given(mixed_text, st.booleans(), st.booleans())
def test_language_options_are_idempotent_and_keep_the_search_form(
    text: str, urdu_letters: bool, keep_arabic_passages: bool
) -> None:
    chosen = {"urdu_letters": urdu_letters, "keep_arabic_passages": keep_arabic_passages}
    once = clean_display(text, **chosen)
    assert clean_display(once, **chosen) == once
    assert search_form(once) == search_form(text)
