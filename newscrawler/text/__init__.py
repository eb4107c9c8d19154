"""Urdu and English text cleaning (rules R1-R30 of ``shared/reference/urdu-text.md``).

* :func:`clean_display`: the archived display text (meaning and rendering kept).
* :func:`search_form`: the lossy matching key (dedup hash, search index, language, dates).
* :func:`text_flags`: per-document facts (mojibake, Arabic heh, presentation forms).

The letter rules are Urdu spelling: ``clean_display`` skips them for text in other languages,
and ``newscrawler.text.passages`` finds the Arabic passages of Urdu text they must not touch.
"""

from newscrawler.text.flags import TextFlags, text_flags
from newscrawler.text.heh import repair_arabic_heh
from newscrawler.text.normalize import clean_display, search_form

__all__ = ["TextFlags", "clean_display", "repair_arabic_heh", "search_form", "text_flags"]
