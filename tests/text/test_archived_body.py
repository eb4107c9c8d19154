"""An archived Urdu body keeps its words and paragraphs and loses every listed artefact."""

from __future__ import annotations

import re

from newscrawler.text import clean_display

#: An ISPR-style release as scraped: Arabic letters, presentation forms (PDF copy), bidi and
#: zero-width controls, BOM, NBSP, tatweel, spaces before ۔, CRLF and extra blank lines.
RAW_BODY = (
    "\ufeffراولپنڈی\u00a0:\u200f پاك فوج كے شعبہ تعلقات عامہ (\u202aISPR\u202c) كے مطابق "
    "آرمی چيف نے آج جنرل ہيڈكوارٹرز كا دورہ كيا ۔\r\n\r\n"
    "\u2067اجلاس ميں\u2069 علاقائی صورتحال پر تفصيلی غور كيا گيا ، اور عيسىٰ نے كہا كہ "
    "ﻣﻴﮟ ﻫﻮﺋﮯ ﺑﻬﯽ ملك كی سلامتی ہر قيمت پر يقينی بنائی جائے گی\u200b ۔\r\n\r\n\r\n"
    "مزيد تفصيلات كے مطابق ٢٧ جولائی ٢٠٢٥ء كو \u200eكـــہا\u200e گيا ۔\u00a0"
)

FORBIDDEN = re.compile(
    "[\u064a\u0643\u0649\u0640\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00a0"
    "\ufb50-\ufdef\ufe70-\ufefe]"
)


def test_archived_body_has_no_forbidden_code_points() -> None:
    body = clean_display(RAW_BODY)
    assert FORBIDDEN.findall(body) == []


def test_archived_body_keeps_paragraphs_and_words() -> None:
    body = clean_display(RAW_BODY)
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("راولپنڈی :")
    assert paragraphs[0].endswith("دورہ کیا۔")
    assert "میں ہوئے بہی ملک کی سلامتی" in paragraphs[1]
    assert "عیسیٰ نے کہا" in paragraphs[1]
    assert paragraphs[2] == "مزید تفصیلات کے مطابق ۲۷ جولائی ۲۰۲۵ء کو کہا گیا۔"
    assert "(ISPR)" in paragraphs[0]
