"""Throughput of the Urdu text cleaning next to plain NFKC, on a generated Urdu corpus.

Run ``python -m benchmarks.cleaning``. The corpus is realistic news prose (sentences, ۔ and ،,
paragraph breaks, English acronyms, Urdu and ASCII digits, dates) with the noise scraped pages
carry: Arabic letters (ي ك ه ى), presentation forms, ZWNJ/ZWSP/RLM, NBSP, tatweel and spaces
before ۔. Figures are MB/s of UTF-8 input on one core, best of a few runs.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Callable

from newscrawler.text import clean_display, search_form

_WORDS = [
    "پاکستان",
    "فوج",
    "کے",
    "شعبہ",
    "تعلقات",
    "عامہ",
    "آئی",
    "ایس",
    "پی",
    "آر",
    "مطابق",
    "آرمی",
    "چیف",
    "جنرل",
    "نے",
    "آج",
    "راولپنڈی",
    "میں",
    "جنرل",
    "ہیڈکوارٹرز",
    "کا",
    "دورہ",
    "کیا",
    "اور",
    "اس",
    "موقع",
    "پر",
    "انہوں",
    "کہا",
    "کہ",
    "ملک",
    "کی",
    "سلامتی",
    "دفاع",
    "ہر",
    "قیمت",
    "یقینی",
    "بنایا",
    "جائے",
    "گا",
    "دہشت",
    "گردی",
    "خلاف",
    "جنگ",
    "میں",
    "قوم",
    "قربانیاں",
    "ناقابل",
    "فراموش",
    "ہیں",
    "اجلاس",
    "علاقائی",
    "صورتحال",
    "پر",
    "تفصیلی",
    "غور",
    "بھی",
    "گیا",
    "تھا",
    "بتایا",
    "گیا",
    "ہے",
    "سیکیورٹی",
    "فورسز",
    "کارروائی",
    "خوارج",
    "ہلاک",
    "جبکہ",
    "اسلحہ",
    "برآمد",
    "ہوا",
    "شہداء",
    "کو",
    "خراج",
    "عقیدت",
    "پیش",
    "وزیراعظم",
    "صدر",
    "مملکت",
    "ساتھ",
    "ملاقات",
    "باہمی",
    "دلچسپی",
    "امور",
    "تبادلہ",
    "خیال",
    "تعاون",
    "مزید",
    "فروغ",
    "دینے",
    "عزم",
    "اظہار",
]
_NOISY = {
    "کے": "كے",
    "کی": "كي",
    "میں": "ﻣﻴﮟ",
    "ہے": "هے",
    "یہ": "يه",
    "پاکستان": "پاكستان",
    "کہا": "کـہا",
    "اور": "او\u200cر",
}
_LATIN = ("ISPR", "COAS", "PR-123/2025-ISPR", "2025", "۲۷", "Field Marshal", "www.ispr.gov.pk")
_NOISE = ("\u200b", "\u200f", "\u00a0", "\u200e")


def make_corpus(megabytes: float = 4.0, *, seed: int = 7) -> str:
    """A deterministic Urdu news corpus of about ``megabytes`` MB (UTF-8) with scraping noise."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            words = []
            for _ in range(rng.randint(8, 22)):
                word = rng.choice(_WORDS)
                roll = rng.random()
                if roll < 0.08:
                    word = _NOISY.get(word, word)
                elif roll < 0.11:
                    word = rng.choice(_LATIN)
                elif roll < 0.12:
                    word += rng.choice(_NOISE)
                words.append(word)
            end = " ۔" if rng.random() < 0.3 else "۔"
            sentences.append(" ".join(words) + end)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


def _throughput(function: Callable[[str], str], corpus: str, repeats: int = 3) -> float:
    """Best-of-``repeats`` MB/s of ``function`` over ``corpus``."""
    megabytes = len(corpus.encode()) / 1_000_000
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function(corpus)
        best = min(best, time.perf_counter() - start)
    return megabytes / best


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def run(megabytes: float = 4.0) -> dict[str, float]:
    """Measure clean_display, search_form and plain NFKC in the same run (MB/s)."""
    corpus = make_corpus(megabytes)
    return {
        "corpus_mb": len(corpus.encode()) / 1_000_000,
        "clean_display_mb_s": _throughput(clean_display, corpus),
        "search_form_mb_s": _throughput(search_form, corpus),
        "nfkc_mb_s": _throughput(_nfkc, corpus),
    }


def main() -> None:
    results = run()
    print(f"Urdu corpus: {results['corpus_mb']:.2f} MB (UTF-8), one core, best of 3")
    print(f"{'function':<34}{'MB/s':>10}")
    for name, key in (
        ("clean_display", "clean_display_mb_s"),
        ("search_form", "search_form_mb_s"),
        ("unicodedata.normalize('NFKC')", "nfkc_mb_s"),
    ):
        print(f"{name:<34}{results[key]:>10.1f}")


if __name__ == "__main__":
    main()
