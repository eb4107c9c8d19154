"""The cleaning and validation pipelines on a real Scrapy crawler object."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

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
