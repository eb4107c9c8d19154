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
