"""The two text forms: ``clean_display`` (archived body text) and ``search_form`` (lossy key).

Order of the display pipeline (spec section 4, rule IDs in comments):

1. R1 line breaks, R2 invisibles, R3 controls, R17 tatweel, R20 space characters (one table);
2. R7 presentation forms, per character (R8 ligatures U+FDF0-U+FDFF are kept);
3. R4/R5 joiners;
4. R6 NFC, [heh lexicon], R9-R18 letter map with R15 (outside Arabic passages, when asked), R6
   NFC again;
5. R20 whitespace runs and paragraph breaks, R21 no space before Urdu punctuation;
6. options R22, R23, R24.

The joiner rule runs before NFC and the letter map (the spec lists it after them) because it
decides by the neighbouring characters: deleting a joiner afterwards could leave a letter and a
mark side by side that a later NFC would compose, and the text would change on a second run.
Presentation forms are unaffected by NFC, so rewriting them before the first NFC lets it compose
what they expand to. Steps 2 and 4 are the Urdu letter rules: text that is not Urdu skips them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from newscrawler.text import chars
from newscrawler.text.heh import repair_arabic_heh
from newscrawler.text.passages import arabic_passages

#: Above this many distinct characters to replace, one ``str.translate`` beats the replaces.
_MAX_REPLACES = 16


def _translate(text: str, table: dict[int, str | None], pattern: re.Pattern[str]) -> str:
    """``text.translate(table)``, fast when only a few of the table's characters occur.

    ``str.translate`` looks every character up (about 16 MB/s on Urdu); scraped text holds a
    handful of distinct noisy characters, and one regex scan plus a ``str.replace`` per
    character is ten times faster. No table maps a character to another key, so the order of
    the replaces does not matter.
    """
    found = set(pattern.findall(text))
    if len(found) > _MAX_REPLACES:
        return text.translate(table)
    for char in found:
        text = text.replace(char, table[ord(char)] or "")
    return text


def _first_pass(text: str) -> str:
    """R1 + R2 + R3 + R17 + the R20 character mapping in one table."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # R1: one break, not two
    return _translate(text, chars.FIRST_PASS_TABLE, chars.FIRST_PASS_RE)


def _presentation_forms(text: str) -> str:
    """R7: glyph variants from PDFs and legacy converters become the letters they draw."""
    return _translate(text, chars.PRESENTATION_TABLE, chars.PRESENTATION_RE)


def _is_emoji(char: str) -> bool:
    return bool(char) and chars.EMOJI_RE.fullmatch(char) is not None


def _joiner_run(match: re.Match[str]) -> str:
    """R4/R5: decide one run of ZWNJ/ZWJ by its neighbours; runs collapse to one joiner."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    run = match.group()
    if chars.ZWNJ in run and before in chars.JOINER_LEFT and after in chars.JOINER_RIGHT:
        return chars.ZWNJ  # R4: only between two Arabic-script letters
    if chars.ZWJ in run and (
        before in chars.JOINER_LEFT or (_is_emoji(before) and _is_emoji(after))
    ):
        return chars.ZWJ  # R5: forces a joining form, or glues an emoji sequence
    return ""


def _joiners(text: str) -> str:
    """R4/R5: keep a joiner only where it changes the rendering."""
    if chars.ZWNJ in text or chars.ZWJ in text:
        text = chars.JOINER_RUN_RE.sub(_joiner_run, text)
    return text


def _yeh_hamza(match: re.Match[str]) -> str:
    return chars.YEH_HAMZA_TARGET[match.group(1)] + match.group(2)


def _letters(text: str, *, heh_lexicon: bool = False, keep_arabic_passages: bool = False) -> str:
    """R6 NFC, R9-R18 letter map with R15, R6 NFC again.

    NFC must come first so that ي + ٔ composes to ئ before R10 would turn it into ی + ٔ, and
    again afterwards so that ہ + ٔ (from ه + ٔ) becomes ۂ. With ``keep_arabic_passages`` the
    map skips the Arabic passages that ``arabic_passages`` finds.
    """
    text = unicodedata.normalize("NFC", text)
    if heh_lexicon:
        text = repair_arabic_heh(text)
    if not chars.LETTER_MAP_RE.search(text) and chars.HAMZA_ABOVE not in text:
        return text
    passages = arabic_passages(text) if keep_arabic_passages else []
    if not passages:
        return _urdu_letters(text)
    pieces: list[str] = []
    copied = 0
    for start, end in passages:
        pieces += (_urdu_letters(text[copied:start]), text[start:end])
        copied = end
    pieces.append(_urdu_letters(text[copied:]))
    return unicodedata.normalize("NFC", "".join(pieces))


def _urdu_letters(text: str) -> str:
    """R9-R18 and R15 on an NFC text, then R6 NFC again."""
    text = _translate(text, chars.LETTER_MAP, chars.LETTER_MAP_RE)
    if chars.HAMZA_ABOVE in text:
        text = chars.YEH_HAMZA_RE.sub(_yeh_hamza, text)  # R15
    return unicodedata.normalize("NFC", text)


def _whitespace(text: str) -> str:
    """R20 runs and edges (paragraph breaks kept), then R21 (spaces before ۔ ، ؟ ؛ go)."""
    if "  " in text:
        text = chars.SPACE_RUN_RE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = chars.LINE_EDGE_RE.sub("\n", text)
    if "\n\n\n" in text:
        text = chars.PARAGRAPH_RUN_RE.sub("\n\n", text)
    if any(" " + mark in text for mark in chars.URDU_PUNCT):
        text = chars.SPACE_BEFORE_PUNCT_RE.sub("", text)  # R21
    return text.strip(" \n")


def _urdu_latin(match: re.Match[str]) -> str:
    """R23: the matched character, plus a space unless it opened a protected token."""
    if match.lastgroup == "keep":
        return match.group()
    return match.group() + " "


def _urdu_latin_spacing(text: str) -> str:
    """R23 on the whitespace-delimited tokens that hold a Latin letter or a digit.

    The rule only acts inside such tokens, and they are rare in Urdu prose; running its
    pattern over every position of the text would cost ten times more. Every change it makes
    is next to an Arabic-script letter, so English text, and Latin tokens in Urdu text, are
    passed by.
    """
    if not chars.ARABIC_LETTER_RE.search(text):
        return text
    pieces: list[str] = []
    copied = 0
    for run in chars.LATIN_RUN_RE.finditer(text):
        if run.start() < copied:
            continue  # inside a token already handled
        before = run.start()
        start = max(text.rfind(" ", copied, before), text.rfind("\n", copied, before), copied - 1)
        start += 1
        space = chars.SPACE_OR_BREAK_RE.search(text, run.end())
        end = space.start() if space else len(text)
        token = text[start:end]
        if chars.ARABIC_LETTER_RE.search(token):
            token = chars.URDU_LATIN_RE.sub(_urdu_latin, token)
        pieces += (text[copied:start], token)
        copied = end
    pieces.append(text[copied:])
    return "".join(pieces)


def _options(
    text: str, *, space_after_punct: bool, urdu_latin_spacing: bool, initial_heh: bool
) -> str:
    """R22, R23, R24 in that order: R22 and R23 can make a ھ word-initial."""
    if space_after_punct:
        text = chars.SPACE_AFTER_PUNCT_RE.sub(r"\1 ", text)  # R22
    if urdu_latin_spacing:
        text = _urdu_latin_spacing(text)  # R23
    if initial_heh and chars.HEH_DOACHASHMEE in text:
        text = chars.INITIAL_HEH_RE.sub(chars.HEH_GOAL, text)  # R24
        if chars.HAMZA_ABOVE in text:
            text = unicodedata.normalize("NFC", text)  # R6: a new ہ + ٔ is ۂ
    return text


#: Stands in for a passage kept out of the Urdu letter rules while the text around it is
#: cleaned: a private-use character, which no rule changes, removes or spaces.
_PASSAGE_MARK = "\ue000"
_PASSAGE_MARK_RE = re.compile(_PASSAGE_MARK)


def _marked_passages(text: str, passages: Collection[str]) -> tuple[str, list[str]]:
    """``text`` with each occurrence of ``passages`` (longest first, not overlapping)
    replaced by ``_PASSAGE_MARK``, and the passages replaced, in their order."""
    spans: list[tuple[int, int]] = []
    for passage in sorted({p for p in passages if p.strip()}, key=len, reverse=True):
        start = text.find(passage)
        while start >= 0:
            end = start + len(passage)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = text.find(passage, end)
    pieces: list[str] = []
    found: list[str] = []
    copied = 0
    for start, end in sorted(spans):
        pieces += (text[copied:start], _PASSAGE_MARK)
        found.append(text[start:end])
        copied = end
    pieces.append(text[copied:])
    return "".join(pieces), found


def _restored(cleaned: str, passages: list[str], *, single_line: bool) -> str:
    """``cleaned`` with its marks replaced by ``passages``, each cleaned as text that is not
    Urdu."""
    kept = iter(clean_display(p, single_line=single_line, urdu_letters=False) for p in passages)
    return _PASSAGE_MARK_RE.sub(lambda _: next(kept), cleaned)


def clean_display(
    text: str,
    *,
    space_after_punct: bool = False,
    urdu_latin_spacing: bool = False,
    initial_heh: bool = False,
    heh_lexicon: bool = False,
    single_line: bool = False,
    urdu_letters: bool = True,
    keep_arabic_passages: bool = False,
    foreign_passages: Collection[str] = (),
) -> str:
    """Return the archived display form of ``text``: R1-R18, R20, R21 (spec section 4).

    The defaults change nothing a reader would see except removed invisible controls, and
    treat all Arabic-script text as Urdu.

    Keyword options (all off by default):

    * ``space_after_punct``: R22, a space after ۔ ، ؟ ؛ before a letter (breaks آئی۔ایس۔پی۔آر).
    * ``urdu_latin_spacing``: R23, a space between Urdu letters and glued Latin letters or
      digits; URLs, e-mail addresses, hashtags, years (2025ء), Hijri years (1446ھ) and
      ordinals (10ویں) are left alone.
    * ``initial_heh``: R24, word-initial ھ becomes ہ (ھم -> ہم).
    * ``heh_lexicon``: restore ھ in common words typed with Arabic heh (بهی -> بھی) before R12.
      Pass it only for documents that ``text_flags`` marks ``arabic_heh_typed``.
    * ``single_line``: line breaks become spaces (titles, captions, author names).

    Language (the Urdu letter rules R7 and R9-R18 are for Urdu text only):

    * ``urdu_letters`` (on): off for text that is not Urdu (Arabic, Persian, or a page in
      another language quoting them), whose letters, presentation forms and digits stay as
      they are; only the rules every script shares apply (R1-R6, R17, R20, R21).
    * ``keep_arabic_passages`` (off): in Urdu text, leave the letters of Arabic passages
      (vocalised verses, runs in Arabic letters: ``newscrawler.text.passages``) unmapped.
    * ``foreign_passages``: texts the page marks as written in another language (an
      ``<blockquote lang="ar">``): where they occur in Urdu text, they are cleaned as text that
      is not Urdu.
    """
    if urdu_letters and foreign_passages and _PASSAGE_MARK not in text:
        masked, found = _marked_passages(text, foreign_passages)
        if found:
            cleaned = clean_display(
                masked,
                space_after_punct=space_after_punct,
                urdu_latin_spacing=urdu_latin_spacing,
                initial_heh=initial_heh,
                heh_lexicon=heh_lexicon,
                single_line=single_line,
                keep_arabic_passages=keep_arabic_passages,
            )
            return _restored(cleaned, found, single_line=single_line)
    text = _first_pass(text)
    if urdu_letters:
        text = _presentation_forms(text)
    text = _joiners(text)
    if urdu_letters:
        text = _letters(text, heh_lexicon=heh_lexicon, keep_arabic_passages=keep_arabic_passages)
    else:
        text = unicodedata.normalize("NFC", text)  # R6: canonical composition holds for any script
    if single_line and "\n" in text:
        text = text.replace("\n", " ")
    text = _whitespace(text)
    if space_after_punct or urdu_latin_spacing or initial_heh:
        text = _options(
            text,
            space_after_punct=space_after_punct,
            urdu_latin_spacing=urdu_latin_spacing,
            initial_heh=initial_heh,
        )
    return text


def _search_tail(display: str) -> str:
    """Spec section 4 step 11 on a display text: R26, R27, R25, R19, joiners out, R9-R18 again,
    one space for any whitespace, R21, then R22-R24.

    The context rules run after every deletion and whitespace change, so that none of those
    can create a new context for them: that keeps the search form idempotent. R22-R24 only
    insert spaces between two other characters, so R21 and the trim stay done.
    """
    text = unicodedata.normalize("NFKC", display)  # R26 (after R16 ran in the display form)
    text = text.casefold()  # R27
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _translate(text, chars.SEARCH_TABLE, chars.SEARCH_RE)  # R25, R19, R4/R5 joiners out
    text = _letters(text)  # NFKC output holds ه ي ى again (ﷺ); deletions may unblock NFC
    text = " ".join(text.split())  # every whitespace run becomes one space
    text = chars.SPACE_BEFORE_PUNCT_RE.sub("", text)  # R21 again
    return _options(text, space_after_punct=True, urdu_latin_spacing=True, initial_heh=True)


def search_form(text: str) -> str:
    """Return the lossy matching form of ``text``: every rule except R28-R30.

    Used for dedup hashes, the search index, language identification and date parsing;
    never for display. Built from the display form, so ``search_form(clean_display(x)) ==
    search_form(x)`` and the search form can always be rebuilt from the archived text.
    """
    return _search_tail(clean_display(text))
