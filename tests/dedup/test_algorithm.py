"""The parts of near-duplicate detection: match sentences, signatures, LSH, comparison, index."""

from __future__ import annotations

import numpy as np
import pytest

from newscrawler.dedup import lsh as lsh_module
from newscrawler.dedup.compare import compare
from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.fingerprint import (
    MinHasher,
    match_sentences,
    signature_bytes,
    signature_from_bytes,
)
from newscrawler.dedup.lsh import LSHIndex
from newscrawler.dedup.stories import StoryIndex, StoryMatch
from newscrawler.samples.scoring import MemoryTexts

CONFIG = DedupConfig()

UR_RELEASE = (
    "آرمی چیف جنرل سید عاصم منیر نے 12 جولائی کو شمالی وزیرستان میں اگلے مورچوں کا دورہ کیا۔ "
    "انہیں سرحد پر سکیورٹی کی صورتحال پر تفصیلی بریفنگ دی گئی۔\n\n"
    "انہوں نے سرحد سے 40 کلومیٹر دور تعینات جوانوں سے ملاقات کی۔ "
    "انہوں نے زخمی جوانوں کی عیادت کی اور سپاہی زاہد خان کی قربانی کو خراج تحسین پیش کیا۔\n\n"
    "آئی ایس پی آر کے مطابق سکیورٹی فورسز ملک سے دہشت گردی کے ناسور کے خاتمے کے لیے پرعزم ہیں۔"
)
#: Republished with a dateline, Arabic letters and digits, a dropped sentence, an extra
#: closing paragraph and the attribution worded another way.
UR_COPY = (
    "اسلام آباد (نیوز ڈیسک) آرمي چيف جنرل سيد عاصم منير نے ۱۲ جولائي کو شمالی وزیرستان میں "
    "اگلے مورچوں کا دورہ کیا۔ انہیں سرحد پر سکیورٹی کی صورتحال پر تفصیلی بریفنگ دی گئی۔\n\n"
    "انہوں نے سرحد سے 40 کلومیٹر دور تعینات جوانوں سے ملاقات کی۔\n\n"
    "پاک فوج کے شعبہ تعلقات عامہ کے مطابق سکیورٹی فورسز ملک سے دہشت گردی کے ناسور کے خاتمے کے "
    "لیے پرعزم ہیں۔\n\n"
    "یاد رہے کہ حالیہ مہینوں میں خیبر پختونخوا میں دہشت گردی کے واقعات میں اضافہ ہوا ہے۔"
)
EN_RELEASE = (
    "On 3 May, security forces conducted an intelligence based operation in Bannu. "
    "As a result, 7 khwarij were sent to hell. Weapons and ammunition were recovered.\n\n"
    "Sanitisation operation is being carried out to eliminate any other khwarij found in the "
    "area. Security forces of Pakistan are determined to wipe out the menace of terrorism."
)
EN_COPY = (
    "RAWALPINDI, May 03 (APP): On 3 May, security forces conducted an intelligence based "
    "operation in Bannu. As a result, 7 khwarij were sent to hell, said an ISPR press "
    "release.\n\nSanitisation operation is being carried out to eliminate any other khwarij "
    "found in the area. Security forces of Pakistan are determined to wipe out the menace of "
    "terrorism.\n\nIt is pertinent to mention that terrorist attacks have surged this year."
)


def sentences(text: str) -> tuple[tuple[str, ...], ...]:
    return match_sentences(text)


# -- match sentences ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dateline",
    [
        "راولپنڈی: ",
        "اسلام آباد (نیوز ڈیسک) ",
        "RAWALPINDI, Jul 26 (APP): ",
        "RAWALPINDI, JUL 26 /DNA/ – ",
        "Islamabad, July 26: ",
        "ISLAMABAD (Staff Reporter): ",
    ],
)
def test_the_dateline_is_not_compared(dateline: str) -> None:
    body = "آرمی چیف نے آج گوادر کا دورہ کیا۔" if dateline[0] >= "\u0600" else "He came."
    assert sentences(dateline + body) == sentences(body)


def test_a_lead_without_a_dateline_is_kept_whole() -> None:
    assert sentences("General Asim Munir visited Quetta today.") == (
        ("general", "asim", "munir", "visited", "quetta", "today"),
    )


def test_attribution_to_ispr_is_not_compared() -> None:
    assert sentences("He met the troops, said an ISPR press release.") == sentences(
        "He met the troops."
    )
    assert sentences("آئی ایس پی آر کے مطابق انہوں نے جوانوں سے ملاقات کی۔") == sentences(
        "انہوں نے جوانوں سے ملاقات کی۔"
    )


def test_sentences_split_on_urdu_and_latin_full_stops_and_paragraphs() -> None:
    assert len(sentences("پہلا جملہ۔ دوسرا جملہ؟ Third one. Fourth\n\nFifth")) == 5


def test_an_article_without_body_is_compared_on_its_title() -> None:
    assert match_sentences("", "COAS VISITS GWADAR") == (("coas", "visits", "gwadar"),)


# -- signatures ----------------------------------------------------------------------------


def test_signatures_are_the_same_in_every_process() -> None:
    """Stored signatures must stay comparable: the hash functions are pinned."""
    hasher = MinHasher(num_perm=8, shingle_size=3)
    signature = hasher.signature(["the", "chief", "of", "army", "staff", "visited"])
    assert (
        signature.tolist()
        == MinHasher(num_perm=8, shingle_size=3)
        .signature(["the", "chief", "of", "army", "staff", "visited"])
        .tolist()
    )
    assert signature.tolist()[:3] == [3087233339, 235718264, 1633070135]


def test_signature_bytes_round_trip() -> None:
    signature = MinHasher(num_perm=128, shingle_size=3).signature(["a", "b", "c", "d"])
    data = signature_bytes(signature)
    assert len(data) == 512
    assert np.array_equal(signature_from_bytes(data), signature)


def test_signature_estimates_jaccard_of_shingles() -> None:
    hasher = MinHasher(num_perm=256, shingle_size=1)
    a, b = [str(n) for n in range(100)], [str(n) for n in range(50, 150)]
    estimate = float((hasher.signature(a) == hasher.signature(b)).mean())
    assert estimate == pytest.approx(50 / 150, abs=0.08)


def test_an_empty_text_has_a_signature_that_matches_nothing() -> None:
    hasher = MinHasher(num_perm=16, shingle_size=3)
    assert hasher.signature([]).tolist() == [0xFFFFFFFF] * 16
    assert hasher.shingle_hashes(["one"]).size == 1


# -- LSH ------------------------------------------------------------------------------------


def random_signatures(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2**32, size=(count, 128), dtype=np.uint32)


def test_lsh_finds_a_signature_sharing_one_band_and_not_others() -> None:
    index = LSHIndex(bands=32, rows=4)
    stored = random_signatures(1000)
    index.extend(stored)
    query = random_signatures(1, seed=99)[0]
    query[8:12] = stored[417, 8:12]
    assert index.query(query).tolist() == [417]


def test_lsh_merges_recent_additions_without_losing_any(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsh_module, "MERGE_EVERY", 7)
    index = LSHIndex(bands=32, rows=4)
    index.extend(random_signatures(5))
    added = random_signatures(20, seed=1)
    slots = [index.add(signature) for signature in added]
    assert slots == list(range(5, 25))
    assert all(
        index.query(signature).tolist() == [slot]
        for slot, signature in zip(slots, added, strict=True)
    )
    assert index.nbytes == (5 + 14) * 32 * 12  # two merges of seven folded into the arrays


def test_lsh_takes_the_newest_slots_of_a_full_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsh_module, "MERGE_EVERY", 4)
    index = LSHIndex(bands=32, rows=4, bucket_limit=3)
    shared = random_signatures(10, seed=3)
    shared[:, :4] = shared[0, :4]  # one band in common: one bucket of ten
    index.extend(shared[:6])
    for signature in shared[6:]:
        index.add(signature)  # four recent additions: one merge, then none left recent
    index.add(shared[0])  # slot 10, still recent
    query = random_signatures(1, seed=4)[0]
    query[:4] = shared[0, :4]
    assert index.query(query).tolist() == [8, 9, 10]
    unlimited = LSHIndex(bands=32, rows=4)
    unlimited.extend(shared)
    assert unlimited.query(query).tolist() == list(range(10))


# -- comparison -----------------------------------------------------------------------------


def test_a_republished_urdu_copy_is_the_same_story() -> None:
    comparison = compare(sentences(UR_RELEASE), sentences(UR_COPY))
    assert comparison.same_story(CONFIG), comparison
    assert comparison.identical_story


def test_a_republished_english_copy_is_the_same_story() -> None:
    comparison = compare(sentences(EN_RELEASE), sentences(EN_COPY))
    assert comparison.same_story(CONFIG), comparison


def test_one_reworded_term_is_tolerated() -> None:
    copy = EN_RELEASE.replace("security forces", "troops")
    comparison = compare(sentences(EN_RELEASE), sentences(copy))
    assert comparison.word_substitutions == 1
    assert comparison.same_story(CONFIG)


def test_a_respelt_word_is_not_a_substitution() -> None:
    copy = UR_RELEASE.replace("سکیورٹی", "سیکیورٹی")
    assert compare(sentences(UR_RELEASE), sentences(copy)).identical_story


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("12 جولائی", "14 جولائی"),  # another day
        ("12 جولائی", "12 اگست"),  # another month
        ("40 کلومیٹر", "70 کلومیٹر"),  # another number
    ],
)
def test_another_date_or_number_is_another_release(old: str, new: str) -> None:
    comparison = compare(sentences(UR_RELEASE), sentences(UR_RELEASE.replace(old, new)))
    assert comparison.number_substitutions == 1
    assert comparison.contradicts(CONFIG)


def test_other_names_and_places_make_another_release() -> None:
    other = UR_RELEASE.replace("شمالی وزیرستان", "گوادر").replace("زاہد خان", "عبدالولی")
    comparison = compare(sentences(UR_RELEASE), sentences(other))
    assert comparison.word_substitutions == 2
    assert not comparison.same_story(CONFIG)


def test_a_changed_date_hidden_behind_a_dropped_sentence_still_counts() -> None:
    a = "The guest called on the chief on 19 August. Both sides agreed to meet again."
    b = (
        "The guest called on the chief on 10 May. During the meeting matters of mutual "
        "interest were discussed. Both sides agreed to meet again."
    )
    assert compare(sentences(a), sentences(b)).number_substitutions == 1


def test_releases_sharing_only_formulaic_sentences_are_different_stories() -> None:
    closing = (
        " آئی ایس پی آر کے مطابق سکیورٹی فورسز ملک سے دہشت گردی کے ناسور کے خاتمے کے لیے"
        " پرعزم ہیں۔ Inter Services Public Relations said that the nation stands with them."
    )
    a = "کور کمانڈر پشاور نے باجوڑ میں جوانوں سے ملاقات کی اور ان کا حوصلہ بڑھایا۔" + closing
    b = "نیول چیف نے کراچی میں نئے جہاز کو بیڑے میں شامل کرنے کی تقریب میں شرکت کی۔" + closing
    comparison = compare(sentences(a), sentences(b))
    assert comparison.containment < CONFIG.min_containment
    assert not comparison.same_story(CONFIG)


def test_a_short_piece_inside_a_long_roundup_is_not_a_copy() -> None:
    roundup = (
        EN_RELEASE + "\n\n" + " ".join(f"Other news item number {n} today." for n in range(60))
    )
    comparison = compare(sentences(EN_RELEASE), sentences(roundup))
    assert comparison.containment == 1.0
    assert not comparison.same_story(CONFIG)


# -- the story index -------------------------------------------------------------------------


class Stories:
    """A story index in memory, filled from texts."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self.hasher = MinHasher(num_perm=CONFIG.num_perm, shingle_size=CONFIG.shingle_size)
        self.source = MemoryTexts()
        self.index = StoryIndex(CONFIG, self.source)
        for name, text in (texts or {}).items():
            self.add(name, text)

    def add(self, name: str, text: str) -> None:
        fingerprint = self.hasher.fingerprint(text)
        self.source.texts[name] = fingerprint.sentences
        self.index.add(name, f"cluster-{name}", fingerprint.signature)

    def match(self, text: str) -> StoryMatch | None:
        return self.index.match(self.hasher.fingerprint(text))


def test_a_copy_joins_the_cluster_of_its_release() -> None:
    stories = Stories({"ur": UR_RELEASE, "en": EN_RELEASE})
    match = stories.match(UR_COPY)
    assert match is not None
    assert (match.cluster, match.doc) == ("cluster-ur", "ur")
    assert stories.match("Something else entirely, about cricket.") is None


def test_a_cluster_with_a_contradicting_member_is_not_joined() -> None:
    """A copy that dropped the sentence where two releases differ matches both; the member
    that still has that sentence says which release it is not."""
    release = UR_RELEASE + " شہید کی عمر 24 برس تھی۔"
    other_release = UR_RELEASE + " شہید کی عمر 31 برس تھی۔"
    stories = Stories({"copy": UR_RELEASE})
    assert stories.match(release) is not None
    stories.add("other", other_release)
    stories.index.merge("cluster-other", "cluster-copy")
    assert stories.match(release) is None


def test_merged_clusters_resolve_to_one() -> None:
    index = Stories().index
    index.merge("a", "b")
    index.merge("b", "c")
    assert index.resolve("a") == index.resolve("b") == "c"
    index.merge("c", "c")
    assert index.resolve("c") == "c"


FORMULAIC_EN = (
    "The Ambassador of Qatar to Pakistan called on the Chief of Army Staff at the General "
    "Headquarters on 12 July. Matters of mutual interest and the regional security situation "
    "were discussed during the meeting.\n\n"
    "The visiting dignitary appreciated the professionalism of Pakistan Army and its role in "
    "regional peace and stability."
)
FORMULAIC_UR = (
    "لکی مروت میں 12 جولائی کو انٹیلی جنس کی بنیاد پر آپریشن کے دوران 13 دہشت گرد ہلاک ہو گئے۔ "
    "ہلاک دہشت گردوں سے اسلحہ اور گولہ بارود بھی برآمد ہوا۔\n\n"
    "علاقے میں موجود دیگر دہشت گردوں کے خاتمے کے لیے کلیئرنس آپریشن جاری ہے۔"
)


@pytest.mark.parametrize(
    ("text", "name", "other"),
    [
        (FORMULAIC_EN, "Qatar", "Nepal"),
        (FORMULAIC_EN, "Qatar", "Saudi Arabia"),
        (FORMULAIC_UR, "لکی مروت", "سبی"),
        (FORMULAIC_UR, "لکی مروت", "ڈیرہ اسماعیل خان"),
    ],
)
def test_formulaic_releases_that_name_another_country_or_place_are_other_stories(
    text: str, name: str, other: str
) -> None:
    """One word apart, as a reworded term is; but a country or place is never reworded."""
    comparison = compare(match_sentences(text), match_sentences(text.replace(name, other)))
    assert comparison.name_substitutions == 1
    assert comparison.contradicts(CONFIG) and not comparison.same_story(CONFIG)


def test_a_copy_with_a_new_dateline_headline_and_a_reworded_sentence_is_the_same_story() -> None:
    copy = "RAWALPINDI, Jul 12 (APP): " + FORMULAIC_EN.replace(
        "the General Headquarters", "GHQ"
    ).replace("During the meeting", "In the meeting")
    comparison = compare(match_sentences(FORMULAIC_EN), match_sentences(copy, "COAS meets envoy"))
    assert comparison.name_substitutions == 0
    assert comparison.same_story(CONFIG)


def test_a_copy_that_names_the_place_another_way_or_adds_one_is_the_same_story() -> None:
    release = FORMULAIC_UR.replace("لکی مروت", "ڈیرہ اسماعیل خان")
    respelt = release.replace("ڈیرہ اسماعیل خان", "ڈی آئی خان")
    named = release.replace("اسلحہ", "اسلحہ خیبر پختونخوا میں")
    for copy in (respelt, named):
        comparison = compare(match_sentences(release), match_sentences(copy))
        assert comparison.name_substitutions == 0
        assert comparison.same_story(CONFIG)
