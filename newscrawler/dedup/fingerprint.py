"""From an article's text to what the dedup compares: match tokens and a MinHash signature.

The tokens are the words of the body's search form (``newscrawler.text.search_form``: letter
forms, digits, case and diacritics folded) with the republisher's dateline taken off the front,
so ``راولپنڈی:`` and ``RAWALPINDI, Jul 26 (APP):`` do not make two copies differ. The headline is
left out: republishers reword it. The signature is a MinHash over word shingles, hashed with
CRC-32 so that it is the same in every process and can be stored.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newscrawler.text import search_form

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
    r",? ?(?:(?:said|according to) (?:an |the )?"
    r"(?:inter services public relations(?: \(ispr\))?|ispr)(?: press release| statement)?"
    r"|the military.{0,2}s media wing said)"
    r"|(?:آئی ایس پی آر|پاک فوج کے شعبہ تعلقات عامہ(?: \(آئی ایس پی آر\))?|ترجمان پاک فوج)"
    r"(?: کے)?(?: اعلامیے)? کے مطابق،?"
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


#: Where a sentence ends in the search form.
SENTENCE_END_RE = re.compile(r"(?<=[.!?\u06d4\u061f])\s+")
#: Where a paragraph ends in the body.
PARAGRAPH_END_RE = re.compile(r"\n\s*\n")

Sentence = tuple[str, ...]


def match_sentences(body: str | None, title: str | None = None) -> tuple[Sentence, ...]:
    """The words two copies of a story are compared on, sentence by sentence: the body's,
    without its dateline and attributions to ISPR. An article with no body is compared on its
    title."""
    paragraphs = [search_form(p) for p in PARAGRAPH_END_RE.split(body or "")]
    paragraphs = [p for p in paragraphs if p] or [search_form(title or "")]
    paragraphs[0] = strip_dateline(paragraphs[0])
    return tuple(
        words
        for paragraph in paragraphs
        for sentence in SENTENCE_END_RE.split(paragraph)
        if (words := tuple(TOKEN_RE.findall(ATTRIBUTION_RE.sub(" ", sentence))))
    )


def strip_dateline(text: str) -> str:
    return DATELINE_RE.sub("", text, count=1)


@dataclass(frozen=True)
class Fingerprint:
    sentences: tuple[Sentence, ...]
    signature: Signature

    @property
    def tokens(self) -> list[str]:
        return [token for sentence in self.sentences for token in sentence]


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

    def fingerprint(self, body: str | None, title: str | None = None) -> Fingerprint:
        sentences = match_sentences(body, title)
        return Fingerprint(sentences, self.signature([t for s in sentences for t in s]))

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
    result: npt.NDArray[np.float64] = (others == signature).mean(axis=1)
    return result


def signature_bytes(signature: Signature) -> bytes:
    return signature.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
