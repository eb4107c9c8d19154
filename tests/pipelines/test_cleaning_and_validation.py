"""The cleaning and validation pipelines on a real Scrapy crawler object."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.extract import extract_article
from newscrawler.items import ArticleItem
from pipelines.cleaning import TextCleaningPipeline
from pipelines.validation import ValidationPipeline
from tests.support import project_settings_dict

BODY = (
    "راولپنڈی\u00a0: پاك فوج كے شعبہ تعلقات عامہ كے مطابق آرمی چيف نے آج جنرل ہيڈكوارٹرز كا "
    "دورہ كيا ۔\r\n\r\n\r\nاجلاس ميں علاقائی صورتحال پر تفصيلی غور كيا گيا اور كہا گيا كہ ملك "
    "كی سلامتی ہر قيمت پر يقينی بنائی جائے گی\u200b ۔ "
) * 2


def crawler(**settings: Any) -> Crawler:
    made = get_crawler(settings_dict=project_settings_dict(**settings))
    assert made.stats is not None
    return made


def article(**fields: Any) -> ArticleItem:
    values: dict[str, Any] = {
        "url": "https://example.pk/news/1",
        "site": "example",
        "fetched_at": datetime(2025, 7, 28, tzinfo=UTC),
        "title": " پاك فوج\u200f كا اجلاس ",
        "body": BODY,
    }
    values.update(fields)
    return ArticleItem(**values)


def stats(made: Crawler) -> dict[str, Any]:
    assert made.stats is not None
    return made.stats.get_stats()


# --- cleaning ---------------------------------------------------------------------------------


def test_cleaning_cleans_fields_and_sets_language_and_flags() -> None:
    made = crawler()
    pipeline = TextCleaningPipeline.from_crawler(made)
    item = article(
        images=[{"url": "https://example.pk/a.jpg", "caption": "ﻣﻴﮟ\nتصوير "}, {"url": "b"}],
        authors=[" نمائندہ  خصوصي ", "نمائندہ خصوصی", " "],
        extras={"page_lang": "en-US"},
    )
    pipeline.process_item(item)
    assert item.title == "پاک فوج کا اجلاس"
    assert item.body is not None
    assert item.body.count("\n\n") == 2 and "\n\n\n" not in item.body
    assert "ك" not in item.body and "ي" not in item.body and "\u00a0" not in item.body
    assert item.body.startswith("راولپنڈی : پاک فوج")
    assert item.images == [
        {"url": "https://example.pk/a.jpg", "caption": "میں تصویر"},
        {"url": "b", "caption": None},
    ]
    assert item.authors == ["نمائندہ خصوصی"]
    assert item.language == "ur"
    assert item.text_flags["presentation_form_count"] == 3
    assert item.text_flags["mojibake_suspected"] is False
    counted = stats(made)
    assert counted["newscrawler/cleaning/items"] == 1
    assert counted["newscrawler/cleaning/language/ur"] == 1
    assert counted["newscrawler/cleaning/presentation_forms"] == 1
    assert counted["newscrawler/cleaning/changed_fields"] >= 4


def test_cleaning_keeps_a_language_the_spider_set() -> None:
    made = crawler()
    item = article(language="en")
    TextCleaningPipeline.from_crawler(made).process_item(item)
    assert item.language == "en"
    assert "newscrawler/cleaning/language/ur" not in stats(made)


def test_cleaning_flags_mojibake_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    made = crawler()
    item = article(body="Ø§Ø±Ø¯Ùˆ Ù…ÛŒÚº " * 30)
    with caplog.at_level(logging.WARNING):
        TextCleaningPipeline.from_crawler(made).process_item(item)
    assert item.text_flags["mojibake_suspected"] is True
    assert stats(made)["newscrawler/cleaning/mojibake_suspected"] == 1
    assert "https://example.pk/news/1" in caplog.text


def test_cleaning_options_from_settings() -> None:
    made = crawler(
        NEWSCRAWLER_CLEAN_SPACE_AFTER_PUNCT=True,
        NEWSCRAWLER_CLEAN_URDU_LATIN_SPACING=True,
        NEWSCRAWLER_CLEAN_INITIAL_HEH=True,
    )
    item = article(title="ھم نے ISPRکے۔بعد", body="دسمبر2025ء")
    TextCleaningPipeline.from_crawler(made).process_item(item)
    assert item.title == "ہم نے ISPR کے۔ بعد"
    assert item.body == "دسمبر 2025ء"


def test_heh_lexicon_only_for_arabic_heh_documents() -> None:
    made = crawler(NEWSCRAWLER_CLEAN_HEH_LEXICON=True)
    typed = article(title="وه بهی", body="یه بهی ته اور وه پهر آئے")
    urdu_keyboard = article(title="وه بهی", body="یہ بھی تھا")
    pipeline = TextCleaningPipeline.from_crawler(made)
    pipeline.process_item(typed)
    pipeline.process_item(urdu_keyboard)
    assert (typed.title, typed.body) == ("وہ بھی", "یہ بھی تہ اور وہ پھر آئے")
    assert urdu_keyboard.title == "وہ بہی"
    assert stats(made)["newscrawler/cleaning/heh_lexicon_applied"] == 1


def test_cleaning_works_on_a_plain_dict() -> None:
    made = crawler()
    item = {"url": "u", "title": "كتاب", "body": "كتاب", "images": [], "authors": []}
    TextCleaningPipeline.from_crawler(made).process_item(item)
    assert ItemAdapter(item)["title"] == "کتاب"


def test_cleaning_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        TextCleaningPipeline.from_crawler(crawler(NEWSCRAWLER_CLEANING_ENABLED=False))


# --- validation -------------------------------------------------------------------------------


def cleaned(made: Crawler, **fields: Any) -> ArticleItem:
    item = article(**fields)
    TextCleaningPipeline.from_crawler(made).process_item(item)
    return item


def test_valid_item_passes() -> None:
    made = crawler()
    item = cleaned(made)
    assert ValidationPipeline.from_crawler(made).process_item(item) is item
    assert stats(made)["newscrawler/validation/passed"] == 1


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        pytest.param({"title": " \u200b "}, "no_title", id="no-title"),
        pytest.param({"title": None}, "no_title", id="title-none"),
        pytest.param({"body": "بہت مختصر۔"}, "body_too_short", id="short-body"),
        pytest.param({"body": None}, "body_too_short", id="no-body"),
        pytest.param({"extras": {"is_article": False}}, "not_article", id="is-article-false"),
        pytest.param({"extras": {"page_type": "listing"}}, "not_article", id="listing"),
        pytest.param(
            {"title": "Attention Required! | Cloudflare", "body": "Sorry, you have been blocked"},
            "blocked",
            id="cloudflare-attention",
        ),
        pytest.param({"title": "Just a moment..."}, "blocked", id="cloudflare-just-a-moment"),
        pytest.param(
            {"title": "ISPR", "body": "Web Page Blocked. The page cannot be displayed."},
            "blocked",
            id="web-page-blocked",
        ),
        pytest.param({"body": BODY + " cf-chl-bypass"}, "blocked", id="cf-chl"),
        pytest.param(
            {"title": "Security check", "body": "Please solve the captcha to continue"},
            "blocked",
            id="captcha",
        ),
        pytest.param({"extras": {"blocked": True}}, "blocked", id="spider-marked"),
        pytest.param({"body": "Ø§Ø±Ø¯Ùˆ Ù…ÛŒÚº " * 40}, "undecodable", id="mojibake"),
        pytest.param({"body": BODY + "\ufffd" * 11}, "undecodable", id="replacement-chars"),
    ],
)
def test_drops_with_reason(fields: dict[str, Any], reason: str) -> None:
    made = crawler()
    item = cleaned(made, **fields)
    with pytest.raises(DropItem, match=f"^{reason}: .*https://example.pk/news/1"):
        ValidationPipeline.from_crawler(made).process_item(item)
    assert stats(made)[f"newscrawler/dropped/{reason}"] == 1
    assert "newscrawler/validation/passed" not in stats(made)


def test_long_article_mentioning_captcha_is_kept() -> None:
    made = crawler()
    item = cleaned(made, body=BODY * 8 + " captcha")
    assert ValidationPipeline.from_crawler(made).process_item(item) is item


def test_drop_is_logged_with_url(caplog: pytest.LogCaptureFixture) -> None:
    made = crawler()
    with caplog.at_level(logging.INFO), pytest.raises(DropItem):
        ValidationPipeline.from_crawler(made).process_item(cleaned(made, title=""))
    assert "https://example.pk/news/1" in caplog.text and "no_title" in caplog.text


def test_validation_settings() -> None:
    made = crawler(NEWSCRAWLER_MIN_BODY_CHARS=5, NEWSCRAWLER_MAX_REPLACEMENT_CHARS=20)
    item = cleaned(made, body="بہت مختصر۔" + "\ufffd" * 11)
    assert ValidationPipeline.from_crawler(made).process_item(item) is item


def test_mojibake_drop_can_be_switched_off() -> None:
    made = crawler(NEWSCRAWLER_DROP_MOJIBAKE=False)
    item = cleaned(made, body="Ø§Ø±Ø¯Ùˆ Ù…ÛŒÚº " * 40)
    assert ValidationPipeline.from_crawler(made).process_item(item) is item


def test_validation_without_cleaning_computes_flags() -> None:
    made = crawler()
    item = article(body="Ø§Ø±Ø¯Ùˆ Ù…ÛŒÚº " * 40)
    with pytest.raises(DropItem, match=r"^undecodable"):
        ValidationPipeline.from_crawler(made).process_item(item)


def test_validation_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        ValidationPipeline.from_crawler(crawler(NEWSCRAWLER_VALIDATION_ENABLED=False))


# --- languages --------------------------------------------------------------------------------

#: A verse as Arabic sources write it: Arabic yeh, kaf, heh and teh marbuta, vocalised.
VERSE = "يَا أَيُّهَا الَّذِينَ آمَنُوا كُتِبَ عَلَيْكُمُ الصِّيَامُ"
#: The same words in presentation forms, as a PDF copy gives them.
VERSE_FORMS = "ﻳﺎ ﺃﻳﻬﺎ ﺍﻟﺬﻳﻦ ﺁﻣﻨﻮﺍ"


def cleaned_page(title: str, body: str, **fields: Any) -> ArticleItem:
    item = article(title=title, body=body, **fields)
    TextCleaningPipeline.from_crawler(crawler()).process_item(item)
    return item


def test_an_indonesian_page_keeps_its_arabic_quotes() -> None:
    body = (
        "Ustaz Ahmad membuka kajian malam itu dengan membacakan ayat tentang puasa di bulan "
        f"Ramadan: «{VERSE}». Ia menjelaskan bahwa kewajiban berpuasa juga berlaku bagi umat "
        f"sebelumnya.\n\nDalam catatan jamaah, ayat itu tertulis {VERSE_FORMS} di halaman "
        "pertama buku panduan yang dibagikan panitia masjid pada hari Jumat."
    )
    item = cleaned_page("Kajian Ramadan di Masjid Raya", body)
    assert item.language == "id"
    assert item.body is not None
    assert VERSE in item.body and VERSE_FORMS in item.body


def test_an_arabic_page_keeps_its_letters() -> None:
    body = (
        "قال وزير الاقتصاد في مؤتمر صحفي يوم الخميس إن الحكومة ستعلن خطة جديدة لدعم الشركات "
        "الصغيرة في عام ٢٠٢٥، وأضاف أن المبادرة تهدف إلى تشجيع الاستثمار.\n\n"
        "وأكد الوزير أن الخطة ستشمل قروضاً ميسرة للمشاريع التي يديرها الشباب في كل المحافظات."
    )
    title = "الحكومة تعلن خطة لدعم الشركات الصغيرة"
    item = cleaned_page(title, body)
    assert item.language == "ar"
    assert (item.title, item.body) == (title, body)


def test_a_persian_page_keeps_its_letters() -> None:
    body = (
        "رئیس سازمان برنامه و بودجه روز دوشنبه گفت که بودجهٔ سال آینده با تکیه بر درآمدهای "
        "مالیاتی تنظیم خواهد شد و سهم نفت کاهش می‌یابد.\n\n"
        "او افزود که خانهٔ ملت در هفتهٔ آینده جلسه‌ای ویژه برای بررسی این لایحه برگزار می‌کند."
    )
    title = "لایحهٔ بودجه به مجلس می‌رود"
    item = cleaned_page(title, body)
    assert item.language == "fa"
    assert (item.title, item.body) == (title, body)


def test_quranic_passages_in_an_urdu_page_keep_their_letters() -> None:
    hadith = "الدين النصيحة قلنا لمن قال لله ولكتابه ولرسوله"
    body = (
        f"مولانا نے جمعہ کے خطبے میں رمضان کی اہمیت بیان کی اور یہ آیت پڑھی: ﴿{VERSE}﴾ یعنی "
        "تم پر روزے فرض کیے گئے۔\n\n"
        f"انہوں نے حدیث بھی سنائی: {hadith}۔ اجلاس ٢٠٢٥ کے پروگرام پر ختم ہوا۔"
    )
    item = cleaned_page("مسجد ميں رمضان كا خطبہ", body)
    assert item.language == "ur"
    assert item.title == "مسجد میں رمضان کا خطبہ"
    assert item.body is not None
    assert f"﴿{VERSE}﴾" in item.body and hadith in item.body
    assert "۲۰۲۵" in item.body


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        pytest.param(
            "pt",
            "Governo anuncia novo programa",
            "O governo anunciou nesta segunda-feira um programa de apoio às famílias afetadas "
            "pelas chuvas no sul do país. Segundo o ministro, os pagamentos começam em março.",
            id="pt",
        ),
        pytest.param(
            "de",
            "Stadtrat beschließt neuen Haushalt",
            "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. Die "
            "Ausgaben für Schulen und Radwege steigen deutlich, teilte die Bürgermeisterin mit.",
            id="de",
        ),
        pytest.param(
            "id",
            "Pemerintah umumkan kebijakan baru",
            "Pemerintah mengumumkan kebijakan baru untuk membantu petani di seluruh negeri pada "
            "hari Senin. Menteri mengatakan bahwa program ini akan dimulai bulan depan.",
            id="id",
        ),
        pytest.param(
            "es",
            "El ayuntamiento aprueba el presupuesto",
            "El ayuntamiento aprobó el martes el presupuesto del próximo año, que aumenta el "
            "gasto en escuelas y transporte público, según explicó la alcaldesa.",
            id="es",
        ),
        pytest.param(
            "fr",
            "Le conseil municipal vote le budget",
            "Le conseil municipal a voté mardi le budget de l'année prochaine, qui augmente les "
            "dépenses pour les écoles et les transports, a expliqué la maire.",
            id="fr",
        ),
        pytest.param(
            "en",
            "Council approves new budget",
            "The city council approved next year's budget on Tuesday, raising spending on "
            "schools and public transport, the mayor said after the vote.",
            id="en",
        ),
    ],
)
def test_latin_script_pages_get_their_language(language: str, title: str, body: str) -> None:
    made = crawler()
    item = article(title=title, body=body, extras={"page_lang": "en-US"})
    TextCleaningPipeline.from_crawler(made).process_item(item)
    assert item.language == language
    assert stats(made)[f"newscrawler/cleaning/language/{language}"] == 1


def test_passages_marked_arabic_or_persian_in_an_urdu_page_keep_their_letters() -> None:
    """An unvocalised hadith in ``<blockquote lang="ar">`` and a Persian verse in
    ``<span lang="fa">``: the extraction hands them on, the cleaning leaves their letters (the
    Urdu letter map would write ى ي ه as ی ی ہ), and the Urdu around them is cleaned."""
    hadith = "قال رسول الله صلى الله عليه وسلم إنما الأعمال بالنيات"
    verse = "به نام خداوند جان و خرد، کزین برتر اندیشه برنگذرد"
    html = (
        '<html lang="ur"><head><meta charset="utf-8"><title>جمعہ کا خطبہ</title></head><body>'
        "<article><h1>جمعہ کا خطبہ</h1>"
        "<p>مولانا نے جمعہ کے خطبے میں نیت کی اہمیت بیان کی اور یہ حدیث سنائی:</p>"
        f'<blockquote lang="ar"><p>{hadith}</p></blockquote>'
        f'<p>انہوں نے فردوسی کا شعر <span lang="fa">{verse}</span> بھی پڑھا اور كہا كہ نيت '
        "ہر عمل کی بنیاد ہے، اس لیے ہر کام سے پہلے اپنی نیت درست کر لینی چاہیے۔</p>"
        "<p>خطبے کے بعد نماز ادا کی گئی اور ملک کی سلامتی کے لیے خصوصی دعا کی گئی۔</p>"
        "</article></body></html>"
    )
    url = "https://example.pk/news/2025/08/juma-khutba-niyyat"
    response = HtmlResponse(url=url, body=html.encode(), encoding="utf-8")
    item = extract_article(response)
    assert item is not None
    TextCleaningPipeline.from_crawler(crawler()).process_item(item)
    assert item.language == "ur"
    assert item.body is not None
    assert hadith in item.body and verse in item.body
    assert "اور کہا کہ نیت" in item.body
