"""Sentence-by-sentence comparison of two bodies: copies of one story, or two stories?

MinHash only says two bodies share many shingles. Releases of one kind share most of theirs
(the same formulaic sentences, the same template) while telling different stories, and differ
in the few words that matter: names, places, numbers, dates. Republishers work on sentences:
they drop some, add others (a closing paragraph), append "said an ISPR press release" or prefix
"آئی ایس پی آر کے مطابق", and now and then reword a term. Another release instead *substitutes*
names, places and numbers inside sentences that are otherwise the same. So the sentences of two
candidates are paired, and inside each pair the replaced words are classified.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from newscrawler.dates import ENGLISH_MONTHS, URDU_MONTHS
from newscrawler.dedup.config import DedupConfig
from newscrawler.dedup.entities import entities

#: Words that state a date as much as digits do: "9 October" is not "9 September".
DATE_WORDS = frozenset(ENGLISH_MONTHS) | frozenset(URDU_MONTHS)


@dataclass(frozen=True)
class Comparison:
    """How two token sequences relate."""

    #: Words of paired sentences found in their pair, over the length of the shorter body.
    containment: float
    #: Shorter body length over longer body length, in words.
    length_ratio: float
    #: Distinct replacements of words by other words in paired sentences (no numbers, dates).
    word_substitutions: int
    #: Distinct replacements in paired sentences where a number or a month name changes.
    number_substitutions: int
    #: Paired sentences that name different countries or places (``entities``).
    name_substitutions: int = 0

    def contradicts(self, config: DedupConfig) -> bool:
        """The two state different numbers, dates, countries or places, or more different
        words than a republisher rewords: two different stories."""
        return bool(self.number_substitutions or self.name_substitutions) or (
            self.word_substitutions > config.max_word_substitutions
        )

    def same_story(self, config: DedupConfig) -> bool:
        return (
            not self.contradicts(config)
            and self.containment >= config.min_containment
            and self.length_ratio >= config.min_length_ratio
        )

    @property
    def identical_story(self) -> bool:
        """Nothing substituted: enough to merge two clusters this article both matches."""
        return not (self.word_substitutions or self.number_substitutions or self.name_substitutions)


#: Two changed sentences at the same place between unchanged ones pair when this share of
#: the smaller one's distinct words is in the other (a lead with another name and date)...
PAIR_OVERLAP = 0.3
#: ... and in the closing stretch, where copies end their own way, when this share is.
CLOSING_PAIR_OVERLAP = 0.6
#: Two sentences never pair on fewer shared distinct words than this.
PAIR_MIN_WORDS = 2
#: Two words this alike (difflib ratio) are one word spelt two ways (سیکیورٹی, سکیورٹی).
SPELLING_RATIO = 0.8

Sentence = tuple[str, ...]


@dataclass(frozen=True)
class Substitution:
    """Words of a sentence of one body replaced by other words in its pair in the other."""

    a: Sentence
    b: Sentence


def compare(a: Sequence[Sentence], b: Sequence[Sentence]) -> Comparison:
    """Pair the sentences of ``a`` and ``b`` and count what the pairs substitute."""
    shorter, longer = sorted((sum(map(len, a)), sum(map(len, b))))
    if not shorter:
        return Comparison(0.0, 0.0, 0, 0)
    matched = 0
    words: set[Substitution] = set()
    numbers: set[Substitution] = set()
    names: set[Substitution] = set()
    for x, y in _pairs(a, b):
        same, substitutions = _edits(x, y)
        matched += same
        if substitutions and _name_other(x, y):
            names.add(Substitution(x, y))
        for substitution in substitutions:
            if _states_date(substitution.a) or _states_date(substitution.b):
                numbers.add(substitution)
            elif not _respelt(substitution):
                words.add(substitution)
    return Comparison(
        containment=matched / shorter,
        length_ratio=shorter / longer,
        word_substitutions=len(words),
        number_substitutions=len(numbers),
        name_substitutions=len(names),
    )


def _pairs(a: Sequence[Sentence], b: Sequence[Sentence]) -> list[tuple[Sentence, Sentence]]:
    """Identical sentences in order, and between them the changed sentences that correspond."""
    pairs: list[tuple[Sentence, Sentence]] = []
    for tag, a_start, a_end, b_start, b_end in _opcodes(a, b):
        if tag == "equal":
            pairs += zip(a[a_start:a_end], b[b_start:b_end], strict=True)
        elif tag == "replace":
            closing = a_end == len(a) and b_end == len(b)
            threshold = CLOSING_PAIR_OVERLAP if closing else PAIR_OVERLAP
            pairs += _most_alike(a[a_start:a_end], b[b_start:b_end], threshold)
    return pairs


def _most_alike(
    a: Sequence[Sentence], b: Sequence[Sentence], threshold: float
) -> list[tuple[Sentence, Sentence]]:
    """The most alike sentences of ``a`` and ``b`` in pairs, each in one pair at most."""
    scored = sorted(
        (
            (overlap, i, j)
            for i, x in enumerate(a)
            for j, y in enumerate(b)
            if (overlap := _overlap(x, y)) >= threshold
        ),
        reverse=True,
    )
    pairs = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    return pairs


def _overlap(x: Sentence, y: Sentence) -> float:
    x_words, y_words = set(x), set(y)
    shared = len(x_words & y_words)
    if shared < PAIR_MIN_WORDS:
        return 0.0
    return shared / min(len(x_words), len(y_words))


def _edits(x: Sentence, y: Sentence) -> tuple[int, list[Substitution]]:
    """Words two paired sentences have in common, and what one replaces of the other."""
    if x == y:
        return len(x), []
    same = 0
    substitutions = []
    for tag, x_start, x_end, y_start, y_end in _opcodes(x, y):
        if tag == "equal":
            same += x_end - x_start
        elif tag == "replace":
            substitutions.append(Substitution(x[x_start:x_end], y[y_start:y_end]))
    return same, substitutions


Opcode = tuple[str, int, int, int, int]


def _opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> Iterator[Opcode]:
    """``SequenceMatcher(None, a, b).get_opcodes()``, with the common head and tail matched
    first: copies share most of their sentences and words, and difflib is slow on sameness."""
    end = min(len(a), len(b))
    head = 0
    while head < end and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < end - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a_end, b_end = len(a) - tail, len(b) - tail
    if head:
        yield ("equal", 0, head, 0, head)
    a_middle, b_middle = a[head:a_end], b[head:b_end]
    if a_middle and b_middle and not set(a_middle).isdisjoint(b_middle):
        matcher = SequenceMatcher(None, a_middle, b_middle, autojunk=False)
        for tag, i, j, k, m in matcher.get_opcodes():
            yield (tag, head + i, head + j, head + k, head + m)
    elif a_middle and b_middle:
        yield ("replace", head, a_end, head, b_end)
    elif a_middle:
        yield ("delete", head, a_end, head, head)
    elif b_middle:
        yield ("insert", head, head, head, b_end)
    if tail:
        yield ("equal", a_end, len(a), b_end, len(b))


def _name_other(x: Sentence, y: Sentence) -> bool:
    """Each of two paired sentences names a country or place the other does not: another
    event. A sentence that only adds or drops a name is a copy's rewording."""
    x_names, y_names = entities(x), entities(y)
    return bool(x_names - y_names) and bool(y_names - x_names)


def _respelt(substitution: Substitution) -> bool:
    """The same words spelt another way, one for one."""
    a, b = substitution.a, substitution.b
    return len(a) == len(b) and all(
        min(len(x), len(y)) >= 5 and SequenceMatcher(None, x, y).ratio() >= SPELLING_RATIO
        for x, y in zip(a, b, strict=True)
    )


def _states_date(tokens: Sequence[str]) -> bool:
    return any(token in DATE_WORDS or any(c.isdigit() for c in token) for token in tokens)
