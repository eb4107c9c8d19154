"""From an article's text to what the dedup compares: a MinHash signature and match sentences.

The signature is a MinHash over word shingles of the body's search form
(``newscrawler.text.search_form``: letter forms, digits, case and diacritics folded), hashed
with CRC-32 so that it is the same in every process and can be stored. The sentences, compared
word by word with those of candidates, come from a lighter form of the same text
(``match_form``). Both leave out the republisher's dateline (``راولپنڈی:``, ``RAWALPINDI, Jul 26
(APP):``) and attributions to ISPR, which do not make two copies differ, and the headline, which
republishers reword.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newscrawler.text import chars, clean_display, search_form

Signature = npt.NDArray[np.uint32]

#: A word of the search form: letters, digits and the combining marks search_form keeps.
TOKEN_RE = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")

#: A dateline opening the body: a place of one to three words, an optional date, an optional
#: agency in brackets or slashes, then a colon or dash (or the agency's closing bracket).
DATELINE_RE = re.compile(
    r"^(?:[^\W\d_]+ ?){1,3}"
    r"(?:, ?(?:[^\W\d_]+ \d{1,2}|\d{1,2} [^\W\d_]+)(?:,? \d{4})?)?"
    r" ?(?:\([^()\n]{1,40}\)|/[^/\n]{1,20}/)?"
    r" ?(?:[:\u2013\u2014-] |(?<=[)/]) )"
)

#: Attribution to ISPR that republishers add or word their own way ("said an ISPR press
#: release", "آئی ایس پی آر کے مطابق"): it tells nothing about which story a copy tells.
ATTRIBUTION_RE = re.compile(
    r"(?:said|according to) (?:an |the )?"
    r"(?:inter services public relations(?: \(ispr\))?|ispr)(?: press release| statement)?"
    r"|the military.{0,2}s media wing said"
    r"|(?:آئی ایس پی آر|پاک فوج کے شعبہ تعلقات عامہ(?: \(آئی ایس پی آر\))?|ترجمان پاک فوج)"
    r"(?: کے)?(?: اعلامیے)? کے مطابق"
)

#: Words one of the attributions holds: texts without any are not searched for them.
ATTRIBUTION_MARKERS = (
    "ispr",
    "inter services",
    "media wing",
    "آئی ایس پی آر",
    "تعلقات عامہ",
    "ترجمان",
)

#: Large prime above 2**32 for the universal hash family ``(a * x + b) mod p``.
_PRIME = np.uint64((1 << 32) + 15)
_MASK = np.uint64(0xFFFFFFFF)
#: Multipliers that combine consecutive word hashes into one shingle hash.
_SHINGLE_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)


#: Full stops, question and exclamation marks, Latin and Urdu.
SENTENCE_STOPS = ".!?\u06d4\u061f"
#: A word, or a stop that ends a sentence (followed by a space or the end: not "2.5").
WORD_OR_STOP_RE = re.compile(TOKEN_RE.pattern + rf"|[{SENTENCE_STOPS}](?=\s|$)")
#: Where a paragraph ends in the body.
PARAGRAPH_END_RE = re.compile(r"\n\s*\n")

Sentence = tuple[str, ...]


def match_form(text: str) -> str:
    """The form texts are compared in: the display form case-folded, digits of every script in
    ASCII, diacritics and joiners dropped: what matching needs of the search form, at a
    twentieth of its cost (candidates are read back from the archive for every comparison)."""
    return clean_display(text).casefold().translate(chars.SEARCH_TABLE)


def match_sentences(body: str | None, title: str | None = None) -> tuple[Sentence, ...]:
    """The words two copies of a story are compared on, sentence by sentence: the body's,
    without its dateline and attributions to ISPR. An article with no body is compared on its
    title."""
    paragraphs = [p for p in PARAGRAPH_END_RE.split(match_form(body or "")) if p]
    paragraphs = paragraphs or [match_form(title or "")]
    paragraphs[0] = strip_dateline(paragraphs[0])
    sentences: list[Sentence] = []
    for paragraph in paragraphs:
        words: list[str] = []
        for word in WORD_OR_STOP_RE.findall(without_attributions(paragraph)):
            if word[0] in SENTENCE_STOPS:
                if words:
                    sentences.append(tuple(words))
                words = []
            else:
                words.append(word)
        if words:
            sentences.append(tuple(words))
    return tuple(sentences)


def shingle_words(search_text: str) -> list[str]:
    """The words of a search form that shingles are made of (no dateline, no attribution)."""
    return TOKEN_RE.findall(without_attributions(strip_dateline(search_text)))


def without_attributions(text: str) -> str:
    if any(marker in text for marker in ATTRIBUTION_MARKERS):
        return ATTRIBUTION_RE.sub(" ", text)
    return text


def strip_dateline(text: str) -> str:
    return DATELINE_RE.sub("", text, count=1)


@dataclass(frozen=True)
class Fingerprint:
    sentences: tuple[Sentence, ...]
    signature: Signature

    @property
    def words(self) -> int:
        return sum(map(len, self.sentences))


class MinHasher:
    """MinHash signatures of word shingles, vectorised with numpy.

    ``num_perm`` hash functions ``(a * x + b) mod p`` over 32-bit shingle hashes; the same
    ``seed`` gives the same functions in every process, so stored signatures stay comparable.
    """

    def __init__(self, *, num_perm: int, shingle_size: int, seed: int = 1) -> None:
        if shingle_size > len(_SHINGLE_MULTIPLIERS):
            raise ValueError(f"shingles of at most {len(_SHINGLE_MULTIPLIERS)} words")
        rng = np.random.Generator(np.random.PCG64(seed))
        # a < 2**31 and x < 2**32 keep a * x + b below 2**64: no overflow before the modulo.
        self._a = rng.integers(1, 1 << 31, size=(num_perm, 1), dtype=np.uint64)
        self._b = rng.integers(0, 1 << 32, size=(num_perm, 1), dtype=np.uint64)
        self.num_perm = num_perm
        self.shingle_size = shingle_size

    def fingerprint(
        self, body: str | None, title: str | None = None, *, body_form: str | None = None
    ) -> Fingerprint:
        """Sentences and signature of an article; ``body_form`` is the body's search form when
        the caller has it already (it made the content hash of it)."""
        if body_form is None:
            body_form = search_form(body or "")
        text = body_form or search_form(title or "")
        return Fingerprint(match_sentences(body, title), self.signature(shingle_words(text)))

    def signature(self, tokens: Sequence[str]) -> Signature:
        shingles = self.shingle_hashes(tokens)
        if not len(shingles):
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        hashed = (self._a * shingles[np.newaxis, :] + self._b) % _PRIME
        return (hashed & _MASK).min(axis=1).astype(np.uint32)

    def shingle_hashes(self, tokens: Sequence[str]) -> npt.NDArray[np.uint64]:
        """Distinct 32-bit hashes of the ``shingle_size``-word windows of ``tokens``."""
        words = np.fromiter(
            (zlib.crc32(token.encode("utf-8")) for token in tokens),
            dtype=np.uint64,
            count=len(tokens),
        )
        size = min(self.shingle_size, len(words))
        if size == 0:
            return words
        count = len(words) - size + 1
        combined = np.zeros(count, dtype=np.uint64)
        for offset in range(size):
            combined += words[offset : offset + count] * _SHINGLE_MULTIPLIERS[offset]
        return np.unique((combined >> np.uint64(32)) ^ (combined & _MASK))


def estimate_similarity(signature: Signature, others: npt.NDArray[np.uint32]) -> npt.NDArray:
    """MinHash estimate of the Jaccard similarity of one signature with each row of ``others``."""
    agreeing = np.count_nonzero(others == signature, axis=1)
    result: npt.NDArray[np.float64] = agreeing / len(signature)
    return result


def signature_bytes(signature: Signature) -> bytes:
    return signature.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
