"""Language from the script ratio, cross-checked with the page's lang attribute."""

from __future__ import annotations

import pytest

from newscrawler.language import detect_language

URDU = "آئی ایس پی آر کے مطابق آرمی چیف نے آج جنرل ہیڈکوارٹرز کا دورہ کیا اور اجلاس ہوا۔"
ENGLISH = "The Chief of Army Staff visited the General Headquarters in Rawalpindi today."


@pytest.mark.parametrize(
    ("body", "page_lang", "expected"),
    [
        pytest.param(URDU, None, "ur", id="urdu"),
        pytest.param(URDU + " (ISPR) PR-123/2025-ISPR", None, "ur", id="urdu-with-acronyms"),
        pytest.param(ENGLISH, None, "en", id="english"),
        pytest.param(ENGLISH + " آئی ایس پی آر", None, "en", id="english-with-urdu-name"),
        pytest.param(URDU + " " + ENGLISH, None, "mixed", id="mixed"),
        pytest.param(URDU, "en-US", "ur", id="theme-default-lang-ignored"),
        pytest.param(ENGLISH, "ur", "en", id="wrong-urdu-lang-ignored"),
        pytest.param(URDU + " " + ENGLISH[:40], "ur-PK", "ur", id="mixed-band-urdu-lang"),
        pytest.param(ENGLISH + " " + URDU[:30], "en", "en", id="mixed-band-english-lang"),
        pytest.param("پاک فوج", None, "ur", id="short-urdu"),
        pytest.param("ISPR", "ur", "ur", id="short-text-trusts-lang"),
        pytest.param("۲۰۲۵ 123 ۔،", None, "und", id="no-letters"),
        pytest.param("", "en", "en", id="empty-with-lang"),
        pytest.param("ﻣﻴﮟ ﻫﻮﺋﮯ ﺑﻬﯽ" * 5, None, "ur", id="presentation-forms"),
    ],
)
def test_detect_language(body: str, page_lang: str | None, expected: str) -> None:
    assert detect_language(body, page_lang=page_lang) == expected


#: Over 40 words, a quarter of them among the commonest English words: read without py3langid.
ENGLISH_PROSE = (
    "The Chief of Army Staff visited the General Headquarters in Rawalpindi on Monday, where he "
    "was briefed on the security situation along the border. He said that the army would "
    "continue to support the people of the province in the relief work after the floods, and "
    "that the troops had been sent to the areas which were cut off by the rain."
)


def test_plainly_english_prose_is_english_without_the_model() -> None:
    from newscrawler import language

    assert language._plainly_english(ENGLISH_PROSE)
    assert detect_language(ENGLISH_PROSE, page_lang="ur") == "en"


def test_english_prose_with_an_accented_name_is_plainly_english() -> None:
    from newscrawler import language

    prose = ENGLISH_PROSE.replace("He said", "Mr Erdoğan said over a café lunch")
    assert language._plainly_english(prose)
    assert detect_language(prose) == "en"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "Pemerintah mengumumkan kebijakan baru untuk membantu petani di seluruh negeri pada "
            "hari Senin. Menteri mengatakan bahwa program ini akan dimulai bulan depan, dan the "
            "para petani di desa akan menerima bantuan benih serta pupuk dari dinas pertanian "
            "setempat sebelum musim tanam berikutnya dimulai pada bulan Maret tahun ini.",
            id="indonesian-quoting-the",
        ),
        pytest.param(
            "Le chef de l'armée a visité le quartier général à Rawalpindi lundi, où il a été "
            "informé de la situation sécuritaire le long de la frontière. Il a déclaré que "
            "l'armée continuerait à soutenir the people, comme il l'a dit, de la province dans "
            "les travaux de secours après les inondations qui ont coupé les routes du nord.",
            id="french-quoting-the",
        ),
        pytest.param(
            ENGLISH_PROSE.replace("border", "bördér").replace("people", "péöplé"),
            id="too-many-accented-letters",
        ),
        pytest.param(ENGLISH, id="too-few-words"),
    ],
)
def test_other_latin_text_is_left_to_py3langid(body: str) -> None:
    from newscrawler import language

    assert not language._plainly_english(body)
